// The tax category columns shared by plans, products and invoice lines (src/domain/taxCategories.ts).
import { registerEnumType } from 'type-graphql';
import { TAX_CATEGORIES, type TaxCategory } from '../domain/taxCategories.js';

export const TaxCategoryEnum = Object.fromEntries(TAX_CATEGORIES.map((v) => [v, v])) as {
  [K in TaxCategory]: K;
};
registerEnumType(TaxCategoryEnum, {
  name: 'TaxCategory',
  description:
    'STANDARD: VAT at the rate given (16 % in Kenya). ZERO_RATED: taxable at 0 %. EXEMPT: outside VAT (or the customer holds an exemption).',
});
