// What every lifecycle change asked through the API shares: the caller may only touch subscriptions it can see,
// ended ones change no more, and the workflow's Update validators have the last word.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { requireScope, visibleCustomers } from '../auth/policy.js';
import { actorOf, type Caller } from '../auth/scopes.js';
import { Subscription } from '../entities/index.js';
import { ConflictError, NotFoundError } from './errors.js';
import type { WorkflowStarter } from './subscribe.js';
import type { Audited } from '../workflows/signals.js';
import type { AuditRequest, SubscriptionState } from '../workflows/types.js';
import { parseInput } from './validate.js';

const ENDED = new Set(['CANCELED', 'INCOMPLETE_EXPIRED']);

export const subscriptionIdSchema = z.object({ subscriptionId: z.string().uuid('must be a subscription id (UUID)') });

export async function changeableSubscription(em: EntityManager, caller: Caller, id: string): Promise<Subscription> {
  const subscription = await em.findOne(Subscription, { id, customer: visibleCustomers(caller) });
  if (!subscription) throw new NotFoundError('Subscription', id);
  if (ENDED.has(subscription.status)) throw new ConflictError(`the subscription is already ${subscription.status}`);
  return subscription;
}

/** Runs an Update; a validator's refusal or a workflow that is not running becomes a CONFLICT with its reason. */
export async function runUpdate<T>(run: () => Promise<T>): Promise<T> {
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

/**
 * Sends the subscription's workflow an Update carrying who asks and what (the activity that makes the change writes
 * the audit event in its own transaction, so the change and its record commit together). Answers with the
 * subscription as the database now has it.
 */
export async function changeThroughWorkflow(
  em: EntityManager,
  caller: Caller,
  subscription: Subscription,
  temporal: WorkflowStarter,
  send: (handle: WorkflowHandle, audit: AuditRequest) => Promise<unknown>,
  audit: { action: string; changes?: Record<string, unknown> },
): Promise<Subscription> {
  const request: AuditRequest = { ...actorOf(caller), action: audit.action, changes: audit.changes ?? {} };
  await runUpdate(() => send(temporal.client.workflow.getHandle(subscription.workflowId), request));
  return em.fork().findOneOrFail(Subscription, { id: subscription.id });
}

/** A lifecycle change that takes nothing but the subscription (uncancel, resume): the checks, then the Update. */
export async function changeWithoutArguments(
  rootEm: EntityManager,
  caller: Caller,
  temporal: WorkflowStarter,
  input: { subscriptionId: string },
  update: UpdateDefinition<SubscriptionState, [Audited]>,
  action: string,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const { subscriptionId } = parseInput(subscriptionIdSchema, input);
  const em = rootEm.fork();
  const subscription = await changeableSubscription(em, caller, subscriptionId);
  return changeThroughWorkflow(
    em,
    caller,
    subscription,
    temporal,
    (handle, audit) => handle.executeUpdate(update, { args: [{ audit }] }),
    { action },
  );
}
