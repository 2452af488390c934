// The tax category a plan or product is created with (src/domain/taxCategories.ts). Both fields are optional:
// without them the plan follows its product, and a product without them the global TAX setting.
import { z } from 'zod';
import { STANDARD_RATE_BASIS_POINTS, TAX_CATEGORIES, type TaxCategory } from '../domain/taxCategories.js';

export const taxClassFields = {
  taxCategory: z.enum(TAX_CATEGORIES).nullish().describe('STANDARD, ZERO_RATED or EXEMPT; omit to inherit.'),
  taxRateBasisPoints: z
    .number()
    .int('must be a whole number of basis points (1600 = 16 %)')
    .min(1, 'must be above 0 (use ZERO_RATED for 0 %)')
    .max(10_000, 'must be at most 10000 (100 %)')
    .nullish()
    .describe('STANDARD only: the VAT rate in basis points; default 1600 (16 %).'),
};

/** The columns to store, or a message for `taxRateBasisPoints` when a rate comes with another category. */
export function taxClassColumns(input: {
  taxCategory?: TaxCategory | null;
  taxRateBasisPoints?: number | null;
}): { taxCategory: TaxCategory | null; taxRateBasisPoints: number | null } | string {
  const category = input.taxCategory ?? null;
  if (category !== 'STANDARD') {
    if (input.taxRateBasisPoints != null) return 'is only for the STANDARD tax category';
    return { taxCategory: category, taxRateBasisPoints: null };
  }
  return { taxCategory: category, taxRateBasisPoints: input.taxRateBasisPoints ?? STANDARD_RATE_BASIS_POINTS };
}
