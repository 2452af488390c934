import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import type { TaxCategory } from '../domain/taxCategories.js';
import { Tracked } from './base.js';
import { TaxCategoryEnum } from './taxCategory.js';

@ObjectType({ description: 'Something a client app sells; plans price it.' })
@Entity({ tableName: 'products' })
export class Product extends Tracked {
  [OptionalProps]?:
    | 'description'
    | 'features'
    | 'taxCategory'
    | 'taxRateBasisPoints'
    | 'itemClassificationCode'
    | 'createdAt'
    | 'updatedAt';

  @Field({ description: 'Stable identifier apps use, e.g. in `entitlement(product: "analytics")`.' })
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => [String])
  @Property({ type: 'json' })
  features: string[] = [];

  @Field(() => TaxCategoryEnum, {
    nullable: true,
    description: 'How this product is taxed when its plan names no category; null: the global TAX setting.',
  })
  @Enum({ items: () => TaxCategoryEnum, nullable: true, columnType: 'text' })
  taxCategory: TaxCategory | null = null;

  @Field(() => Int, { nullable: true, description: 'STANDARD only: the VAT rate in basis points (1600 = 16 %).' })
  @Property({ type: 'integer', nullable: true })
  taxRateBasisPoints: number | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      "KRA item classification code sent to eTIMS for this product's invoice lines; null: ETIMS_ITEM_CLASSIFICATION_CODE.",
  })
  @Property({ type: 'text', nullable: true })
  itemClassificationCode: string | null = null;
}
