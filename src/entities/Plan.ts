import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BILLING_INTERVALS, type BillingInterval } from '../domain/billingPeriod.js';
import type { PriceTier } from '../domain/pricing.js';
import { minorUnits } from './columns.js';
import { PriceTierType } from './embedded.js';
import { Product } from './Product.js';
import { Tracked } from './base.js';
import { TaxCategoryEnum } from './taxCategory.js';
import type { TaxCategory } from '../domain/taxCategories.js';

export const PLAN_STATUSES = ['ACTIVE', 'ARCHIVED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const BillingIntervalEnum = Object.fromEntries(BILLING_INTERVALS.map((v) => [v, v])) as {
  [K in BillingInterval]: K;
};
export const PlanStatusEnum = { ACTIVE: 'ACTIVE', ARCHIVED: 'ARCHIVED' } as const;
export const PricingModelEnum = { FLAT: 'FLAT', GRADUATED: 'GRADUATED', VOLUME: 'VOLUME' } as const;
export type PricingModel = keyof typeof PricingModelEnum;
registerEnumType(PricingModelEnum, {
  name: 'PricingModel',
  description:
    'FLAT: amount x quantity. GRADUATED: each unit at its tier. VOLUME: all units at the tier the quantity reaches.',
});
registerEnumType(BillingIntervalEnum, { name: 'BillingInterval', description: 'Unit of a billing period.' });
registerEnumType(PlanStatusEnum, { name: 'PlanStatus', description: 'ARCHIVED plans accept no new subscriptions.' });

@ObjectType({ description: 'A price at which a product is sold on a recurring cadence.' })
@Entity({ tableName: 'plans' })
@Index({ properties: ['status', 'createdAt'] })
export class Plan extends Tracked {
  [OptionalProps]?:
    | 'description'
    | 'intervalCount'
    | 'trialDays'
    | 'status'
    | 'version'
    | 'tier'
    | 'features'
    | 'limits'
    | 'pricingModel'
    | 'tiers'
    | 'taxCategory'
    | 'taxRateBasisPoints'
    | 'createdAt'
    | 'updatedAt';

  @ManyToOne(() => Product, { deleteRule: 'restrict' })
  product!: Product;

  @Field(() => TaxCategoryEnum, {
    nullable: true,
    description: 'How this plan is taxed; null: as its product says, or the global TAX setting when neither says.',
  })
  @Enum({ items: () => TaxCategoryEnum, nullable: true, columnType: 'text' })
  taxCategory: TaxCategory | null = null;

  @Field(() => Int, { nullable: true, description: 'STANDARD only: the VAT rate in basis points (1600 = 16 %).' })
  @Property({ type: 'integer', nullable: true })
  taxRateBasisPoints: number | null = null;

  /** Every version of a plan shares the id of its first version. */
  @Field(() => ID, { description: 'Shared by every version of this plan.' })
  @Property({ type: 'uuid' })
  familyId!: string;

  @Field(() => Int, { description: 'A price change makes a new version; subscriptions keep the version they have.' })
  @Property({ type: 'integer' })
  version: number = 1;

  @Field(() => String, { nullable: true, description: 'Marketing tier, e.g. Starter, Pro, Enterprise.' })
  @Property({ type: 'text', nullable: true })
  tier: string | null = null;

  @Field(() => [String])
  @Property({ type: 'json' })
  features: string[] = [];

  @Field(() => GraphQLJSONObject, { description: 'Usage limits, e.g. {"seats": 10}.' })
  @Property({ type: 'json' })
  limits: Record<string, number> = {};

  @Field(() => PricingModelEnum)
  @Enum({ items: () => PricingModelEnum, nativeEnumName: 'pricing_model' })
  pricingModel: PricingModel = 'FLAT';

  @Field(() => [PriceTierType], { nullable: true })
  @Property({ type: 'json', nullable: true })
  tiers: PriceTier[] | null = null;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Price per period (per unit for tiered plans: see `tiers`) in the currency's minor units. */
  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field(() => BillingIntervalEnum)
  @Enum({ items: () => BillingIntervalEnum, nativeEnumName: 'billing_interval' })
  interval!: BillingInterval;

  @Field(() => Int)
  @Property({ type: 'integer' })
  intervalCount: number = 1;

  @Field(() => Int)
  @Property({ type: 'integer' })
  trialDays: number = 0;

  @Field(() => PlanStatusEnum)
  @Enum({ items: () => PlanStatusEnum, nativeEnumName: 'plan_status' })
  status: PlanStatus = 'ACTIVE';
}
