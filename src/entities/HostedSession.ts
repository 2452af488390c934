import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { registerEnumType } from 'type-graphql';
import { ApiClient } from './ApiClient.js';
import { Customer } from './Customer.js';
import { Plan } from './Plan.js';

export const HostedSessionKindEnum = { CHECKOUT: 'CHECKOUT', PORTAL: 'PORTAL' } as const;
export type HostedSessionKind = keyof typeof HostedSessionKindEnum;
registerEnumType(HostedSessionKindEnum, {
  name: 'HostedSessionKind',
  description: 'CHECKOUT: subscribe to one plan. PORTAL: manage subscriptions, invoices and the profile.',
});

/** A one-time link to a hosted page for one customer of a client app; only the token's digest is stored. */
@Entity({ tableName: 'hosted_sessions' })
export class HostedSession {
  [OptionalProps]?:
    'plan' | 'quantity' | 'couponCode' | 'successUrl' | 'cancelUrl' | 'returnUrl' | 'usedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => HostedSessionKindEnum, nativeEnumName: 'hosted_session_kind' })
  kind!: HostedSessionKind;

  @Property({ type: 'blob' })
  tokenHash!: Buffer;

  @ManyToOne(() => ApiClient, { deleteRule: 'cascade' })
  apiClient!: ApiClient;

  @ManyToOne(() => Customer, { deleteRule: 'cascade' })
  customer!: Customer;

  @ManyToOne(() => Plan, { nullable: true, deleteRule: 'restrict' })
  plan: Plan | null = null;

  @Property({ type: 'integer', nullable: true })
  quantity: number | null = null;

  @Property({ type: 'text', nullable: true })
  couponCode: string | null = null;

  @Property({ type: 'text', nullable: true })
  successUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  cancelUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  returnUrl: string | null = null;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
