import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { WebhookEndpoint } from '../../entities/index.js';
import { requireCaller } from '../../kernel/policy.js';
import { appOf } from '../../webhooks/endpoints/endpointAccess.js';
import { createWebhookEndpoint } from '../../webhooks/endpoints/createWebhookEndpoint.js';
import { deleteWebhookEndpoint } from '../../webhooks/endpoints/deleteWebhookEndpoint.js';
import { rotateWebhookEndpointSecret } from '../../webhooks/endpoints/rotateWebhookEndpointSecret.js';
import { updateWebhookEndpoint } from '../../webhooks/endpoints/updateWebhookEndpoint.js';
import { eventCursor, findEvent, listEvents } from '../../webhooks/listEvents.js';
import { resendEvent } from '../../webhooks/resendEvent.js';
import { EVENT_TYPES } from '../../webhooks/eventCatalog.js';
import type { GraphQLContext } from '../context.js';
import { PageInfo } from '../types/connection.js';
import {
  BillingEvent,
  BillingEventConnection,
  BillingEventEdge,
  CreateWebhookEndpointInput,
  EventDelivery,
  EventDeliveryAttempt,
  EventFilter,
  RotateWebhookEndpointSecretInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointWithSecret,
} from '../types/webhooks.js';

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpoint], {
    description: "An app's webhook endpoints (its own; administrators: any app's, or all). Needs read:events.",
  })
  webhookEndpoints(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('apiClientId', () => ID, { nullable: true }) apiClientId?: string | null,
  ): Promise<WebhookEndpoint[]> {
    const app = appOf(caller, 'read:events', apiClientId);
    return em.find(WebhookEndpoint, app ? { apiClient: app } : {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @Query(() => [String], { description: 'Every event type an endpoint can ask for (docs/webhooks.md).' })
  eventTypes(@Ctx() { caller }: GraphQLContext): string[] {
    requireCaller(caller);
    return Object.keys(EVENT_TYPES);
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'Needs write:webhooks. The secret is shown only now.' })
  createWebhookEndpoint(
    @Ctx() { em, caller, payments, webhooks }: GraphQLContext,
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    return createWebhookEndpoint(em, caller, { cipher: payments.cipher, policy: webhooks }, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Change, disable (enabled: false) or enable an endpoint.' })
  updateWebhookEndpoint(
    @Ctx() { em, caller, webhooks }: GraphQLContext,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return updateWebhookEndpoint(em, caller, webhooks, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Deletes the endpoint and its queued deliveries.' })
  deleteWebhookEndpoint(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return deleteWebhookEndpoint(em, caller, id);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new signing secret; the previous one also signs for graceHours (default 24).',
  })
  rotateWebhookEndpointSecret(
    @Ctx() { em, caller, payments }: GraphQLContext,
    @Arg('input', () => RotateWebhookEndpointSecretInput) input: RotateWebhookEndpointSecretInput,
  ): Promise<WebhookEndpointWithSecret> {
    return rotateWebhookEndpointSecret(em, caller, payments.cipher, input);
  }

  @FieldResolver(() => [EventDelivery], { description: 'The latest deliveries to this endpoint, newest first.' })
  deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
  ): Promise<EventDelivery[]> {
    return loaders.deliveriesByEndpoint(Math.min(Math.max(first, 1), 100)).load(endpoint.id);
  }
}

@Resolver(() => BillingEvent)
export class BillingEventResolver {
  @Query(() => BillingEventConnection, {
    description: "Events, oldest first (an app: its own; administrators: every app's). Needs read:events.",
  })
  async events(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => EventFilter, { nullable: true }) filter?: EventFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<BillingEventConnection> {
    const page = await listEvents(em, caller, filter ?? {}, { first, after });
    return Object.assign(new BillingEventConnection(), {
      edges: page.nodes.map((node) => Object.assign(new BillingEventEdge(), { cursor: eventCursor(node), node })),
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
    });
  }

  @Query(() => BillingEvent, { nullable: true })
  event(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return findEvent(em, caller, id);
  }

  @Mutation(() => [EventDelivery], {
    description: 'Delivers an event again now: to one endpoint, or to every endpoint of its app that takes its type.',
  })
  resendEvent(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('eventId', () => ID) eventId: string,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId?: string | null,
  ) {
    return resendEvent(em, caller, eventId, endpointId);
  }

  @FieldResolver(() => [EventDelivery], { description: "To the app's endpoints." })
  deliveries(@Root() event: BillingEvent, @Ctx() { loaders }: GraphQLContext): Promise<EventDelivery[]> {
    return loaders.deliveriesByEvent.load(event.id);
  }
}

@Resolver(() => EventDelivery)
export class EventDeliveryResolver {
  @FieldResolver(() => [EventDeliveryAttempt], { description: 'Every HTTP attempt, oldest first.' })
  attemptLog(@Root() delivery: EventDelivery, @Ctx() { loaders }: GraphQLContext): Promise<EventDeliveryAttempt[]> {
    return loaders.attemptsByDelivery.load(delivery.id);
  }
}
