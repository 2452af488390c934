import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';

export const PaymentProviderEnum = { MPESA: 'MPESA', PAYPAL: 'PAYPAL' } as const;
export type PaymentProvider = keyof typeof PaymentProviderEnum;
export const PaymentStatusEnum = {
  PENDING: 'PENDING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
  REFUNDED: 'REFUNDED',
} as const;
export type PaymentStatus = keyof typeof PaymentStatusEnum;
registerEnumType(PaymentProviderEnum, { name: 'PaymentProvider' });
registerEnumType(PaymentStatusEnum, { name: 'PaymentStatus' });

/** One charge attempt on an invoice, as the provider reported it. */
@ObjectType({ description: 'A charge attempt on an invoice through M-Pesa or PayPal.' })
@Entity({ tableName: 'payments' })
export class Payment {
  [OptionalProps]?: 'providerReference' | 'failureCode' | 'failureMessage' | 'completedAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

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

  /** Derived from invoice and attempt; sent to the provider so a retried call cannot charge twice. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: 'M-Pesa receipt or PayPal capture id.' })
  @Property({ type: 'text', nullable: true })
  providerReference: string | null = null;

  @Field(() => String, { nullable: true, description: "The provider's code, e.g. 1032 (cancelled by the customer)." })
  @Property({ type: 'text', nullable: true })
  failureCode: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
