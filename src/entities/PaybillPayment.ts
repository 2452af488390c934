import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Created } from './base.js';

export const PaybillPaymentStatusEnum = { MATCHED: 'MATCHED', UNMATCHED: 'UNMATCHED' } as const;
export type PaybillPaymentStatus = keyof typeof PaybillPaymentStatusEnum;
registerEnumType(PaybillPaymentStatusEnum, {
  name: 'PaybillPaymentStatus',
  description: 'MATCHED: applied to a customer. UNMATCHED: its account named nothing; waiting for an administrator.',
});

/**
 * Money a customer sent to the business's M-Pesa paybill from their phone (C2B), recorded once by its M-Pesa
 * receipt from the confirmation Safaricom sent. Matched to a customer (by the invoice or account number it named, or
 * by an administrator), it is spread over their open invoices (PaybillAllocation) and the rest goes to their balance.
 */
@ObjectType({ description: 'An M-Pesa paybill (C2B) payment: money the customer sent from their phone.' })
@Entity({ tableName: 'paybill_payments' })
export class PaybillPayment extends Created {
  [OptionalProps]?:
    | 'createdAt'
    | 'unmatchedReason'
    | 'customer'
    | 'appliedToInvoices'
    | 'creditedToBalance'
    | 'matchedBy'
    | 'matchedAt';

  @Field({ description: 'The M-Pesa receipt (TransID), e.g. RKTQDM7W6S: unique.' })
  @Property({ type: 'text' })
  transId!: string;

  @Field({ description: 'The paybill paid.' })
  @Property({ type: 'text' })
  shortCode!: string;

  @Field({ description: '"Pay Bill" or "Buy Goods", as M-Pesa says.' })
  @Property({ type: 'text' })
  transactionType!: string;

  @Field({ description: 'The account the customer typed (BillRefNumber), exactly as typed.' })
  @Property({ type: 'text' })
  billRefNumber!: string;

  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field({ description: "The payer's number as M-Pesa sent it (masked, e.g. 2547*****126)." })
  @Property({ type: 'text' })
  payerMsisdn!: string;

  @Field({ description: "The payer's name as M-Pesa sent it." })
  @Property({ type: 'text' })
  payerName!: string;

  @Field({ description: 'When M-Pesa completed the payment (TransTime).' })
  @Property({ type: 'timestamptz' })
  paidAt!: Date;

  @Field(() => PaybillPaymentStatusEnum)
  @Enum({ items: () => PaybillPaymentStatusEnum, nativeEnumName: 'paybill_payment_status' })
  status!: PaybillPaymentStatus;

  @Field(() => String, { nullable: true, description: 'Why it matched nothing (UNMATCHED only).' })
  @Property({ type: 'text', nullable: true })
  unmatchedReason: string | null = null;

  @ManyToOne(() => Customer, { nullable: true, deleteRule: 'restrict' })
  customer: Customer | null = null;

  @Property({ type: minorUnits() })
  appliedToInvoices: number = 0;

  @Property({ type: minorUnits() })
  creditedToBalance: number = 0;

  @Field(() => String, {
    nullable: true,
    description: '"account reference" when its account named the customer, or who assigned it (user:<id>).',
  })
  @Property({ type: 'text', nullable: true })
  matchedBy: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  matchedAt: Date | null = null;

  /** The confirmation as it arrived (webhook_events), kept whatever became of it. */
  @Property({ type: 'uuid' })
  webhookEventId!: string;
}
