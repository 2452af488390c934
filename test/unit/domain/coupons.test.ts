import { describe, expect, it } from '@jest/globals';
import {
  couponAppliesToPeriod,
  couponRefusal,
  couponTermProblems,
  discountAmount,
  type CouponTerms,
} from '../../../src/domain/coupons.js';

const percentOff = (basisPoints: number, overrides: Partial<CouponTerms> = {}): CouponTerms => ({
  code: 'LAUNCH',
  percentOffBasisPoints: basisPoints,
  amountsOff: null,
  duration: 'ONCE',
  durationInPeriods: null,
  maxRedemptions: null,
  redeemBy: null,
  planIds: null,
  active: true,
  ...overrides,
});

const amountOff = (amounts: Record<string, number>, overrides: Partial<CouponTerms> = {}): CouponTerms =>
  percentOff(0, { percentOffBasisPoints: null, amountsOff: amounts, ...overrides });

const USE = { planId: 'plan_pro', currency: 'KES', now: new Date('2026-06-01T12:00:00Z'), redemptions: 0 };

describe('couponTermProblems', () => {
  it('accepts valid percent and fixed-amount terms', () => {
    expect(couponTermProblems(percentOff(1250))).toEqual({});
    expect(couponTermProblems(percentOff(1))).toEqual({});
    expect(couponTermProblems(percentOff(10_000))).toEqual({});
    expect(
      couponTermProblems(
        amountOff(
          { KES: 50_000, USD: 500 },
          {
            duration: 'REPEATING',
            durationInPeriods: 3,
            maxRedemptions: 100,
            redeemBy: new Date('2026-12-31T23:59:59Z'),
            planIds: ['plan_pro', 'plan_team'],
          },
        ),
      ),
    ).toEqual({});
  });

  it('keeps percentOffBasisPoints between 1 and 10000 whole basis points', () => {
    expect(couponTermProblems(percentOff(0))).toEqual({ percentOffBasisPoints: 'must be between 1 and 10000' });
    expect(couponTermProblems(percentOff(10_001))).toEqual({ percentOffBasisPoints: 'must be between 1 and 10000' });
    expect(couponTermProblems(percentOff(-5))).toEqual({ percentOffBasisPoints: 'must be between 1 and 10000' });
    expect(couponTermProblems(percentOff(12.5))).toEqual({
      percentOffBasisPoints: 'must be a whole number of basis points (1250 = 12.5 %)',
    });
  });

  it('requires exactly one of percentOffBasisPoints and amountsOff', () => {
    expect(couponTermProblems(percentOff(1250, { amountsOff: { KES: 100 } }))).toEqual({
      amountsOff: 'set either percentOffBasisPoints or amountsOff, not both',
    });
    expect(couponTermProblems(percentOff(1250, { percentOffBasisPoints: null }))).toEqual({
      percentOffBasisPoints: 'set either percentOffBasisPoints or amountsOff',
    });
  });

  it('requires ISO 4217 currency keys and positive whole amounts', () => {
    expect(couponTermProblems(amountOff({}))).toEqual({ amountsOff: 'must name at least one currency' });
    expect(couponTermProblems(amountOff({ KES: 100, XYZ: 100, kes: 100 }))).toEqual({
      amountsOff: 'currencies must be ISO 4217 codes, got XYZ, kes',
    });
    expect(couponTermProblems(amountOff({ KES: 0, USD: 1.5, EUR: 100 }))).toEqual({
      amountsOff: 'amounts must be positive whole numbers of minor units, check KES, USD',
    });
    expect(couponTermProblems(amountOff({ USD: -1, ABC: 5 }))).toEqual({
      amountsOff:
        'currencies must be ISO 4217 codes, got ABC; amounts must be positive whole numbers of minor units, check USD',
    });
  });

  it('requires durationInPeriods for REPEATING coupons only', () => {
    expect(couponTermProblems(percentOff(1000, { duration: 'REPEATING' }))).toEqual({
      durationInPeriods: 'is required for REPEATING coupons',
    });
    expect(couponTermProblems(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 0 }))).toEqual({
      durationInPeriods: 'must be a whole number of at least 1',
    });
    expect(couponTermProblems(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 1.5 }))).toEqual({
      durationInPeriods: 'must be a whole number of at least 1',
    });
    expect(couponTermProblems(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 1 }))).toEqual({});
    for (const duration of ['ONCE', 'FOREVER'] as const) {
      expect(couponTermProblems(percentOff(1000, { duration, durationInPeriods: 3 }))).toEqual({
        durationInPeriods: 'must be empty unless the duration is REPEATING',
      });
    }
    expect(couponTermProblems(percentOff(1000, { duration: 'WEEKLY' as never }))).toEqual({
      duration: 'must be one of ONCE, REPEATING, FOREVER',
    });
  });

  it('checks code, redemption limit, expiry and plan list, one message per field', () => {
    expect(
      couponTermProblems(
        percentOff(20_000, {
          code: '  ',
          maxRedemptions: 0,
          redeemBy: new Date('not a date'),
          planIds: [],
        }),
      ),
    ).toEqual({
      code: 'must not be blank',
      percentOffBasisPoints: 'must be between 1 and 10000',
      maxRedemptions: 'must be a whole number of at least 1',
      redeemBy: 'must be a valid date',
      planIds: 'must list at least one plan (leave it unset to allow any plan)',
    });
    expect(couponTermProblems(percentOff(100, { planIds: ['plan_pro', ''] }))).toEqual({
      planIds: 'must not contain blank plan ids',
    });
  });
});

