import { OptionalProps } from '@mikro-orm/core';
import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { PaybillPayment } from './PaybillPayment.js';
import { Created } from './base.js';

/** The part of a paybill payment that settled one invoice: once per (payment, invoice). */
@ObjectType({ description: 'What a paybill payment paid on one invoice.' })
@Entity({ tableName: 'paybill_allocations' })
export class PaybillAllocation extends Created {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => PaybillPayment, { deleteRule: 'restrict' })
  paybillPayment!: PaybillPayment;

  @ManyToOne(() => Invoice, { deleteRule: 'restrict' })
  invoice!: Invoice;

  @ManyToOne(() => Customer, { deleteRule: 'restrict' })
  customer!: Customer;

  @Property({ type: minorUnits() })
  amount!: number;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;
}
