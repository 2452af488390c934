import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ApiClient } from './ApiClient.js';
import { Tracked } from './base.js';

export const WEBHOOK_ENDPOINT_STATUSES = ['ENABLED', 'DISABLED', 'FAILING'] as const;
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number];
export const WebhookEndpointStatusEnum = Object.fromEntries(WEBHOOK_ENDPOINT_STATUSES.map((v) => [v, v])) as {
  [K in WebhookEndpointStatus]: K;
};
registerEnumType(WebhookEndpointStatusEnum, {
  name: 'WebhookEndpointStatus',
  description:
    'ENABLED: receiving. DISABLED: turned off, nothing queued for it. FAILING: a delivery failed for 3 days; still tried, ENABLED again after a success.',
});

/** Where a client app receives events; the signing secret is sealed (the worker opens it to sign). */
@ObjectType({ description: "A client app's receiver of events (docs/webhooks.md)." })
@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpoint extends Tracked {
  [OptionalProps]?:
    | 'status'
    | 'description'
    | 'previousSecretSealed'
    | 'previousSecretExpiresAt'
    | 'failingSince'
    | 'createdAt'
    | 'updatedAt';

  @ManyToOne(() => ApiClient, { deleteRule: 'cascade' })
  apiClient!: ApiClient;

  @Field({ description: 'Where deliveries are POSTed.' })
  @Property({ type: 'text' })
  url!: string;

  @Field(() => [String], { description: "The event types it receives; ['*'] for all of them." })
  @Property({ type: 'text[]' })
  eventTypes!: string[];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => WebhookEndpointStatusEnum)
  @Enum({ items: () => WebhookEndpointStatusEnum, nativeEnumName: 'webhook_endpoint_status' })
  status: WebhookEndpointStatus = 'ENABLED';

  @Property({ type: 'text', hidden: true })
  secretSealed!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  previousSecretSealed: string | null = null;

  @Field(() => Date, {
    nullable: true,
    description: 'After a rotation: until when deliveries are also signed with the previous secret.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was marked FAILING.' })
  @Property({ type: 'timestamptz', nullable: true })
  failingSince: Date | null = null;
}
