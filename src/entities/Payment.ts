import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { PaymentProviderEnum, type PaymentProvider } from './paymentProvider.js';
import { Tracked } from './base.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../domain/paymentStatus.js';

export { PaymentProviderEnum, type PaymentProvider };

export const PaymentStatusEnum = Object.fromEntries(PAYMENT_STATUSES.map((v) => [v, v])) as {
  [K in PaymentStatus]: K;
};
export type { PaymentStatus };
registerEnumType(PaymentStatusEnum, { name: 'PaymentStatus' });

/** One charge attempt on an invoice, as the provider reported it. */
@ObjectType({ description: 'A charge attempt on an invoice through M-Pesa or PayPal.' })
@Entity({ tableName: 'payments' })
export class Payment extends Tracked {
  [OptionalProps]?:
    | 'providerReference'
    | 'failureCode'
    | 'failureMessage'
    | 'completedAt'
    | 'createdAt'
    | 'updatedAt'
    | 'paymentMethodSealed'
    | 'phoneDigest'
    | 'approvalUrl'
    | 'receiptNumber'
    | 'hardDecline'
    | 'amountRefunded';

  @ManyToOne(() => Invoice, { deleteRule: 'restrict' })
  invoice!: Invoice;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Field(() => PaymentProviderEnum)
  @Enum({ items: () => PaymentProviderEnum, nativeEnumName: 'payment_provider' })
  provider!: PaymentProvider;

  @Field(() => PaymentStatusEnum)
  @Enum({ items: () => PaymentStatusEnum, nativeEnumName: 'payment_status' })
  status!: PaymentStatus;

  @Field(() => Int, { description: '1 for the first attempt on the invoice, then each retry.' })
  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  /** What PENDING and SUCCEEDED refunds hold of the amount; a trigger on `refunds` keeps it (docs/refunds.md). */
  @Property({ type: minorUnits() })
  amountRefunded: number = 0;

  /** Derived from invoice and attempt; sent to the provider so a retried call cannot charge twice. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: 'M-Pesa CheckoutRequestID, or PayPal order id then capture id.' })
  @Property({ type: 'text', nullable: true })
  providerReference: string | null = null;

  /** The method this attempt charged, sealed like the subscription's (it may change after the attempt). */
  @Property({ type: 'text', nullable: true, lazy: true })
  paymentMethodSealed: string | null = null;

  /**
   * M-Pesa: a keyed digest of the charged phone (src/payments/mpesa/phoneDigest.ts), so that a callback can find the
   * payment it paid without opening every sealed method. Never exposed.
   */
  @Property({ type: 'text', nullable: true })
  phoneDigest: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'PayPal: where the buyer approves this first payment (while PENDING).',
  })
  @Property({ type: 'text', nullable: true })
  approvalUrl: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      "M-Pesa receipt number (e.g. NLJ7RT61SV), from Daraja's success callback, written when the callback is accepted: " +
      'a payment still PENDING may show it before STK Query confirms, and a payment STK Query confirmed first gets it ' +
      'when the callback arrives (a callback that never comes leaves it null: STK Query answers carry no receipt, and ' +
      'Daraja looks transactions up by their receipt); a payment that FAILED has none. The ' +
      "merchant's M-Pesa statement lists every payment under its account number, the invoice's (INV26000042 for " +
      'INV-2026-000042).',
  })
  @Property({ type: 'text', nullable: true })
  receiptNumber: string | null = null;

  @Field({ description: 'A decline that retrying will not fix: the customer must update the payment method.' })
  @Property({ type: 'boolean' })
  hardDecline: boolean = false;

  @Field(() => String, { nullable: true, description: "The provider's code, e.g. 1032 (cancelled by the customer)." })
  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}
