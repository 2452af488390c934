import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Subscription } from './Subscription.js';
import { Tracked } from './base.js';
import { PaymentProviderEnum, type PaymentProvider } from './paymentProvider.js';

import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/invoiceStatus.js';

export { INVOICE_STATUSES, type InvoiceStatus };
export const InvoiceStatusEnum = Object.fromEntries(INVOICE_STATUSES.map((v) => [v, v])) as {
  [K in InvoiceStatus]: K;
};
registerEnumType(InvoiceStatusEnum, { name: 'InvoiceStatus' });
export const InvoiceKindEnum = { PERIOD: 'PERIOD', PRORATION: 'PRORATION', ONE_OFF: 'ONE_OFF' } as const;
export type InvoiceKind = keyof typeof InvoiceKindEnum;
export const InvoiceCollectionEnum = { AUTOMATIC: 'AUTOMATIC', SEND: 'SEND' } as const;
export type InvoiceCollection = keyof typeof InvoiceCollectionEnum;
registerEnumType(InvoiceCollectionEnum, { name: 'InvoiceCollection' });
registerEnumType(InvoiceKindEnum, {
  name: 'InvoiceKind',
  description:
    'PERIOD: one billing period. PRORATION: the rest of a period after a plan or quantity change. ONE_OFF: a charge ' +
    'outside any subscription.',
});

/**
 * One PERIOD invoice per subscription and billing period: enforced by a unique index, not just by code. PRORATION
 * invoices bill the rest of a period after a change, one per change.
 */
@ObjectType({ description: 'What a customer owes for one billing period of a subscription.' })
@Entity({ tableName: 'invoices' })
@Index({ properties: ['customer', 'createdAt'] })
export class Invoice extends Tracked {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'paidAt'
    | 'kind'
    | 'planChangeId'
    | 'creditApplied'
    | 'amountPaid'
    | 'amountCredited'
    | 'amountCreditedAfterPayment'
    | 'amountRemaining'
    | 'collection'
    | 'paymentProvider'
    | 'paymentMethodSealed'
    | 'description'
    | 'idempotencyKey'
    | 'etimsReceiptNumber'
    | 'etimsSignature'
    | 'etimsInternalData'
    | 'etimsQrCodeUrl'
    | 'etimsSignedAt'
    | 'etimsAttempts'
    | 'etimsNextAttemptAt'
    | 'etimsLastError';

  /** Gapless per calendar year, e.g. INV-2026-000042. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  number!: string;

  /** Null for ONE_OFF invoices only (a check). */
  @ManyToOne(() => Subscription, { deleteRule: 'restrict', nullable: true })
  subscription!: Subscription | null;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Field(() => InvoiceKindEnum)
  @Enum({ items: () => InvoiceKindEnum, nativeEnumName: 'invoice_kind' })
  kind: InvoiceKind = 'PERIOD';

  /** The plan change a PRORATION invoice bills (its idempotency key). */
  @Property({ type: 'uuid', nullable: true })
  planChangeId: string | null = null;

  @Field(() => InvoiceStatusEnum)
  @Enum({ items: () => InvoiceStatusEnum, nativeEnumName: 'invoice_status' })
  status!: InvoiceStatus;

  @Field(() => Int, { description: 'Which billing period of the subscription (0 is the first).' })
  @Property({ type: 'integer' })
  periodIndex!: number;

  @Field()
  @Property({ type: 'timestamptz' })
  periodStart!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  periodEnd!: Date;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Property({ type: minorUnits() })
  subtotal!: number;

  @Property({ type: minorUnits() })
  total!: number;

  /** Taken from the customer's credit balance (src/billing/customerCredit.ts); amountDue is total less this. */
  @Property({ type: minorUnits() })
  creditApplied: number = 0;

  /** Total less the credit applied at issue: what was to be collected. Fixed once issued. */
  @Property({ type: minorUnits() })
  amountDue!: number;

  /** What payments (charges and offline payments) have settled of it; an overpayment went to the balance. */
  @Property({ type: minorUnits() })
  amountPaid: number = 0;

  /** The sum of its credit notes (src/creditNotes/). */
  @Property({ type: minorUnits() })
  amountCredited: number = 0;

  /** The part of amountCredited given back from money already paid (as balance or a refund), not owed any more. */
  @Property({ type: minorUnits() })
  amountCreditedAfterPayment: number = 0;

  /**
   * Still to collect: amountDue - (amountCredited - amountCreditedAfterPayment) - amountPaid, computed by Postgres
   * (a generated column, never negative by a check), so code cannot make it drift. Charges ask for this.
   */
  @Property({
    type: minorUnits(),
    generated: '("amount_due" - ("amount_credited" - "amount_credited_after_payment") - "amount_paid") stored',
  })
  amountRemaining!: number;

  @Field(() => InvoiceCollectionEnum, {
    description: 'AUTOMATIC: charged with a payment method. SEND: emailed for the customer to pay.',
  })
  @Property({ type: 'text' })
  collection: InvoiceCollection = 'AUTOMATIC';

  /** ONE_OFF invoices collected AUTOMATIC: the method to charge, sealed like a subscription's. */
  @Field(() => PaymentProviderEnum, { nullable: true })
  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider', nullable: true })
  paymentProvider: PaymentProvider | null = null;

  @Property({ type: 'text', nullable: true, lazy: true })
  paymentMethodSealed: string | null = null;

  @Field(() => String, { nullable: true, description: 'ONE_OFF invoices: what it is for, as the customer sees it.' })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** ONE_OFF invoices: the caller's key, unique. */
  @Property({ type: 'text', nullable: true })
  idempotencyKey: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'KRA eTIMS receipt number; null until the invoice is signed.' })
  @Property({ type: 'text', nullable: true })
  etimsReceiptNumber: string | null = null;

  @Field(() => String, { nullable: true, description: "The eTIMS control unit's signature." })
  @Property({ type: 'text', nullable: true })
  etimsSignature: string | null = null;

  @Field(() => String, { nullable: true, description: "The eTIMS control unit's internal data." })
  @Property({ type: 'text', nullable: true })
  etimsInternalData: string | null = null;

  @Field(() => String, { nullable: true, description: "Where the invoice's QR code points: KRA's receipt check." })
  @Property({ type: 'text', nullable: true })
  etimsQrCodeUrl: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  etimsSignedAt: Date | null = null;

  /** Times the worker offered the invoice to eTIMS without a receipt (src/tax/etims/etimsSubmissionLoop.ts). */
  @Property({ type: 'int', default: 0 })
  etimsAttempts = 0;

  /** When the worker may offer it again; while a worker is submitting it, the end of that worker's lease. */
  @Property({ type: 'timestamptz', nullable: true })
  etimsNextAttemptAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Why eTIMS has not signed the invoice yet, as the control unit (or the way to it) last said.',
  })
  @Property({ type: 'text', nullable: true })
  etimsLastError: string | null = null;
}