describe('couponRefusal', () => {
  it('returns null when the code applies', () => {
    expect(couponRefusal(percentOff(1250), USE)).toBeNull();
    expect(
      couponRefusal(
        amountOff(
          { KES: 50_000 },
          { maxRedemptions: 5, redeemBy: new Date('2026-12-31T23:59:59Z'), planIds: ['plan_pro'] },
        ),
        { ...USE, redemptions: 4 },
      ),
    ).toBeNull();
  });

  it('INACTIVE', () => {
    expect(couponRefusal(percentOff(1250, { active: false }), USE)).toEqual({
      code: 'INACTIVE',
      reason: 'This code is not active.',
    });
  });

  it('EXPIRED after redeemBy, but still valid at exactly redeemBy', () => {
    const redeemBy = new Date('2026-12-31T23:59:59.999Z');
    const terms = percentOff(1250, { redeemBy });
    expect(couponRefusal(terms, { ...USE, now: redeemBy })).toBeNull();
    expect(couponRefusal(terms, { ...USE, now: new Date('2027-01-01T00:00:00Z') })).toEqual({
      code: 'EXPIRED',
      reason: 'This code expired on 2026-12-31.',
    });
  });

  it('EXHAUSTED once the redemption count reaches maxRedemptions', () => {
    const terms = percentOff(1250, { maxRedemptions: 3 });
    expect(couponRefusal(terms, { ...USE, redemptions: 2 })).toBeNull();
    for (const redemptions of [3, 4]) {
      expect(couponRefusal(terms, { ...USE, redemptions })).toEqual({
        code: 'EXHAUSTED',
        reason: 'This code has already been used the maximum number of times.',
      });
    }
  });

  it('PLAN_NOT_ELIGIBLE when the plan is not listed', () => {
    const terms = percentOff(1250, { planIds: ['plan_team', 'plan_enterprise'] });
    expect(couponRefusal(terms, { ...USE, planId: 'plan_team' })).toBeNull();
    expect(couponRefusal(terms, USE)).toEqual({
      code: 'PLAN_NOT_ELIGIBLE',
      reason: 'This code cannot be used with this plan.',
    });
  });

  it('CURRENCY_NOT_SUPPORTED for a fixed amount in a currency it does not name; percentages work anywhere', () => {
    const terms = amountOff({ KES: 50_000, USD: 500 });
    expect(couponRefusal(terms, { ...USE, currency: 'USD' })).toBeNull();
    expect(couponRefusal(terms, { ...USE, currency: 'EUR' })).toEqual({
      code: 'CURRENCY_NOT_SUPPORTED',
      reason: 'This code cannot be used for payments in EUR.',
    });
    // Inherited object keys are not currencies the coupon names.
    expect(couponRefusal(terms, { ...USE, currency: 'constructor' })?.code).toBe('CURRENCY_NOT_SUPPORTED');
    expect(couponRefusal(percentOff(1250), { ...USE, currency: 'EUR' })).toBeNull();
  });

  it('reports the most fundamental reason first when several apply', () => {
    const everythingWrong = amountOff(
      { USD: 500 },
      { active: false, redeemBy: new Date('2026-01-31T00:00:00Z'), maxRedemptions: 1, planIds: ['plan_team'] },
    );
    const use = { ...USE, redemptions: 1 };
    expect(couponRefusal(everythingWrong, use)?.code).toBe('INACTIVE');
    expect(couponRefusal({ ...everythingWrong, active: true }, use)?.code).toBe('EXPIRED');
    expect(couponRefusal({ ...everythingWrong, active: true, redeemBy: null }, use)?.code).toBe('EXHAUSTED');
    expect(couponRefusal({ ...everythingWrong, active: true, redeemBy: null, maxRedemptions: null }, use)?.code).toBe(
      'PLAN_NOT_ELIGIBLE',
    );
    expect(
      couponRefusal({ ...everythingWrong, active: true, redeemBy: null, maxRedemptions: null, planIds: null }, use)
        ?.code,
    ).toBe('CURRENCY_NOT_SUPPORTED');
  });
});

