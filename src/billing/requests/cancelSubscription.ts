// Cancel (now, or at the period end) and take a cancellation back. The subscription's workflow decides: these are
// Temporal Updates whose validators refuse what cannot be done (already ended, nothing to take back) before
// anything changes, so the caller gets either the new state or a clear refusal.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope } from '../../kernel/policy.js';
import type { Caller } from '../../kernel/caller.js';
import { Subscription } from '../../entities/index.js';
import {
  changeableSubscription,
  changeThroughWorkflow,
  changeWithoutArguments,
  subscriptionIdSchema,
} from './lifecycleRequest.js';
import type { AuditRequest } from '../../workflows/types.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';
import { ValidationError } from '../../kernel/errors.js';
import { parseInput } from '../../kernel/validate.js';

export const cancelSchema = subscriptionIdSchema.extend({
  atPeriodEnd: z
    .boolean()
    .default(false)
    .describe('true: end when the current period ends (reversible until then); false or absent: end now.'),
  creditUnusedTime: z
    .boolean()
    .default(false)
    .describe(
      "Ending now: credit the unused part of the current period's paid invoice to the customer's balance, which their later invoices spend.",
    ),
});

export async function cancelSubscription(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof cancelSchema>,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(cancelSchema, input);
  if (data.atPeriodEnd && data.creditUnusedTime) {
    // At the period end nothing is left unused.
    throw new ValidationError({ 'input.creditUnusedTime': 'applies only to a cancellation now (atPeriodEnd false)' });
  }
  const em = rootEm.fork();
  const subscription = await changeableSubscription(em, caller, data.subscriptionId);
  return changeThroughWorkflow(
    em,
    caller,
    subscription,
    (audit) =>
      lifecycle.cancel(subscription.id, {
        atPeriodEnd: data.atPeriodEnd,
        creditUnusedTime: data.creditUnusedTime,
        audit,
      }),
    {
      action: data.atPeriodEnd ? 'subscription.cancel_at_period_end' : 'subscription.canceled',
      changes: data.creditUnusedTime ? { creditUnusedTime: true } : {},
    },
  );
}

export function uncancelSubscription(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: { subscriptionId: string },
): Promise<Subscription> {
  const send = (subscriptionId: string, audit: AuditRequest) => lifecycle.uncancel(subscriptionId, audit);
  return changeWithoutArguments(rootEm, caller, input, send, 'subscription.uncanceled');
}
