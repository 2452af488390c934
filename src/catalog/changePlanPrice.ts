// A price change never rewrites a plan that subscriptions use: it creates the next version of the plan
// (same family, new id) and archives the old one, so existing subscriptions keep what they signed up for.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Plan } from '../entities/index.js';
import { minorUnitAmount } from './createPlan.js';

export const changePlanPriceSchema = z.object({
  planId: z.string().uuid('must be a plan id (UUID)'),
  amount: minorUnitAmount,
});

export async function changePlanPrice(
  rootEm: EntityManager,
  caller: Caller,
  input: z.input<typeof changePlanPriceSchema>,
) {
  requireScope(caller, 'write:plans');
  const { planId, amount } = parseInput(changePlanPriceSchema, input);
  return rootEm.transactional(async (em) => {
    const current = await em.findOne(Plan, { id: planId });
    if (!current) throw new NotFoundError('Plan', planId);
    if (current.status !== 'ACTIVE')
      throw new ValidationError({ 'input.planId': 'must be the ACTIVE version of the plan' });
    const latest = await em.findOne(Plan, { familyId: current.familyId }, { orderBy: { version: 'desc' } });
    if (latest!.id !== current.id)
      throw new ValidationError({ 'input.planId': 'must be the latest version of the plan' });
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = current;
    const next = em.create(Plan, { ...copy, amount, version: current.version + 1, status: 'ACTIVE' });
    current.status = 'ARCHIVED';
    recordAudit(em, caller, 'plan.price_changed', 'Plan', next.id, {
      previousPlanId: current.id,
      from: current.amount,
      to: amount,
      currency: current.currency,
    });
    return next;
  });
}

export async function archivePlan(em: EntityManager, caller: Caller, planId: string) {
  requireScope(caller, 'write:plans');
  const plan = await em.findOne(Plan, { id: planId });
  if (!plan) throw new NotFoundError('Plan', planId);
  plan.status = 'ARCHIVED';
  recordAudit(em, caller, 'plan.archived', 'Plan', plan.id);
  await em.flush();
  return plan;
}
