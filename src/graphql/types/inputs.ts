import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { BillingInterval } from '../../domain/billingPeriod.js';
import { BillingIntervalEnum } from '../../entities/Plan.js';

@InputType()
export class CreatePlanInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => GraphQLSafeInt, { description: 'Price per period in minor units, e.g. 150000 for KES 1,500.00.' })
  amount!: number;

  @Field({ description: 'ISO 4217 code, e.g. KES or USD.' })
  currency!: string;

  @Field(() => BillingIntervalEnum)
  interval!: BillingInterval;

  @Field(() => Int, { nullable: true, description: 'Periods of `interval` per billing cycle; default 1.' })
  intervalCount?: number;

  @Field(() => Int, { nullable: true, description: 'Free days before the first invoice; default 0.' })
  trialDays?: number;
}

@InputType()
export class CreateCustomerInput {
  @Field()
  email!: string;

  @Field()
  name!: string;
}

@InputType()
export class SubscribeInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  planId!: string;

  @Field(() => Date, {
    nullable: true,
    description: "Overrides the plan's trial: when the trial ends. Null or a past instant: no trial.",
  })
  trialEnd?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Makes retries safe: the same key returns the same subscription. The Idempotency-Key header works too.',
  })
  idempotencyKey?: string | null;
}
