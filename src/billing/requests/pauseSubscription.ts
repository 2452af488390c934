// Pause collection for some periods (or until resumed), and resume. The workflow's Update validators refuse what
// cannot be done (a trial, an unpaid or ended subscription, pausing twice) before anything changes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope } from '../../kernel/policy.js';
import type { Caller } from '../../kernel/caller.js';
import { Subscription } from '../../entities/index.js';
import type { AuditRequest } from '../../workflows/types.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';
import {
  changeableSubscription,
  changeThroughWorkflow,
  changeWithoutArguments,
  subscriptionIdSchema,
} from './lifecycleRequest.js';
import { parseInput } from '../../kernel/validate.js';

export const pauseSchema = subscriptionIdSchema.extend({
  periods: z
    .number()
    .int('must be a whole number of periods')
    .min(1, 'must be at least 1')
    .max(12, 'must be at most 12 (pause until resumed instead: leave it empty)')
    .nullish()
    .describe('Whole periods after the current one to leave unbilled (1 to 12); empty: until resumed.'),
});

export async function pauseSubscription(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof pauseSchema>,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(pauseSchema, input);
  const em = rootEm.fork();
  const subscription = await changeableSubscription(em, caller, data.subscriptionId);
  return changeThroughWorkflow(
    em,
    caller,
    subscription,
    (audit) => lifecycle.pause(subscription.id, { periods: data.periods ?? null, audit }),
    { action: 'subscription.paused', changes: { periods: data.periods ?? null } },
  );
}

export function resumeSubscription(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: { subscriptionId: string },
): Promise<Subscription> {
  const send = (subscriptionId: string, audit: AuditRequest) => lifecycle.resume(subscriptionId, audit);
  return changeWithoutArguments(rootEm, caller, input, send, 'subscription.resumed');
}
