// Subscriptions that look stuck, and the fixes docs/operations.md describes, for operators (ADMIN only):
// - payments PENDING longer than a while: ask the provider now (the signal a callback would send: the workflow asks
//   STK Query or PayPal itself and records the answer; it never charges again);
// - live subscriptions whose workflow is not running: start it when it never ran (subscribe committed while
//   Temporal was unreachable); one that ran and closed needs a reset, which the refusal names.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { ENDED_STATUSES } from '../domain/subscriptionStatus.js';
import { Payment, Subscription } from '../entities/index.js';
import { paginate, type PageArgs } from '../graphql/pagination.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, NotFoundError } from '../kernel/errors.js';
import { requireAdmin } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';

const pendingInputSchema = z.object({
  olderThanMinutes: z.number().int().min(1).max(525_600).default(30),
  first: z.number().int().min(1).max(200, 'must be at most 200').default(50),
});

/** PENDING payments created more than `olderThanMinutes` ago, oldest first. */
export async function stuckPayments(
  em: EntityManager,
  caller: Caller,
  input: z.input<typeof pendingInputSchema>,
): Promise<Payment[]> {
  requireAdmin(caller);
  const { olderThanMinutes, first } = parseInput(pendingInputSchema, input, '');
  return em.find(
    Payment,
    { status: 'PENDING', createdAt: { $lt: new Date(Date.now() - olderThanMinutes * 60_000) } },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit: first },
  );
}

/** Asks the payment's workflow to ask the provider now (docs/operations.md, "Ask the provider now"). */
export async function checkPaymentNow(
  em: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  paymentId: string,
): Promise<Payment> {
  requireAdmin(caller);
  const payment = await em.findOne(Payment, { id: paymentId }, { populate: ['invoice'] });
  if (!payment) throw new NotFoundError('Payment', paymentId);
  if (payment.status !== 'PENDING') {
    throw new ConflictError(`this payment is ${payment.status}: the provider has answered`, 'paymentId');
  }
  await lifecycle.askAboutPayment(payment.invoice.subscription?.id ?? null, payment.id, payment.invoice.id);
  return payment;
}

export interface WorkflowCheck {
  /** Live subscriptions looked at on this page. */
  checked: number;
  hasNextPage: boolean;
  endCursor: string | null;
  /** Those whose workflow is not running, with how their last run ended (null: it never ran). */
  notRunning: { subscription: Subscription; lastRun: string | null }[];
}

/** A page of live subscriptions (oldest first), checked against Temporal in one visibility query. */
export async function subscriptionsWithoutWorkflow(
  em: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  page: PageArgs & { apiClientId?: string | null },
): Promise<WorkflowCheck> {
  requireAdmin(caller);
  const where: Record<string, unknown> = { status: { $nin: [...ENDED_STATUSES] } };
  if (page.apiClientId) where.customer = { apiClient: page.apiClientId };
  const live = await paginate(em, Subscription, where, {
    first: page.first ?? 100,
    after: page.after,
    direction: 'ASC',
  });
  const running = await lifecycle.runningAmong(live.nodes.map((s) => s.id));
  const missing = live.nodes.filter((s) => !running.has(s.id));
  const notRunning = await Promise.all(
    missing.map(async (subscription) => ({ subscription, lastRun: await lifecycle.lastRunStatus(subscription.id) })),
  );
  return { checked: live.nodes.length, hasNextPage: live.hasNextPage, endCursor: live.endCursor, notRunning };
}

/** Starts the workflow of a live subscription that never had one (docs/operations.md, first symptom). */
export async function startSubscriptionWorkflow(
  em: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  subscriptionId: string,
): Promise<Subscription> {
  requireAdmin(caller);
  const subscription = await em.findOne(Subscription, { id: subscriptionId }, { populate: ['plan', 'customer'] });
  if (!subscription) throw new NotFoundError('Subscription', subscriptionId);
  if (ENDED_STATUSES.includes(subscription.status)) {
    throw new ConflictError(`this subscription has ended (${subscription.status}): it needs no workflow`);
  }
  await lifecycle.startMissing(subscription);
  recordAudit(em, caller, 'subscription.workflow_started', 'Subscription', subscription.id);
  await em.flush();
  return subscription;
}
