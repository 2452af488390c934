// Events out in GraphQL: events, their deliveries and attempts, the endpoint payloads, and the inputs (derived from
// the use cases' zod schemas, as in inputs.ts).
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { z } from 'zod';
import { WebhookEndpoint } from '../../entities/index.js';
import { createWebhookEndpointSchema } from '../../webhooks/endpoints/createWebhookEndpoint.js';
import { rotateWebhookEndpointSecretSchema } from '../../webhooks/endpoints/rotateWebhookEndpointSecret.js';
import { updateWebhookEndpointSchema } from '../../webhooks/endpoints/updateWebhookEndpoint.js';
import { listEventsSchema } from '../../webhooks/listEvents.js';
import type { AttemptRow, DeliveryRow, DeliveryStatus, EventRow } from '../../webhooks/eventRows.js';
import { InputTypeRegistry } from './inputFromSchema.js';
import { PageInfo } from './connection.js';

const inputs = new InputTypeRegistry([]);
export const CreateWebhookEndpointInput = inputs.define('CreateWebhookEndpointInput', createWebhookEndpointSchema);
export const UpdateWebhookEndpointInput = inputs.define('UpdateWebhookEndpointInput', updateWebhookEndpointSchema);
export const RotateWebhookEndpointSecretInput = inputs.define(
  'RotateWebhookEndpointSecretInput',
  rotateWebhookEndpointSecretSchema,
);
export const EventFilter = inputs.define('EventFilter', listEventsSchema, 'Which events to list; all given must hold.');
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;
export type UpdateWebhookEndpointInput = z.input<typeof updateWebhookEndpointSchema>;
export type RotateWebhookEndpointSecretInput = z.input<typeof rotateWebhookEndpointSecretSchema>;
export type EventFilter = z.input<typeof listEventsSchema>;

export const EventDeliveryStatusEnum = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', FAILED: 'FAILED' } as const;
registerEnumType(EventDeliveryStatusEnum, {
  name: 'EventDeliveryStatus',
  description: 'PENDING: queued, in flight or waiting to retry. DELIVERED: answered 2xx. FAILED: gave up after 3 days.',
});

@ObjectType({ description: 'What a webhook endpoint is created or rotated with: the signing secret, shown only now.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({ description: 'Verify Billing-Signature with it (docs/webhooks.md). Store it safely.' }) secret!: string;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class EventDeliveryAttempt implements Omit<AttemptRow, 'deliveryId'> {
  @Field(() => Int) attempt!: number;
  @Field() attemptedAt!: Date;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came." })
  statusCode!: number | null;
  @Field(() => Int) latencyMs!: number;
  @Field(() => String, { nullable: true, description: 'The first 500 bytes of the answer.' })
  responseExcerpt!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'An event on its way to one endpoint.' })
export class EventDelivery implements DeliveryRow {
  @Field(() => ID) id!: string;
  @Field(() => ID) eventId!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => EventDeliveryStatusEnum) status!: DeliveryStatus;
  @Field(() => Int, { description: 'Attempts so far.' }) attempts!: number;
  @Field({ description: 'While PENDING: not before then.' }) nextAttemptAt!: Date;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field() createdAt!: Date;
}

@ObjectType({ description: 'Something that happened, as delivered to webhook endpoints (docs/webhooks.md).' })
export class BillingEvent implements Omit<EventRow, 'seq' | 'apiClientId'> {
  @Field(() => ID) id!: string;
  @Field({ description: 'e.g. invoice.paid.' }) type!: string;
  @Field({ description: 'The payload version, a date.' }) apiVersion!: string;
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true }) subscriptionId!: string | null;
  @Field(() => GraphQLJSONObject, { description: '{ object }: the object as it was when the event happened.' })
  data!: { object: Record<string, unknown> };
  @Field() createdAt!: Date;
}

@ObjectType()
export class BillingEventEdge {
  @Field() cursor!: string;
  @Field(() => BillingEvent) node!: BillingEvent;
}

@ObjectType({ description: 'Events oldest first: page on with `after` to catch up from where you left off.' })
export class BillingEventConnection {
  @Field(() => [BillingEventEdge]) edges!: BillingEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
