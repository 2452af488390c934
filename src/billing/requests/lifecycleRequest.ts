// What every lifecycle change asked through the API shares: the caller may only touch subscriptions it can see,
// ended ones change no more, and the workflow's Update validators have the last word.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { actorOf, type Caller } from '../../kernel/caller.js';
import { Subscription } from '../../entities/index.js';
import { ConflictError, NotFoundError } from '../../kernel/errors.js';
import type { AuditRequest } from '../../workflows/types.js';
import { parseInput } from '../../kernel/validate.js';
import { isEnded } from '../../domain/subscriptionStatus.js';

export const subscriptionIdSchema = z.object({ subscriptionId: z.string().uuid('must be a subscription id (UUID)') });

export async function changeableSubscription(em: EntityManager, caller: Caller, id: string): Promise<Subscription> {
  const subscription = await em.findOne(Subscription, { id, customer: visibleCustomers(caller) });
  if (!subscription) throw new NotFoundError('Subscription', id);
  if (isEnded(subscription.status)) throw new ConflictError(`the subscription is already ${subscription.status}`);
  return subscription;
}

/**
 * Sends the subscription's workflow an Update carrying who asks and what (the activity that makes the change writes
 * the audit event in its own transaction, so the change and its record commit together). Answers with the
 * subscription as the database now has it. A refusal by the workflow comes back as a CONFLICT with its reason.
 */
export async function changeThroughWorkflow(
  em: EntityManager,
  caller: Caller,
  subscription: Subscription,
  send: (audit: AuditRequest) => Promise<unknown>,
  audit: { action: string; changes?: Record<string, unknown> },
): Promise<Subscription> {
  await send({ ...actorOf(caller), action: audit.action, changes: audit.changes ?? {} });
  return em.fork().findOneOrFail(Subscription, { id: subscription.id });
}

/** A lifecycle change that takes nothing but the subscription (uncancel, resume): the checks, then the Update. */
export async function changeWithoutArguments(
  rootEm: EntityManager,
  caller: Caller,
  input: { subscriptionId: string },
  send: (subscriptionId: string, audit: AuditRequest) => Promise<unknown>,
  action: string,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const { subscriptionId } = parseInput(subscriptionIdSchema, input);
  const em = rootEm.fork();
  const subscription = await changeableSubscription(em, caller, subscriptionId);
  return changeThroughWorkflow(em, caller, subscription, (audit) => send(subscription.id, audit), { action });
}
