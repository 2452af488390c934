// Cancel (now, or at the period end) and take a cancellation back. The subscription's workflow decides: these are
// Temporal Updates whose validators refuse what cannot be done (already ended, nothing to take back) before
// anything changes, so the caller gets either the new state or a clear refusal.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope, visibleCustomers } from '../auth/policy.js';
import type { Caller } from '../auth/scopes.js';
import { Subscription } from '../entities/index.js';
import { cancelUpdate, uncancelUpdate } from '../workflows/signals.js';
import { ConflictError, NotFoundError } from './errors.js';
import type { WorkflowStarter } from './subscribe.js';
import { parseInput } from './validate.js';

const ENDED = new Set(['CANCELED', 'INCOMPLETE_EXPIRED']);

const cancelSchema = z.object({
  subscriptionId: z.string().uuid('must be a subscription id (UUID)'),
  atPeriodEnd: z.boolean().default(false),
});

async function visibleSubscription(em: EntityManager, caller: Caller, id: string): Promise<Subscription> {
  const subscription = await em.findOne(Subscription, { id, customer: visibleCustomers(caller) });
  if (!subscription) throw new NotFoundError('Subscription', id);
  if (ENDED.has(subscription.status)) throw new ConflictError(`the subscription is already ${subscription.status}`);
  return subscription;
}

/** Runs an Update; a validator's refusal or a workflow that is not running becomes a CONFLICT with its reason. */
async function update<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ConflictError(error.cause instanceof Error ? error.cause.message : error.message);
    }
    if (error instanceof WorkflowNotFoundError) throw new ConflictError('the subscription’s lifecycle is not running');
    throw error;
  }
}

export async function cancelSubscription(
  rootEm: EntityManager,
  caller: Caller,
  temporal: WorkflowStarter,
  input: z.input<typeof cancelSchema>,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(cancelSchema, input);
  const em = rootEm.fork();
  const subscription = await visibleSubscription(em, caller, data.subscriptionId);
  await update(() =>
    temporal.client.workflow
      .getHandle(subscription.workflowId)
      .executeUpdate(cancelUpdate, { args: [{ atPeriodEnd: data.atPeriodEnd }] }),
  );
  recordAudit(
    em,
    caller,
    data.atPeriodEnd ? 'subscription.cancel_at_period_end' : 'subscription.canceled',
    'Subscription',
    subscription.id,
  );
  await em.flush();
  return rootEm.fork().findOneOrFail(Subscription, { id: subscription.id });
}

export async function uncancelSubscription(
  rootEm: EntityManager,
  caller: Caller,
  temporal: WorkflowStarter,
  input: { subscriptionId: string },
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const { subscriptionId } = parseInput(cancelSchema.pick({ subscriptionId: true }), input);
  const em = rootEm.fork();
  const subscription = await visibleSubscription(em, caller, subscriptionId);
  await update(() => temporal.client.workflow.getHandle(subscription.workflowId).executeUpdate(uncancelUpdate));
  recordAudit(em, caller, 'subscription.uncanceled', 'Subscription', subscription.id);
  await em.flush();
  return rootEm.fork().findOneOrFail(Subscription, { id: subscription.id });
}
