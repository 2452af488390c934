import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { Created } from './base.js';

export const OFFLINE_PAYMENT_METHODS = ['BANK_TRANSFER', 'CASH', 'CHEQUE', 'OTHER'] as const;
export type OfflinePaymentMethod = (typeof OFFLINE_PAYMENT_METHODS)[number];
export const OfflinePaymentMethodEnum = Object.fromEntries(OFFLINE_PAYMENT_METHODS.map((v) => [v, v])) as {
  [K in OfflinePaymentMethod]: K;
};
registerEnumType(OfflinePaymentMethodEnum, { name: 'OfflinePaymentMethod' });

/**
 * Money an administrator received outside the providers (a bank transfer, cash, a cheque) and recorded against an
 * invoice. Written once, never changed: a mistake is corrected by a credit note. What it paid beyond the invoice is
 * the customer's balance credit.
 */
@ObjectType({ description: 'A payment received outside M-Pesa and PayPal, recorded by an administrator.' })
@Entity({ tableName: 'offline_payments' })
@Index({ properties: ['receivedAt', 'id'] })
export class OfflinePayment extends Created {
  [OptionalProps]?: 'createdAt' | 'note';

  @ManyToOne(() => Invoice, { deleteRule: 'restrict' })
  invoice!: Invoice;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Field(() => OfflinePaymentMethodEnum)
  @Enum({ items: () => OfflinePaymentMethodEnum, nativeEnumName: 'offline_payment_method' })
  method!: OfflinePaymentMethod;

  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  /** What it settled of the invoice. */
  @Property({ type: minorUnits() })
  appliedToInvoice!: number;

  /** What it paid beyond the invoice, granted to the customer's balance. */
  @Property({ type: minorUnits() })
  creditedToBalance!: number;

  @Field({ description: "The bank's, cheque's or receipt's reference: unique per customer and method." })
  @Property({ type: 'text' })
  reference!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Field({ description: 'When the money arrived, as the administrator recorded it.' })
  @Property({ type: 'timestamptz' })
  receivedAt!: Date;

  /** Who recorded it (`user:<id>`). */
  @Property({ type: 'text' })
  recordedBy!: string;
}
