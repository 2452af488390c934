import { Field, Int, ObjectType } from 'type-graphql';
import type { TaxCategory } from '../../domain/taxCategories.js';
import { TaxCategoryEnum } from '../../entities/taxCategory.js';
import { Money } from './Money.js';

@ObjectType({ description: "An invoice's total for one tax category and rate: what it taxes and the tax on it." })
export class TaxCategoryTotal {
  @Field(() => TaxCategoryEnum, { nullable: true, description: 'null: lines written before tax categories existed.' })
  category!: TaxCategory | null;

  @Field(() => Int, { nullable: true, description: 'Basis points (1600 = 16 %); 0 unless STANDARD.' })
  rateBasisPoints!: number | null;

  @Field(() => Money, { description: 'The lines of this category, added up (tax excluded).' })
  taxable!: Money;

  @Field(() => Money)
  tax!: Money;
}