describe('couponAppliesToPeriod', () => {
  const periods = [0, 1, 2, 3, 4, 11, 120];
  const appliesIn = (terms: CouponTerms) => periods.filter((period) => couponAppliesToPeriod(terms, period));

  it('ONCE applies to the redemption period only', () => {
    expect(appliesIn(percentOff(1000, { duration: 'ONCE' }))).toEqual([0]);
  });

  it('REPEATING(n) applies to periods 0..n-1', () => {
    expect(appliesIn(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 1 }))).toEqual([0]);
    expect(appliesIn(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 3 }))).toEqual([0, 1, 2]);
    expect(appliesIn(percentOff(1000, { duration: 'REPEATING', durationInPeriods: 12 }))).toEqual([0, 1, 2, 3, 4, 11]);
  });

  it('FOREVER applies to every period', () => {
    expect(appliesIn(percentOff(1000, { duration: 'FOREVER' }))).toEqual(periods);
  });

  it('refuses a bad period index and a REPEATING coupon without a length', () => {
    expect(() => couponAppliesToPeriod(percentOff(1000), -1)).toThrow(RangeError);
    expect(() => couponAppliesToPeriod(percentOff(1000), 0.5)).toThrow(/non-negative whole number/);
    expect(() => couponAppliesToPeriod(percentOff(1000, { duration: 'REPEATING' }), 0)).toThrow(
      /REPEATING coupon needs durationInPeriods/,
    );
  });
});

