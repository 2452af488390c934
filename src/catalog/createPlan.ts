import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { BILLING_INTERVALS } from '../domain/billingPeriod.js';
import { isCurrencyCode } from '../domain/money.js';
import { tierProblems } from '../domain/pricing.js';
import { Plan, Product } from '../entities/index.js';
import { featureList } from './createProduct.js';
import { taxClassColumns, taxClassFields } from './taxClassInput.js';

export const minorUnitAmount = z
  .number()
  .int('must be a whole number of minor units (e.g. 150000 for KES 1,500.00)')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const priceTierSchema = z.object({
  upTo: z
    .number()
    .int('must be a whole number')
    .positive('must be above 0')
    .max(Number.MAX_SAFE_INTEGER, 'is too large')
    .nullable()
    .describe('Last unit of this tier; null for the open-ended last tier.'),
  unitAmount: minorUnitAmount,
  flatAmount: minorUnitAmount.default(0),
});

export const createPlanSchema = z
  .object({
    productId: z.string().uuid('must be a product id (UUID)'),
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    description: z.string().trim().max(2000, 'must be at most 2000 characters').nullish(),
    tier: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
    amount: minorUnitAmount.describe(
      'Price per period (per unit when tiered) in minor units, e.g. 150000 for KES 1,500.00.',
    ),
    currency: z
      .string()
      .refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. KES or USD')
      .describe('ISO 4217 code, e.g. KES or USD.'),
    interval: z.enum(BILLING_INTERVALS),
    intervalCount: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(365, 'must be at most 365')
      .default(1)
      .describe('Periods of `interval` per billing cycle; default 1.'),
    trialDays: z
      .number()
      .int('must be a whole number')
      .min(0, 'must not be negative')
      .max(730, 'must be at most 730')
      .default(0)
      .describe('Free days before the first invoice; default 0.'),
    features: featureList.default([]),
    limits: z
      .record(z.string().min(1), z.number().int('must be whole numbers').min(0, 'must not be negative'))
      .default({})
      .describe('Usage limits, e.g. {"seats": 10}.'),
    pricingModel: z.enum(['FLAT', 'GRADUATED', 'VOLUME']).default('FLAT'),
    tiers: z.array(priceTierSchema).max(20, 'must have at most 20 tiers').nullish(),
    ...taxClassFields,
  })
  .superRefine((plan, context) => {
    if (plan.pricingModel === 'FLAT') {
      if (plan.tiers) context.addIssue({ code: 'custom', path: ['tiers'], message: 'must be empty for FLAT pricing' });
      return;
    }
    if (!plan.tiers?.length) {
      context.addIssue({ code: 'custom', path: ['tiers'], message: `are required for ${plan.pricingModel} pricing` });
      return;
    }
    const problems = tierProblems(plan.tiers);
    if (problems.length) context.addIssue({ code: 'custom', path: ['tiers'], message: problems.join('; ') });
  });

export type CreatePlanInput = z.input<typeof createPlanSchema>;

export interface PlanRules {
  /** Minute-long periods: for watching lifecycles against the sandboxes, never in production (MINUTE_PLANS). */
  minutePlans: boolean;
}

export async function createPlan(
  em: EntityManager,
  caller: Caller,
  input: CreatePlanInput,
  rules: PlanRules = { minutePlans: false },
): Promise<Plan> {
  requireScope(caller, 'write:plans');
  const { productId, ...data } = parseInput(createPlanSchema, input);
  if (data.interval === 'MINUTE' && !rules.minutePlans) {
    throw new ValidationError({
      'input.interval': 'MINUTE is for sandbox mode only (MINUTE_PLANS=true, not in production)',
    });
  }
  const tax = taxClassColumns(data);
  if (typeof tax === 'string') throw new ValidationError({ 'input.taxRateBasisPoints': tax });
  const product = await em.findOne(Product, { id: productId });
  if (!product) throw new NotFoundError('Product', productId);
  const plan = em.create(Plan, {
    ...data,
    product,
    description: data.description ?? null,
    tier: data.tier ?? null,
    tiers: data.pricingModel === 'FLAT' ? null : (data.tiers ?? null),
    ...tax,
    familyId: '',
  });
  plan.familyId = plan.id;
  recordAudit(em, caller, 'plan.created', 'Plan', plan.id, { amount: plan.amount, currency: plan.currency });
  await em.flush();
  return plan;
}
