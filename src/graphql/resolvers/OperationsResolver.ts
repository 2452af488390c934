import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { OutboxMessage, Payment, Subscription, WebhookEvent } from '../../entities/index.js';
import { requireAdmin } from '../../kernel/policy.js';
import { providerDeliveries, type DeliverySort } from '../../operations/providerDeliveries.js';
import { failedNotices, resendNotice } from '../../operations/notices.js';
import {
  checkPaymentNow,
  startSubscriptionWorkflow,
  stuckPayments,
  subscriptionsWithoutWorkflow,
} from '../../operations/stuckSubscriptions.js';
import type { GraphQLContext } from '../context.js';
import type { SortDirection } from '../pagination.js';
import { connectionType } from '../types/connection.js';
import { SortDirectionEnum } from '../types/inputs.js';
import { DeliverySortEnum, NoticeFilter, ProviderDeliveryFilter, WorkflowCheckPayload } from '../types/operations.js';

export const ProviderDeliveryConnection = connectionType(WebhookEvent, 'ProviderDelivery');
export const NoticeConnection = connectionType(OutboxMessage, 'Notice');

/** Operators' queries and fixes (docs/admin-api.md, docs/operations.md). ADMIN only. */
@Resolver()
export class OperationsResolver {
  @Query(() => ProviderDeliveryConnection, {
    description:
      'ADMIN only. M-Pesa callbacks and PayPal webhooks as stored, refused ones first unless sorted otherwise.',
  })
  async providerDeliveries(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => ProviderDeliveryFilter, { nullable: true }) filter?: ProviderDeliveryFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => DeliverySortEnum, { nullable: true }) sort?: DeliverySort,
    @Arg('direction', () => SortDirectionEnum, { nullable: true }) direction?: SortDirection,
  ) {
    return ProviderDeliveryConnection.from(
      await providerDeliveries(em, caller, filter, { first, after, sort, direction }),
    );
  }

  @Query(() => NoticeConnection, { description: 'ADMIN only. Notices not sent: given up or retrying, newest first.' })
  async failedNotices(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => NoticeFilter, { nullable: true }) filter?: NoticeFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return NoticeConnection.from(await failedNotices(em, caller, filter, { first, after }));
  }

  @Mutation(() => OutboxMessage, {
    description: 'ADMIN only. Sends a notice that did not go out again, attempts starting over. Audited.',
  })
  resendNotice(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<OutboxMessage> {
    return resendNotice(em, caller, id);
  }

  @Query(() => [Payment], { description: 'ADMIN only. Payments PENDING for longer than this, oldest first.' })
  stuckPayments(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('olderThanMinutes', () => Int, { nullable: true, description: '30 when absent.' }) olderThanMinutes?: number,
    @Arg('first', () => Int, { nullable: true, description: 'At most 200; 50 when absent.' }) first?: number,
  ): Promise<Payment[]> {
    return stuckPayments(em, caller, { olderThanMinutes, first });
  }

  @Mutation(() => Payment, {
    description:
      'ADMIN only. Asks the provider about a PENDING payment now, through its workflow (STK Query, PayPal lookup): never charges again. Follow it on paymentUpdated.',
  })
  checkPaymentNow(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('paymentId', () => ID) paymentId: string,
  ): Promise<Payment> {
    return checkPaymentNow(em, caller, lifecycle, paymentId);
  }

  @Query(() => WorkflowCheckPayload, {
    description:
      'ADMIN only. A page of live subscriptions (oldest first, `first` at most 100) checked against Temporal: those whose workflow is not running.',
  })
  async subscriptionsWithoutWorkflow(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('apiClientId', () => ID, { nullable: true }) apiClientId?: string,
  ): Promise<WorkflowCheckPayload> {
    return WorkflowCheckPayload.of(
      await subscriptionsWithoutWorkflow(em, caller, lifecycle, { first, after, apiClientId }),
    );
  }

  @Mutation(() => Subscription, {
    description:
      'ADMIN only. Starts the workflow of a live subscription that never had one; refused (CONFLICT, naming the reset) when it ran and closed. Audited.',
  })
  startSubscriptionWorkflow(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('subscriptionId', () => ID) subscriptionId: string,
  ): Promise<Subscription> {
    return startSubscriptionWorkflow(em, caller, lifecycle, subscriptionId);
  }
}

@Resolver(() => WebhookEvent)
export class ProviderDeliveryResolver {
  @FieldResolver(() => Payment, { nullable: true })
  async payment(@Root() delivery: WebhookEvent, @Ctx() { loaders }: GraphQLContext): Promise<Payment | null> {
    return delivery.paymentId ? loaders.paymentById.load(delivery.paymentId) : null;
  }
}

@Resolver(() => Payment)
export class PaymentDeliveriesResolver {
  @FieldResolver(() => [WebhookEvent], {
    description: 'ADMIN only: what the provider sent about this payment (callbacks, webhooks), first to last.',
  })
  deliveries(@Root() payment: Payment, @Ctx() { loaders, caller }: GraphQLContext): Promise<WebhookEvent[]> {
    requireAdmin(caller);
    return loaders.deliveriesByPaymentId.load(payment.id);
  }
}
