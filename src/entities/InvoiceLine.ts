import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Invoice } from './Invoice.js';
import { Identified } from './base.js';
import { TaxCategoryEnum } from './taxCategory.js';
import type { TaxCategory } from '../domain/taxCategories.js';

export const INVOICE_LINE_KINDS = ['PLAN', 'PRORATION_CREDIT', 'PRORATION_CHARGE', 'DISCOUNT', 'TAX', 'ITEM'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];
export const InvoiceLineKindEnum = Object.fromEntries(INVOICE_LINE_KINDS.map((v) => [v, v])) as {
  [K in InvoiceLineKind]: K;
};
registerEnumType(InvoiceLineKindEnum, { name: 'InvoiceLineKind' });

@ObjectType({ description: 'One line of an invoice; amounts in minor units of the invoice currency.' })
@Entity({ tableName: 'invoice_lines' })
@Unique({ name: 'invoice_lines_invoice_position_unique', properties: ['invoice', 'position'] })
export class InvoiceLine extends Identified {
  [OptionalProps]?: 'quantity' | 'taxCategory' | 'taxRateBasisPoints' | 'itemClassificationCode';

  @ManyToOne(() => Invoice, { deleteRule: 'cascade' })
  invoice!: Invoice;

  @Property({ type: 'integer' })
  position!: number;

  @Field(() => InvoiceLineKindEnum)
  @Enum({ items: () => InvoiceLineKindEnum, nativeEnumName: 'invoice_line_kind' })
  kind!: InvoiceLineKind;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity: number = 1;

  @Property({ type: minorUnits() })
  unitAmount!: number;

  @Property({ type: minorUnits() })
  amount!: number;

  @Field()
  @Property({ type: 'timestamptz' })
  periodStart!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  periodEnd!: Date;

  @Field(() => TaxCategoryEnum, {
    nullable: true,
    description:
      'The category this line was taxed under (a TAX line: the category it taxes); null on invoices written before categories.',
  })
  @Enum({ items: () => TaxCategoryEnum, nullable: true, columnType: 'text' })
  taxCategory: TaxCategory | null = null;

  @Field(() => Int, { nullable: true, description: 'The rate it was taxed at, in basis points (0 unless STANDARD).' })
  @Property({ type: 'integer', nullable: true })
  taxRateBasisPoints: number | null = null;

  /** The KRA item classification code of the product it bills, when the product has one (sent to eTIMS). */
  @Property({ type: 'text', nullable: true })
  itemClassificationCode: string | null = null;
}
