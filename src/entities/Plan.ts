import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BILLING_INTERVALS, type BillingInterval } from '../domain/billingPeriod.js';
import { minorUnits } from './columns.js';

export const PLAN_STATUSES = ['ACTIVE', 'ARCHIVED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const BillingIntervalEnum = Object.fromEntries(BILLING_INTERVALS.map((v) => [v, v])) as {
  [K in BillingInterval]: K;
};
export const PlanStatusEnum = { ACTIVE: 'ACTIVE', ARCHIVED: 'ARCHIVED' } as const;
registerEnumType(BillingIntervalEnum, { name: 'BillingInterval', description: 'Unit of a billing period.' });
registerEnumType(PlanStatusEnum, { name: 'PlanStatus', description: 'ARCHIVED plans accept no new subscriptions.' });

@ObjectType({ description: 'A price at which a product is sold on a recurring cadence.' })
@Entity({ tableName: 'plans' })
@Index({ properties: ['status', 'createdAt'] })
export class Plan {
  [OptionalProps]?: 'description' | 'intervalCount' | 'trialDays' | 'status' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Price per period in the currency's minor units. */
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

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
