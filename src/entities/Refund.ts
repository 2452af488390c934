import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { Payment } from './Payment.js';
import { PaymentProviderEnum, type PaymentProvider } from './paymentProvider.js';
import { Tracked } from './base.js';
import { REFUND_STATUSES, type RefundStatus } from '../domain/refundStatus.js';

export const RefundStatusEnum = Object.fromEntries(REFUND_STATUSES.map((v) => [v, v])) as {
  [K in RefundStatus]: K;
};
export type { RefundStatus };
registerEnumType(RefundStatusEnum, { name: 'RefundStatus' });

/** The workflow that carries one refund out (src/workflows/refund.ts). */
export const refundWorkflowId = (refundId: string) => `refund-${refundId}`;

/** Money given back on a successful payment, through the provider that took it (docs/refunds.md). */
@ObjectType({ description: 'Money given back on a successful M-Pesa or PayPal payment.' })
@Entity({ tableName: 'refunds' })
export class Refund extends Tracked {
  [OptionalProps]?:
    | 'providerReference'
    | 'providerRequestId'
    | 'providerRequestedAt'
    | 'failureCode'
    | 'failureMessage'
    | 'creditNoteId'
    | 'mpesaMethod'
    | 'completedAt'
    | 'createdAt'
    | 'updatedAt';

  @ManyToOne(() => Payment, { deleteRule: 'restrict' })
  payment!: Payment;

  @ManyToOne(() => Invoice, { deleteRule: 'restrict' })
  invoice!: Invoice;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Field(() => PaymentProviderEnum)
  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider' })
  provider!: PaymentProvider;

  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field(() => RefundStatusEnum)
  @Enum({ items: () => RefundStatusEnum, nativeEnumName: 'refund_status' })
  status!: RefundStatus;

  @Field()
  @Property({ type: 'text' })
  reason!: string;

  /** The caller's key: a repeated request with it returns this refund instead of making a second one. */
  @Property({ type: 'text', unique: true })
  idempotencyKey!: string;

  @Field(() => String, {
    nullable: true,
    description: 'PayPal refund id; M-Pesa: the reversal ConversationID, then the reversal receipt number.',
  })
  @Property({ type: 'text', nullable: true })
  providerReference: string | null = null;

  /** M-Pesa: the OriginatorConversationID Daraja gave the reversal request (callbacks are matched by it). */
  @Property({ type: 'text', nullable: true })
  providerRequestId: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'M-Pesa only: REVERSAL (the whole transaction given back) or B2C (sent to the phone that paid: a partial refund).',
  })
  @Property({ type: 'text', nullable: true })
  mpesaMethod: 'REVERSAL' | 'B2C' | null = null;

  /** Committed before the provider is first called: a retry that finds it set asks before it asks again. */
  @Property({ type: 'timestamptz', nullable: true })
  providerRequestedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  @Field(() => ID, { nullable: true, description: 'The credit note this refund pays out, if any.' })
  @Property({ type: 'uuid', nullable: true })
  creditNoteId: string | null = null;

  /** Who asked: `USER:<id>`, `API_CLIENT:<id>` (the audit event has the rest). */
  @Property({ type: 'text' })
  requestedBy!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}
