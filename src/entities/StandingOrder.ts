import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { STANDING_ORDER_STATUSES, type StandingOrderStatus } from '../domain/standingOrders.js';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Subscription } from './Subscription.js';
import { Tracked } from './base.js';

export const StandingOrderStatusEnum = Object.fromEntries(STANDING_ORDER_STATUSES.map((v) => [v, v])) as {
  [K in StandingOrderStatus]: K;
};
export type { StandingOrderStatus };
registerEnumType(StandingOrderStatusEnum, {
  name: 'StandingOrderStatus',
  description:
    'PENDING_APPROVAL: on the customer’s phone. ACTIVE: approved, collecting. DECLINED: refused or never answered. ' +
    'LAPSED: a period went unpaid by it (cancelled from the phone?): renewals prompt by STK. CANCELLED: ended by us.',
});

/** The workflow that puts one order on the customer's phone and waits for their answer (src/workflows/standingOrder.ts). */
export const standingOrderWorkflowId = (standingOrderId: string) => `standing-order-${standingOrderId}`;

/** An M-Pesa Ratiba standing order collecting a subscription's invoices (docs/ratiba.md). */
@ObjectType({ description: 'An M-Pesa Ratiba standing order: a recurring payment the customer approved once.' })
@Entity({ tableName: 'standing_orders' })
export class StandingOrder extends Tracked {
  [OptionalProps]?:
    | 'providerReference'
    | 'transactionId'
    | 'failureCode'
    | 'failureMessage'
    | 'approvedAt'
    | 'endedAt'
    | 'createdAt'
    | 'updatedAt';

  @ManyToOne(() => Subscription, { deleteRule: 'restrict' })
  subscription!: Subscription;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  /** What each collection pays, in minor units (whole shillings: M-Pesa moves no cents). */
  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field(() => Int, { description: 'Daraja’s Frequency: 2 daily, 3 weekly, 4 monthly, … 8 yearly.' })
  @Property({ type: 'smallint' })
  frequency!: number;

  @Field({ description: 'The first collection day, in East Africa Time as Safaricom counts days.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field({ description: 'The last day it may collect, in East Africa Time.' })
  @Property({ type: 'date' })
  endDate!: string;

  @Field({ description: 'The account each collection names: the customer’s account number.' })
  @Property({ type: 'text' })
  accountReference!: string;

  @Field(() => StandingOrderStatusEnum)
  @Enum({ items: () => StandingOrderStatusEnum, nativeEnumName: 'standing_order_status' })
  status!: StandingOrderStatus;

  /** Daraja's responseRefID for the request, which its result callback carries back. */
  @Property({ type: 'text', nullable: true, unique: true })
  providerReference: string | null = null;

  @Field(() => String, { nullable: true, description: 'M-Pesa’s id of the approved order.' })
  @Property({ type: 'text', nullable: true })
  transactionId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why it was declined: M-Pesa’s code.' })
  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  @Field(() => String, { nullable: true, description: 'Why it was declined or lapsed, in words.' })
  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was declined, lapsed or cancelled.' })
  @Property({ type: 'timestamptz', nullable: true })
  endedAt: Date | null = null;
}
