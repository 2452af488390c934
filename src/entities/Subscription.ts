import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { Coupon } from './Coupon.js';
import { Customer } from './Customer.js';
import { PaymentProviderEnum, type PaymentProvider } from './paymentProvider.js';
import { Plan } from './Plan.js';
import { Tracked } from './base.js';

export const SubscriptionStatusEnum = Object.fromEntries(SUBSCRIPTION_STATUSES.map((v) => [v, v])) as {
  [K in SubscriptionStatus]: K;
};
registerEnumType(SubscriptionStatusEnum, { name: 'SubscriptionStatus', description: 'See docs/states.md.' });

export function subscriptionWorkflowId(subscriptionId: string): string {
  return `subscription-${subscriptionId}`;
}

@ObjectType({ description: 'A customer on a plan; its lifecycle runs as the Temporal workflow `subscription-<id>`.' })
@Entity({ tableName: 'subscriptions' })
@Index({ properties: ['customer', 'status'] })
export class Subscription extends Tracked {
  [OptionalProps]?:
    | 'quantity'
    | 'coupon'
    | 'trialStart'
    | 'trialEnd'
    | 'currentPeriodStart'
    | 'currentPeriodEnd'
    | 'idempotencyKey'
    | 'createdAt'
    | 'updatedAt'
    | 'workflowId'
    | 'paymentProvider'
    | 'paymentMethodSealed'
    | 'paymentMethodLabel'
    | 'cancelAtPeriodEnd'
    | 'canceledAt'
    | 'endedAt'
    | 'endReason'
    | 'pausedAt'
    | 'resumesAtPeriod'
    | 'pendingPlan'
    | 'pendingQuantity'
    | 'pendingChangeAtPeriod';

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @ManyToOne(() => Plan, { deleteRule: 'restrict', index: true })
  plan!: Plan;

  @Field(() => Int, { description: 'Units billed (seats); tiered plans price by it.' })
  @Property({ type: 'integer' })
  quantity: number = 1;

  @ManyToOne(() => Coupon, { nullable: true, deleteRule: 'restrict' })
  coupon: Coupon | null = null;

  /** The billing period (0 = the first billed) the coupon was redeemed in: its duration counts from there. */
  @Property({ type: 'integer', nullable: true })
  couponRedeemedAtPeriod: number | null = null;

  @Field(() => SubscriptionStatusEnum)
  @Enum({ items: () => SubscriptionStatusEnum, nativeEnumName: 'subscription_status' })
  status!: SubscriptionStatus;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  trialStart: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  trialEnd: Date | null = null;

  /** Where billing periods are counted from: the trial end, or the start when there is no trial. */
  @Field()
  @Property({ type: 'timestamptz' })
  billingAnchor!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  currentPeriodStart: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  currentPeriodEnd: Date | null = null;

  /** Who collects: null means invoices are sent for the customer to pay (payInvoice), nothing is charged. */
  @Field(() => PaymentProviderEnum, { nullable: true })
  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider', nullable: true })
  paymentProvider: PaymentProvider | null = null;

  /** The phone or PayPal vault id, sealed (src/payments/paymentMethods.ts); never exposed. */
  @Property({ type: 'text', nullable: true, lazy: true })
  paymentMethodSealed: string | null = null;

  @Field(() => String, { nullable: true, description: 'The payment method, masked: e.g. "M-Pesa •••• 5678".' })
  @Property({ type: 'text', nullable: true })
  paymentMethodLabel: string | null = null;

  /** A change waiting for the period end: the plan and quantity the next period's invoice bills. */
  @ManyToOne(() => Plan, { nullable: true, deleteRule: 'restrict' })
  pendingPlan: Plan | null = null;

  @Field(() => Int, { nullable: true, description: 'The quantity from the next period on, when a change waits.' })
  @Property({ type: 'integer', nullable: true })
  pendingQuantity: number | null = null;

  @Field(() => Int, { nullable: true, description: 'The period from which a waiting plan change applies.' })
  @Property({ type: 'integer', nullable: true })
  pendingChangeAtPeriod: number | null = null;

  @Field(() => Date, { nullable: true, description: 'When collection was paused (while PAUSED).' })
  @Property({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null = null;

  @Field(() => Int, {
    nullable: true,
    description: 'While PAUSED: the period at which billing resumes by itself; null: until resumeSubscription.',
  })
  @Property({ type: 'integer', nullable: true })
  resumesAtPeriod: number | null = null;

  @Field({ description: 'Ends when the current period ends (reversible until then with uncancelSubscription).' })
  @Property({ type: 'boolean' })
  cancelAtPeriodEnd: boolean = false;

  @Field(() => Date, { nullable: true, description: 'When cancellation was asked for.' })
  @Property({ type: 'timestamptz', nullable: true })
  canceledAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the subscription ended (CANCELED or INCOMPLETE_EXPIRED).' })
  @Property({ type: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it ended: CANCELED_BY_REQUEST, CANCELED_AT_PERIOD_END, PAYMENT_FAILED, FIRST_PAYMENT_EXPIRED or TRIAL_ENDED_WITHOUT_PAYMENT_METHOD.',
  })
  @Property({ type: 'text', nullable: true })
  endReason: string | null = null;

  /** The client's Idempotency-Key for `subscribe`: a repeated request returns this subscription. */
  @Unique()
  @Property({ type: 'text', nullable: true })
  idempotencyKey: string | null = null;

  @Field({ description: 'Temporal workflow id, for finding this subscription in the Temporal UI.' })
  get workflowId(): string {
    return subscriptionWorkflowId(this.id);
  }
}
