// Coupons: whether a code may be redeemed, which billing periods it then discounts, and by how much. Pure rules, no
// I/O: the caller supplies the clock and the redemption count. Discounts are integer minor units; a percentage is
// computed in BigInt (amount x basis points passes 2^53 on large invoices) and rounded half up to a whole minor unit.

import { isCurrencyCode } from './money.js';

export const COUPON_DURATIONS = ['ONCE', 'REPEATING', 'FOREVER'] as const;
export type CouponDuration = (typeof COUPON_DURATIONS)[number];

export interface CouponTerms {
  code: string;
  /** 1250 = 12.5 %. Exactly one of percentOffBasisPoints and amountsOff is set. */
  percentOffBasisPoints: number | null;
  /** A fixed amount off per currency, in that currency's minor units, e.g. { KES: 50000, USD: 500 }. */
  amountsOff: Readonly<Record<string, number>> | null;
  duration: CouponDuration;
  /** How many billing periods a REPEATING coupon discounts (>= 1); null for the other durations. */
  durationInPeriods: number | null;
  maxRedemptions: number | null;
  /** The last moment the code can be redeemed (inclusive); null = never expires. */
  redeemBy: Date | null;
  /** null = any plan. */
  planIds: readonly string[] | null;
  active: boolean;
}

export type CouponRefusal = {
  code: 'INACTIVE' | 'EXPIRED' | 'EXHAUSTED' | 'PLAN_NOT_ELIGIBLE' | 'CURRENCY_NOT_SUPPORTED';
  reason: string;
};

const BASIS_POINTS_PER_WHOLE = 10_000n;

function isPositiveWhole(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}

function isBasisPoints(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 10_000;
}

/** Own keys only: a currency such as "constructor" must not find something on Object.prototype. */
function amountOffIn(amountsOff: Readonly<Record<string, number>>, currency: string): number | undefined {
  return Object.hasOwn(amountsOff, currency) ? amountsOff[currency] : undefined;
}

function amountsOffProblem(amountsOff: Readonly<Record<string, number>>): string | null {
  const entries = Object.entries(amountsOff);
  if (entries.length === 0) return 'must name at least one currency';
  const badCodes = entries.filter(([currency]) => !isCurrencyCode(currency)).map(([currency]) => currency);
  const badAmounts = entries
    .filter(([currency, amount]) => isCurrencyCode(currency) && !isPositiveWhole(amount))
    .map(([currency]) => currency);
  const problems: string[] = [];
  if (badCodes.length > 0) problems.push(`currencies must be ISO 4217 codes, got ${badCodes.join(', ')}`);
  if (badAmounts.length > 0) {
    problems.push(`amounts must be positive whole numbers of minor units, check ${badAmounts.join(', ')}`);
  }
  return problems.length > 0 ? problems.join('; ') : null;
}

/**
 * Every rule the terms break, keyed by field (one message per field) so a form can show each next to its input.
 * An empty object means the terms are valid.
 */
export function couponTermProblems(terms: CouponTerms): Record<string, string> {
  const problems: Record<string, string> = {};
  const { percentOffBasisPoints: percent, amountsOff } = terms;

  if (terms.code.trim() === '') problems.code = 'must not be blank';

  if (percent !== null && !isBasisPoints(percent)) {
    problems.percentOffBasisPoints = Number.isInteger(percent)
      ? 'must be between 1 and 10000'
      : 'must be a whole number of basis points (1250 = 12.5 %)';
  }
  if (amountsOff !== null) {
    const problem = amountsOffProblem(amountsOff);
    if (problem !== null) problems.amountsOff = problem;
  }
  // Which kind of discount it is comes first: the content of either field matters little until that is settled.
  if (percent !== null && amountsOff !== null) {
    problems.amountsOff = 'set either percentOffBasisPoints or amountsOff, not both';
  } else if (percent === null && amountsOff === null) {
    problems.percentOffBasisPoints = 'set either percentOffBasisPoints or amountsOff';
  }

  if (!COUPON_DURATIONS.includes(terms.duration)) {
    problems.duration = `must be one of ${COUPON_DURATIONS.join(', ')}`;
  }
  if (terms.duration === 'REPEATING') {
    if (terms.durationInPeriods === null) {
      problems.durationInPeriods = 'is required for REPEATING coupons';
    } else if (!isPositiveWhole(terms.durationInPeriods)) {
      problems.durationInPeriods = 'must be a whole number of at least 1';
    }
  } else if (terms.durationInPeriods !== null) {
    problems.durationInPeriods = 'must be empty unless the duration is REPEATING';
  }

  if (terms.maxRedemptions !== null && !isPositiveWhole(terms.maxRedemptions)) {
    problems.maxRedemptions = 'must be a whole number of at least 1';
  }
  if (terms.redeemBy !== null && !(terms.redeemBy instanceof Date && !Number.isNaN(terms.redeemBy.getTime()))) {
    problems.redeemBy = 'must be a valid date';
  }
  if (terms.planIds !== null) {
    // An empty list would make a coupon no plan can use; "any plan" is spelled null.
    if (terms.planIds.length === 0) problems.planIds = 'must list at least one plan (leave it unset to allow any plan)';
    else if (terms.planIds.some((planId) => planId.trim() === '')) problems.planIds = 'must not contain blank plan ids';
  }
  return problems;
}

