import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from './Customer.js';
import { Created } from './base.js';

export const USER_ROLES = ['ADMIN', 'CUSTOMER'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const UserRoleEnum = { ADMIN: 'ADMIN', CUSTOMER: 'CUSTOMER' } as const;
registerEnumType(UserRoleEnum, {
  name: 'UserRole',
  description: 'ADMIN sees everything; CUSTOMER only their own data.',
});

@ObjectType({ description: 'A person who signs in: an operator (ADMIN) or a customer managing their subscriptions.' })
@Entity({ tableName: 'users' })
export class User extends Created {
  [OptionalProps]?: 'customer' | 'emailVerifiedAt' | 'disabledAt' | 'createdAt' | 'updatedAt';

  @Field()
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field(() => UserRoleEnum)
  @Enum({ items: () => UserRoleEnum, nativeEnumName: 'user_role' })
  role!: UserRole;

  @ManyToOne(() => Customer, { nullable: true, deleteRule: 'set null' })
  customer: Customer | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
