import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { BILLING_INTERVALS } from '../domain/billingPeriod.js';
import { isCurrencyCode } from '../domain/money.js';
import { Plan } from '../entities/index.js';
import { parseInput } from './validate.js';

export const createPlanSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').nullish(),
  amount: z
    .number()
    .int('must be a whole number of minor units (e.g. 150000 for KES 1,500.00)')
    .min(0, 'must not be negative')
    .max(Number.MAX_SAFE_INTEGER, 'is too large'),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. KES or USD'),
  interval: z.enum(BILLING_INTERVALS),
  intervalCount: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(365, 'must be at most 365')
    .default(1),
  trialDays: z
    .number()
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(730, 'must be at most 730')
    .default(0),
});

export type CreatePlanInput = z.input<typeof createPlanSchema>;

export async function createPlan(em: EntityManager, input: CreatePlanInput): Promise<Plan> {
  const data = parseInput(createPlanSchema, input);
  const plan = em.create(Plan, { ...data, description: data.description ?? null });
  await em.flush();
  return plan;
}
