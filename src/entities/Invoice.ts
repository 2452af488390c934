import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Subscription } from './Subscription.js';
import { Tracked } from './base.js';

import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/invoiceStatus.js';

export { INVOICE_STATUSES, type InvoiceStatus };
export const InvoiceStatusEnum = Object.fromEntries(INVOICE_STATUSES.map((v) => [v, v])) as {
  [K in InvoiceStatus]: K;
};
registerEnumType(InvoiceStatusEnum, { name: 'InvoiceStatus' });
export const InvoiceKindEnum = { PERIOD: 'PERIOD', PRORATION: 'PRORATION' } as const;
export type InvoiceKind = keyof typeof InvoiceKindEnum;
registerEnumType(InvoiceKindEnum, {
  name: 'InvoiceKind',
  description: 'PERIOD: one billing period. PRORATION: the rest of a period after a plan or quantity change.',
});

/**
 * One PERIOD invoice per subscription and billing period: enforced by a unique index, not just by code. PRORATION
 * invoices bill the rest of a period after a change, one per change.
 */
@ObjectType({ description: 'What a customer owes for one billing period of a subscription.' })
@Entity({ tableName: 'invoices' })
@Index({ properties: ['customer', 'createdAt'] })
export class Invoice extends Tracked {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'paidAt' | 'kind' | 'planChangeId' | 'creditApplied';

  /** Gapless per calendar year, e.g. INV-2026-000042. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  number!: string;

  @ManyToOne(() => Subscription, { deleteRule: 'restrict' })
  subscription!: Subscription;

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

  @Property({ type: minorUnits() })
  amountDue!: number;

  @Field()
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt: Date | null = null;
}
