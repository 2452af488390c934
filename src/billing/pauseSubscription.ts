// Pause collection for some periods (or until resumed), and resume. The workflow's Update validators refuse what
// cannot be done (a trial, an unpaid or ended subscription, pausing twice) before anything changes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../auth/policy.js';
import type { Caller } from '../auth/scopes.js';
import { Subscription } from '../entities/index.js';
import { pauseUpdate, resumeUpdate } from '../workflows/signals.js';
import type { WorkflowStarter } from './subscribe.js';
import { changeableSubscription, runUpdate } from './subscriptionUpdates.js';
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
  await runUpdate(() =>
    temporal.client.workflow
      .getHandle(subscription.workflowId)
      .executeUpdate(pauseUpdate, { args: [{ periods: data.periods ?? null }] }),
  );
  recordAudit(em, caller, 'subscription.paused', 'Subscription', subscription.id, { periods: data.periods ?? null });
  await em.flush();
  return rootEm.fork().findOneOrFail(Subscription, { id: subscription.id });
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
  await runUpdate(() => temporal.client.workflow.getHandle(subscription.workflowId).executeUpdate(resumeUpdate));
  recordAudit(em, caller, 'subscription.resumed', 'Subscription', subscription.id);
  await em.flush();
  return rootEm.fork().findOneOrFail(Subscription, { id: subscription.id });
}
