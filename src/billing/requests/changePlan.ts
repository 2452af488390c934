// Change a subscription's plan or quantity. Upgrades take effect now by default (the rest of the period is
// prorated and charged at once); downgrades at the period end by default, or now with `timing: NOW`, which credits
// the unused difference to the customer's balance. The new plan must be active and bill in the same currency and
// cadence.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope } from '../../kernel/policy.js';
import type { Caller } from '../../kernel/caller.js';
import { Plan, Subscription } from '../../entities/index.js';
import { NotFoundError, ValidationError } from '../../kernel/errors.js';
import { planLine } from '../pricing.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';
import { changeableSubscription, changeThroughWorkflow, subscriptionIdSchema } from './lifecycleRequest.js';
import { parseInput } from '../../kernel/validate.js';

export const changePlanSchema = subscriptionIdSchema.extend({
  planId: z.string().uuid('must be a plan id (UUID)'),
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000)
    .nullish()
    .describe('Units (seats); default: unchanged.'),
  timing: z
    .enum(['NOW', 'PERIOD_END'])
    .nullish()
    .describe(
      "Default: NOW for upgrades, PERIOD_END for downgrades. NOW for a downgrade credits the unused difference to the customer's balance.",
    ),
});

export interface PlanChangeTarget {
  subscription: Subscription;
  current: Plan;
  next: Plan;
  quantity: number;
  timing: 'NOW' | 'PERIOD_END';
}

/**
 * What changePlan and previewPlanChange both check and decide: the caller may change this subscription, the plan
 * suits it, and when the change applies (the caller's timing, else now for an upgrade and at the period end for a
 * downgrade).
 */
export async function planChangeTarget(
  em: EntityManager,
  caller: Caller,
  data: z.output<typeof changePlanSchema>,
): Promise<PlanChangeTarget> {
  const subscription = await changeableSubscription(em, caller, data.subscriptionId);
  const [current, next] = await Promise.all([
    em.findOneOrFail(Plan, { id: subscription.plan.id }),
    em.findOne(Plan, { id: data.planId }),
  ]);
  if (!next) throw new NotFoundError('Plan', data.planId);
  const quantity = data.quantity ?? subscription.quantity;
  const problems: Record<string, string> = {};
  if (next.status !== 'ACTIVE') problems['input.planId'] = 'must be an ACTIVE plan (this one is archived)';
  else if (next.currency !== current.currency) {
    problems['input.planId'] =
      `must bill in ${current.currency} like the subscription (this plan bills in ${next.currency})`;
  } else if (next.interval !== current.interval || next.intervalCount !== current.intervalCount) {
    problems['input.planId'] =
      `must bill every ${current.intervalCount} ${current.interval} like the subscription (this plan: ${next.intervalCount} ${next.interval})`;
  } else if (next.id === current.id && quantity === subscription.quantity) {
    problems['input.planId'] = 'is the plan and quantity the subscription already has';
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);

  const cheaper = planLine(next, quantity).amount < planLine(current, subscription.quantity).amount;
  return { subscription, current, next, quantity, timing: data.timing ?? (cheaper ? 'PERIOD_END' : 'NOW') };
}

export async function changePlan(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof changePlanSchema>,
): Promise<Subscription> {
  requireScope(caller, 'write:subscriptions');
  const data = parseInput(changePlanSchema, input);
  const em = rootEm.fork();
  const { subscription, current, next, quantity, timing } = await planChangeTarget(em, caller, data);
  return changeThroughWorkflow(
    em,
    caller,
    subscription,
    (audit) => lifecycle.changePlan(subscription.id, { planId: next.id, quantity, timing, audit }),
    {
      action: 'subscription.plan_changed',
      changes: {
        from: { planId: current.id, quantity: subscription.quantity },
        to: { planId: next.id, quantity },
        timing,
      },
    },
  );
}