describe('discountAmount', () => {
  it('rounds a percentage half up to the nearest minor unit', () => {
    expect(discountAmount(percentOff(1250), 999, 'KES')).toBe(125); // 124.875
    expect(discountAmount(percentOff(1250), 150_000, 'KES')).toBe(18_750); // exact
    expect(discountAmount(percentOff(1250), 4, 'KES')).toBe(1); // 0.5 -> up
    expect(discountAmount(percentOff(1250), 3, 'KES')).toBe(0); // 0.375 -> down
    expect(discountAmount(percentOff(5000), 1, 'KES')).toBe(1); // 0.5 -> up
    expect(discountAmount(percentOff(5000), 3, 'USD')).toBe(2); // 1.5 -> up
    expect(discountAmount(percentOff(1), 4_999, 'KES')).toBe(0); // 0.4999
    expect(discountAmount(percentOff(1), 5_000, 'KES')).toBe(1); // 0.5
  });

  it('handles 33.33 % without drift', () => {
    expect(discountAmount(percentOff(3333), 100, 'KES')).toBe(33); // 33.33
    expect(discountAmount(percentOff(3333), 150, 'KES')).toBe(50); // 49.995
    expect(discountAmount(percentOff(3333), 1, 'KES')).toBe(0); // 0.3333
    expect(discountAmount(percentOff(3333), 2, 'KES')).toBe(1); // 0.6666
    expect(discountAmount(percentOff(3333), 999_999, 'KES')).toBe(333_300); // 333299.6667
    expect(discountAmount(percentOff(3333), 150_000, 'KES')).toBe(49_995); // exact
  });

  it('takes everything at 100 % and nothing from nothing', () => {
    expect(discountAmount(percentOff(10_000), 123_457, 'KES')).toBe(123_457);
    expect(discountAmount(percentOff(1250), 0, 'KES')).toBe(0);
    expect(discountAmount(amountOff({ KES: 500 }), 0, 'KES')).toBe(0);
  });

  it('stays exact past 2^53 in the intermediate product', () => {
    // (2^53 - 1) / 2 = 4503599627370495.5 -> 4503599627370496
    expect(discountAmount(percentOff(5000), Number.MAX_SAFE_INTEGER, 'USD')).toBe(4_503_599_627_370_496);
    expect(discountAmount(percentOff(10_000), Number.MAX_SAFE_INTEGER, 'USD')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('takes a fixed amount in the invoice currency, capped at the invoice', () => {
    const terms = amountOff({ KES: 50_000, USD: 500 });
    expect(discountAmount(terms, 150_000, 'KES')).toBe(50_000);
    expect(discountAmount(terms, 1_999, 'USD')).toBe(500);
    expect(discountAmount(terms, 30_000, 'KES')).toBe(30_000); // larger than the invoice
    expect(discountAmount(terms, 499, 'USD')).toBe(499);
    expect(discountAmount(terms, 10_000, 'EUR')).toBe(0); // a currency the coupon lacks
    expect(discountAmount(terms, 10_000, 'hasOwnProperty')).toBe(0);
  });

  it('refuses bad amounts and terms that do not say what to take off', () => {
    expect(() => discountAmount(percentOff(1250), -1, 'KES')).toThrow(RangeError);
    expect(() => discountAmount(percentOff(1250), 10.5, 'KES')).toThrow(/non-negative whole number/);
    expect(() => discountAmount(percentOff(1250, { amountsOff: { KES: 1 } }), 100, 'KES')).toThrow(/not both/);
    expect(() => discountAmount(percentOff(1250, { percentOffBasisPoints: null }), 100, 'KES')).toThrow(RangeError);
    expect(() => discountAmount(percentOff(10_001), 100, 'KES')).toThrow(/between 1 and 10000/);
    expect(() => discountAmount(amountOff({ KES: -5 }), 100, 'KES')).toThrow(/amountsOff.KES/);
  });

  it('never exceeds the amount, is never negative, and is the nearest unit rounded half up (property loop)', () => {
    let seed = 0x2545f491;
    const next = (limit: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % limit;
    };
    const basisPoints = [1, 1250, 3333, 5000, 6667, 9999, 10_000];
    for (let i = 0; i < 2_000; i++) {
      const amount = i < 200 ? i : next(10_000_000);
      const bp = i % 3 === 0 ? basisPoints[i % basisPoints.length]! : 1 + next(10_000);
      const discount = discountAmount(percentOff(bp), amount, 'KES');
      expect(Number.isSafeInteger(discount)).toBe(true);
      expect(discount).toBeGreaterThanOrEqual(0);
      expect(discount).toBeLessThanOrEqual(amount);
      // |discount - amount*bp/10000| <= 1/2, and exactly 1/2 only when rounding up.
      const error = BigInt(discount) * 10_000n - BigInt(amount) * BigInt(bp);
      expect(error >= -4_999n && error <= 5_000n).toBe(true);

      const fixed = 1 + next(20_000);
      const off = discountAmount(amountOff({ KES: fixed }), amount, 'KES');
      expect(off).toBe(Math.min(fixed, amount));
    }
  });
});