function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Why this code cannot be redeemed for this use, or null when it can. Checks run in a fixed order, so a customer is
 * told the most fundamental reason first (a withdrawn code is "inactive" even if it has also expired).
 */
export function couponRefusal(
  terms: CouponTerms,
  use: { planId: string; currency: string; now: Date; redemptions: number },
): CouponRefusal | null {
  if (!terms.active) return { code: 'INACTIVE', reason: 'This code is not active.' };
  // redeemBy is the last moment of validity (Stripe's redeem_by): redeeming exactly then still works.
  if (terms.redeemBy !== null && use.now.getTime() > terms.redeemBy.getTime()) {
    return { code: 'EXPIRED', reason: `This code expired on ${utcDate(terms.redeemBy)}.` };
  }
  if (terms.maxRedemptions !== null && use.redemptions >= terms.maxRedemptions) {
    return { code: 'EXHAUSTED', reason: 'This code has already been used the maximum number of times.' };
  }
  if (terms.planIds !== null && !terms.planIds.includes(use.planId)) {
    return { code: 'PLAN_NOT_ELIGIBLE', reason: 'This code cannot be used with this plan.' };
  }
  // A percentage works in any currency; a fixed amount only in the currencies it names.
  if (terms.amountsOff !== null && amountOffIn(terms.amountsOff, use.currency) === undefined) {
    return { code: 'CURRENCY_NOT_SUPPORTED', reason: `This code cannot be used for payments in ${use.currency}.` };
  }
  return null;
}

/**
 * Whether the coupon still discounts the billing period `periodsSinceRedemption` periods after the one it was
 * redeemed in (0 = that period). ONCE: only period 0. REPEATING(n): periods 0..n-1. FOREVER: every period.
 */
export function couponAppliesToPeriod(terms: CouponTerms, periodsSinceRedemption: number): boolean {
  if (!Number.isSafeInteger(periodsSinceRedemption) || periodsSinceRedemption < 0) {
    throw new RangeError(`periodsSinceRedemption must be a non-negative whole number, got ${periodsSinceRedemption}`);
  }
  switch (terms.duration) {
    case 'ONCE':
      return periodsSinceRedemption === 0;
    case 'REPEATING':
      if (terms.durationInPeriods === null || !isPositiveWhole(terms.durationInPeriods)) {
        throw new RangeError(`a REPEATING coupon needs durationInPeriods >= 1, got ${terms.durationInPeriods}`);
      }
      return periodsSinceRedemption < terms.durationInPeriods;
    case 'FOREVER':
      return true;
    default:
      throw new RangeError(
        `coupon duration must be one of ${COUPON_DURATIONS.join(', ')}, got ${String(terms.duration)}`,
      );
  }
}

/**
 * The discount on `amount` minor units of `currency`: never negative, never more than the amount. A percentage is
 * rounded half up to the nearest minor unit (12.5 % of 999 = 124.875 -> 125); a fixed amount is capped at the
 * amount, and is 0 in a currency the coupon does not name. Terms that do not say how much to take off are refused.
 */
export function discountAmount(terms: CouponTerms, amount: number, currency: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`amount must be a non-negative whole number of minor units, got ${amount}`);
  }
  const { percentOffBasisPoints: percent, amountsOff } = terms;
  if (percent !== null) {
    if (amountsOff !== null) throw new RangeError('a coupon sets either percentOffBasisPoints or amountsOff, not both');
    if (!isBasisPoints(percent)) {
      throw new RangeError(`percentOffBasisPoints must be a whole number between 1 and 10000, got ${percent}`);
    }
    // floor((amount * bp + 5000) / 10000) is amount * bp / 10000 rounded half up, with no fraction ever formed.
    // At most 10000 bp, so the result never exceeds the amount and fits wherever the amount did.
    const scaled = BigInt(amount) * BigInt(percent) + BASIS_POINTS_PER_WHOLE / 2n;
    return Number(scaled / BASIS_POINTS_PER_WHOLE);
  }
  if (amountsOff === null) throw new RangeError('a coupon sets either percentOffBasisPoints or amountsOff');
  const off = amountOffIn(amountsOff, currency);
  if (off === undefined) return 0;
  if (!isPositiveWhole(off)) {
    throw new RangeError(`amountsOff.${currency} must be a positive whole number of minor units, got ${off}`);
  }
  return Math.min(off, amount);
}
