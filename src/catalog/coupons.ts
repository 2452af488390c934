import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import {
  COUPON_DURATIONS,
  couponRefusal,
  couponTermProblems,
  type CouponRefusal,
  type CouponTerms,
} from '../domain/coupons.js';
import { Coupon, Plan } from '../entities/index.js';

export const createCouponSchema = z.object({
  code: z
    .string()
    .trim()
    .transform((code) => code.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{2,39}$/, 'must be 3 to 40 letters, digits, - or _, e.g. KARIBU20')),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  percentOffBasisPoints: z.number().int('must be a whole number').nullish().describe('1250 is 12.5 % off.'),
  amountsOff: z.record(z.string(), z.number()).nullish().describe('Minor units off per currency, e.g. {"KES": 50000}.'),
  duration: z.enum(COUPON_DURATIONS),
  durationInPeriods: z.number().int('must be a whole number').nullish(),
  maxRedemptions: z.number().int('must be a whole number').min(1, 'must be at least 1').nullish(),
  redeemBy: z.date().nullish(),
  planIds: z.array(z.string().uuid('must be plan ids (UUID)')).nullish(),
});

function termsOf(coupon: Coupon): CouponTerms {
  return {
    code: coupon.code,
    percentOffBasisPoints: coupon.percentOffBasisPoints,
    amountsOff: coupon.amountsOff,
    duration: coupon.duration,
    durationInPeriods: coupon.durationInPeriods,
    maxRedemptions: coupon.maxRedemptions,
    redeemBy: coupon.redeemBy,
    planIds: coupon.planIds,
    active: coupon.active,
  };
}

export async function createCoupon(em: EntityManager, caller: Caller, input: z.input<typeof createCouponSchema>) {
  requireScope(caller, 'write:coupons');
  const data = parseInput(createCouponSchema, input);
  const terms: CouponTerms = {
    code: data.code,
    percentOffBasisPoints: data.percentOffBasisPoints ?? null,
    amountsOff: data.amountsOff ?? null,
    duration: data.duration,
    durationInPeriods: data.durationInPeriods ?? null,
    maxRedemptions: data.maxRedemptions ?? null,
    redeemBy: data.redeemBy ?? null,
    planIds: data.planIds ?? null,
    active: true,
  };
  const problems = couponTermProblems(terms);
  if (Object.keys(problems).length) {
    throw new ValidationError(
      Object.fromEntries(Object.entries(problems).map(([field, rule]) => [`input.${field}`, rule])),
    );
  }
  if (terms.planIds?.length && (await em.count(Plan, { id: { $in: terms.planIds } })) !== new Set(terms.planIds).size) {
    throw new ValidationError({ 'input.planIds': 'must name existing plans' });
  }
  if (await em.count(Coupon, { code: terms.code }))
    throw new ConflictError(`a coupon with code ${terms.code} already exists`);
  const coupon = em.create(Coupon, {
    ...terms,
    planIds: terms.planIds ? [...terms.planIds] : null,
    amountsOff: terms.amountsOff ? { ...terms.amountsOff } : null,
    name: data.name,
  });
  recordAudit(em, caller, 'coupon.created', 'Coupon', coupon.id, { code: coupon.code });
  await em.flush();
  return coupon;
}

export interface CouponCheck {
  valid: boolean;
  coupon: Coupon | null;
  refusal: { code: CouponRefusal['code'] | 'NOT_FOUND'; reason: string } | null;
}

/** Says whether a code applies to a plan now, and if not, why, in words a customer can read. */
export async function validateCoupon(
  em: EntityManager,
  caller: Caller,
  code: string,
  planId: string,
  now = new Date(),
): Promise<CouponCheck> {
  requireScope(caller, 'read:coupons');
  const coupon = await em.findOne(Coupon, { code: code.trim().toUpperCase() });
  if (!coupon) return { valid: false, coupon: null, refusal: { code: 'NOT_FOUND', reason: 'There is no such code.' } };
  const plan = await em.findOne(Plan, { id: planId });
  if (!plan)
    return { valid: false, coupon, refusal: { code: 'PLAN_NOT_ELIGIBLE', reason: 'That plan does not exist.' } };
  const refusal = couponRefusal(termsOf(coupon), {
    planId: plan.id,
    currency: plan.currency,
    now,
    redemptions: coupon.timesRedeemed,
  });
  return { valid: refusal === null, coupon, refusal };
}
