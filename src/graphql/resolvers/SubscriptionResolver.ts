import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError } from '../../kernel/errors.js';
import { subscribe } from '../../billing/subscribe.js';
import { AuditEvent, Customer, Invoice, Plan, Subscription } from '../../entities/index.js';
import type { GraphQLContext } from '../context.js';
import type { SortDirection } from '../pagination.js';
import { searchSubscriptions, type SubscriptionSort } from '../../search/searchSubscriptions.js';
import { connectionType } from '../types/connection.js';
import {
  CancelSubscriptionInput,
  ChangePlanInput,
  PauseSubscriptionInput,
  ResumeSubscriptionInput,
  SubscribeInput,
  SortDirectionEnum,
  SubscriptionFilter,
  SubscriptionSortEnum,
  UncancelSubscriptionInput,
  UpdatePaymentMethodInput,
} from '../types/inputs.js';
import { cancelSubscription, uncancelSubscription } from '../../billing/requests/cancelSubscription.js';
import { pauseSubscription, resumeSubscription } from '../../billing/requests/pauseSubscription.js';
import { changePlan } from '../../billing/requests/changePlan.js';
import { previewPlanChange } from '../../billing/previewPlanChange.js';
import { PlanChangePreview } from '../types/planChangePreview.js';
import { updatePaymentMethod } from '../../payments/updatePaymentMethod.js';

export const SubscriptionConnection = connectionType(Subscription, 'Subscription');

@Resolver(() => Subscription)
export class SubscriptionResolver {
  @Query(() => SubscriptionConnection, { description: 'Newest first unless sorted otherwise.' })
  async subscriptions(
    @Ctx() { em, caller }: GraphQLContext,
    @Arg('filter', () => SubscriptionFilter, { nullable: true }) filter?: SubscriptionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('sort', () => SubscriptionSortEnum, { nullable: true }) sort?: SubscriptionSort,
    @Arg('direction', () => SortDirectionEnum, { nullable: true }) direction?: SortDirection,
  ) {
    return SubscriptionConnection.from(
      await searchSubscriptions(em, caller, filter, { first, after, sort, direction }),
    );
  }

  @Query(() => Subscription)
  async subscription(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Subscription> {
    requireScope(caller, 'read:subscriptions');
    const subscription = await em.findOne(Subscription, { id, customer: visibleCustomers(caller) });
    if (!subscription) throw new NotFoundError('Subscription', id);
    return subscription;
  }

  @Mutation(() => Subscription, {
    description: 'Starts a subscription and its lifecycle workflow. Send an Idempotency-Key to make retries safe.',
  })
  subscribe(
    @Ctx() { em, caller, lifecycle, payments, idempotencyKey }: GraphQLContext,
    @Arg('input', () => SubscribeInput) input: SubscribeInput,
  ) {
    return subscribe(em, caller, lifecycle, payments.cipher, {
      ...input,
      idempotencyKey: input.idempotencyKey ?? idempotencyKey,
    });
  }

  @Mutation(() => Subscription, {
    description: 'Changes how a subscription pays; an unpaid invoice is retried with the new method at once.',
  })
  updatePaymentMethod(
    @Ctx() { em, caller, lifecycle, payments }: GraphQLContext,
    @Arg('input', () => UpdatePaymentMethodInput) input: UpdatePaymentMethodInput,
  ) {
    return updatePaymentMethod(em, caller, lifecycle, payments.cipher, input);
  }

  @Mutation(() => Subscription, {
    description: 'Cancels now, or at the end of the current period (`atPeriodEnd: true`). Refused when already ended.',
  })
  cancelSubscription(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => CancelSubscriptionInput) input: CancelSubscriptionInput,
  ) {
    return cancelSubscription(em, caller, lifecycle, {
      subscriptionId: input.subscriptionId,
      atPeriodEnd: input.atPeriodEnd ?? false,
      creditUnusedTime: input.creditUnusedTime ?? false,
    });
  }

  @Mutation(() => Subscription, { description: 'Takes back a cancellation at the period end, while the period lasts.' })
  uncancelSubscription(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => UncancelSubscriptionInput) input: UncancelSubscriptionInput,
  ) {
    return uncancelSubscription(em, caller, lifecycle, { subscriptionId: input.subscriptionId });
  }

  @Mutation(() => Subscription, {
    description:
      'Pauses collection: PAUSED has no access and no invoices, for `periods` whole periods or until resumed. ' +
      'Refused during a trial and unless ACTIVE.',
  })
  pauseSubscription(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => PauseSubscriptionInput) input: PauseSubscriptionInput,
  ) {
    return pauseSubscription(em, caller, lifecycle, { subscriptionId: input.subscriptionId, periods: input.periods });
  }

  @Mutation(() => Subscription, {
    description: 'Resumes a paused subscription now; the current period is billed at once.',
  })
  resumeSubscription(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => ResumeSubscriptionInput) input: ResumeSubscriptionInput,
  ) {
    return resumeSubscription(em, caller, lifecycle, { subscriptionId: input.subscriptionId });
  }

  @Mutation(() => Subscription, {
    description:
      'Changes plan or quantity: upgrades now (the rest of the period prorated and charged at once), downgrades at ' +
      'the period end. Same currency and billing interval only.',
  })
  changePlan(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => ChangePlanInput) input: ChangePlanInput,
  ) {
    return changePlan(em, caller, lifecycle, input);
  }

  @Query(() => PlanChangePreview, {
    description:
      'What changePlan would do with this input (same checks and defaults), without doing it: when it applies, what ' +
      'is invoiced or credited now, and what the next period costs.',
  })
  previewPlanChange(
    @Ctx() { em, caller, billing }: GraphQLContext,
    @Arg('input', () => ChangePlanInput) input: ChangePlanInput,
  ): Promise<PlanChangePreview> {
    return previewPlanChange(em, caller, billing.tax, input);
  }

  @FieldResolver(() => Plan)
  async plan(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Plan> {
    const plan = await loaders.planById.load(subscription.plan.id);
    if (!plan) throw new NotFoundError('Plan', subscription.plan.id);
    return plan;
  }

  @FieldResolver(() => Plan, {
    nullable: true,
    description: 'The plan from `pendingChangeAtPeriod` on, when a change waits.',
  })
  async pendingPlan(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Plan | null> {
    return subscription.pendingPlan ? loaders.planById.load(subscription.pendingPlan.id) : null;
  }

  @FieldResolver(() => Customer)
  async customer(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Customer> {
    const customer = await loaders.customerById.load(subscription.customer.id);
    if (!customer) throw new NotFoundError('Customer', subscription.customer.id);
    return customer;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'PayPal: where the buyer approves the payment that is waiting for them; null when none is.',
  })
  async approvalUrl(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<string | null> {
    const [waiting] = await loaders.approvalsBySubscriptionId.load(subscription.id);
    return waiting?.approvalUrl ?? null;
  }

  @FieldResolver(() => [AuditEvent], {
    description: 'Who asked for which lifecycle change (cancel, pause, plan change...) and when (needs read:audit).',
  })
  auditTrail(@Root() subscription: Subscription, @Ctx() { loaders, caller }: GraphQLContext): Promise<AuditEvent[]> {
    requireScope(caller, 'read:audit');
    return loaders.auditTrailBySubscriptionId.load(subscription.id);
  }

  @FieldResolver(() => [Invoice], { description: 'Invoices of this subscription, oldest period first.' })
  invoices(@Root() subscription: Subscription, @Ctx() { loaders }: GraphQLContext): Promise<Invoice[]> {
    return loaders.invoicesBySubscriptionId.load(subscription.id);
  }
}
