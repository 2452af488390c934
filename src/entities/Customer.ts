import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ApiClient } from './ApiClient.js';
import { Address, NotificationPreferences } from './embedded.js';
import { Tracked } from './base.js';

export const CustomerStatusEnum = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED' } as const;
export type CustomerStatus = keyof typeof CustomerStatusEnum;
registerEnumType(CustomerStatusEnum, { name: 'CustomerStatus' });

@ObjectType({ description: 'Who pays: the billing profile of a customer of a client app.' })
@Entity({ tableName: 'customers' })
export class Customer extends Tracked {
  [OptionalProps]?:
    | 'apiClient'
    | 'externalId'
    | 'phone'
    | 'address'
    | 'billingAddress'
    | 'locale'
    | 'preferences'
    | 'status'
    | 'deletedAt'
    | 'accountNumber'
    | 'kraPin'
    | 'taxExempt'
    | 'createdAt'
    | 'updatedAt';

  /** The app that owns this customer; null for customers who registered themselves. */
  @ManyToOne(() => ApiClient, { nullable: true, deleteRule: 'restrict' })
  apiClient: ApiClient | null = null;

  @Field(() => String, { nullable: true, description: "The client app's own id for this customer, unique per app." })
  @Property({ type: 'text', nullable: true })
  externalId: string | null = null;

  @Field()
  @Property({ type: 'text' })
  email!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'E.164, e.g. +254712345678.' })
  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Field(() => Address, { nullable: true })
  @Property({ type: 'json', nullable: true })
  address: Address | null = null;

  @Field(() => Address, { nullable: true })
  @Property({ type: 'json', nullable: true })
  billingAddress: Address | null = null;

  @Field({ description: 'BCP 47, e.g. en-KE: how money and dates are written to this customer.' })
  @Property({ type: 'text' })
  locale: string = 'en-KE';

  @Field(() => NotificationPreferences)
  @Property({ type: 'json' })
  preferences: NotificationPreferences = new NotificationPreferences();

  @Field(() => CustomerStatusEnum)
  @Enum({ items: () => CustomerStatusEnum, nativeEnumName: 'customer_status' })
  status: CustomerStatus = 'ACTIVE';

  @Field({
    description:
      'What the customer types as the account when paying the M-Pesa paybill from their phone, e.g. ACC000042 ' +
      '(any case): the payment goes to their open invoices, oldest first, and the rest to their balance.',
  })
  /** Given by the database (a sequence) when the row is written. */
  @Property({ type: 'text', defaultRaw: `'ACC' || lpad(nextval('customer_account_numbers')::text, 6, '0')` })
  accountNumber!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: "The customer's KRA PIN (A123456789Z), printed on their invoices.",
  })
  @Property({ type: 'text', nullable: true })
  kraPin: string | null = null;

  @Field({ description: 'Holds a VAT exemption: every line billed to them is EXEMPT.' })
  @Property({ type: 'boolean' })
  taxExempt: boolean = false;
}
