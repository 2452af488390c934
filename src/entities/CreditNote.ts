import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { Created } from './base.js';

export const CREDIT_NOTE_REASONS = [
  'DUPLICATE',
  'FRAUDULENT',
  'ORDER_CHANGE',
  'PRODUCT_UNSATISFACTORY',
  'SERVICE_ISSUE',
  'OTHER',
] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];
export const CreditNoteReasonEnum = Object.fromEntries(CREDIT_NOTE_REASONS.map((v) => [v, v])) as {
  [K in CreditNoteReason]: K;
};
registerEnumType(CreditNoteReasonEnum, { name: 'CreditNoteReason' });

/**
 * A document taking an amount off an invoice, numbered like invoices from its own counter. Its amount is used in
 * three parts that always add up (a database check): what it took off what the invoice still owed, what it gave
 * back to the customer's balance, and what it refunds through the provider. Issued once; never changed.
 */
@ObjectType({ description: 'A credit note: an amount taken off an invoice, with its reason and lines.' })
@Entity({ tableName: 'credit_notes' })
export class CreditNote extends Created {
  [OptionalProps]?: 'createdAt' | 'memo';

  /** Gapless per calendar year, e.g. CN-2026-000007. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  number!: string;

  @ManyToOne(() => Invoice, { deleteRule: 'restrict' })
  invoice!: Invoice;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Property({ type: minorUnits() })
  amount!: number;

  /** What it took off what the invoice still owed. */
  @Property({ type: minorUnits() })
  reducesRemaining!: number;

  /** Paid money given back as the customer's balance credit. */
  @Property({ type: minorUnits() })
  creditedToBalance!: number;

  /** Paid money given back through the provider. */
  @Property({ type: minorUnits() })
  refundAmount!: number;

  @Field(() => CreditNoteReasonEnum)
  @Enum({ items: () => CreditNoteReasonEnum, nativeEnumName: 'credit_note_reason' })
  reason!: CreditNoteReason;

  @Field(() => String, { nullable: true, description: 'Said to the customer on the document and in the email.' })
  @Property({ type: 'text', nullable: true })
  memo: string | null = null;

  /** From the caller: the same key issues one note. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  /** Who issued it (`user:<id>`). */
  @Property({ type: 'text' })
  issuedBy!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;
}
