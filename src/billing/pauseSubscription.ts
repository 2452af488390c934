// Pause collection for some periods (or until resumed), and resume. The workflow's Update validators refuse what
// cannot be done (a trial, an unpaid or ended subscription, pausing twice) before anything changes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope } from '../auth/policy.js';
import type { Caller } from '../auth/scopes.js';
import { Subscription } from '../entities/index.js';
import { pauseUpdate, resumeUpdate } from '../workflows/signals.js';
import type { WorkflowStarter } from './subscribe.js';
import { changeableSubscription, changeThroughWorkflow } from './subscriptionUpdates.js';
import { parseInput } from './validate.js';

const pauseSchema = z.object({
  subscriptionId: z.string().uuid('must be a subscription id (UUID)'),
  periods: z
    .number()
    .int('must be a whole number of periods')
    .min(1, 'must be at least 1')
    .max(12, 'must be at most 12 (pause until resumed instead: leave it empty)')
    .nullish(),
});

export async function pauseSubscription(
  rootEm: EntityManager,
  caller: Caller,
  temporal: WorkflowStarter,
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
    temporal,
    (handle, audit) => handle.executeUpdate(pauseUpdate, { args: [{ periods: data.periods ?? null, audit }] }),
    { action: 'subscription.paused', changes: { periods: data.periods ?? null } },
  );
}

export async function resumeSubscription(
  rootEm: EntityManager,
  caller: Caller,
  temporal: WorkflowStarter,
  input: { subscriptionId: string },
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const { subscriptionId } = parseInput(pauseSchema.pick({ subscriptionId: true }), input);
  const em = rootEm.fork();
  const subscription = await changeableSubscription(em, caller, subscriptionId);
  return changeThroughWorkflow(
    em,
    caller,
    subscription,
    temporal,
    (handle, audit) => handle.executeUpdate(resumeUpdate, { args: [{ audit }] }),
    {
      action: 'subscription.resumed',
    },
  );
}
