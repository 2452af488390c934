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

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
