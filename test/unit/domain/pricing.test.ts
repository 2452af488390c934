import { describe, expect, it } from '@jest/globals';
import { flatPrice, tierProblems, tieredAmount, type PriceTier } from '../../../src/domain/pricing.js';

// 1-5 at 10.00, 6-10 at 8.00, 11+ at 5.00 plus a 20.00 flat fee on entering the third tier.
const TIERS: readonly PriceTier[] = [
  { upTo: 5, unitAmount: 1000, flatAmount: 0 },
  { upTo: 10, unitAmount: 800, flatAmount: 0 },
  { upTo: null, unitAmount: 500, flatAmount: 2000 },
];

// Flat fees on every tier, to tell "entered" tiers apart from the one the quantity ends in.
const WITH_FEES: readonly PriceTier[] = [
  { upTo: 3, unitAmount: 0, flatAmount: 10_000 },
  { upTo: 6, unitAmount: 300, flatAmount: 1_500 },
  { upTo: null, unitAmount: 100, flatAmount: 700 },
];

/** Reference implementation: price unit by unit, adding a tier's flat amount when its first unit is priced. */
function graduatedByUnit(tiers: readonly PriceTier[], quantity: number): number {
  let total = 0;
  for (let unit = 1; unit <= quantity; unit++) {
    const index = tiers.findIndex((tier) => tier.upTo === null || unit <= tier.upTo);
    const tier = tiers[index]!;
    const firstUnitOfTier = index === 0 ? 1 : tiers[index - 1]!.upTo! + 1;
    total += tier.unitAmount + (unit === firstUnitOfTier ? tier.flatAmount : 0);
  }
  return total;
}

describe('tieredAmount GRADUATED', () => {
  it('prices each unit by its own tier and adds the flat amount of every tier entered (worked example)', () => {
    // 5 x 10.00 + 5 x 8.00 + 20.00 flat + 2 x 5.00 = 120.00
    expect(tieredAmount(TIERS, 'GRADUATED', 12)).toBe(5 * 1000 + 5 * 800 + 2000 + 2 * 500);
    expect(tieredAmount(TIERS, 'GRADUATED', 12)).toBe(12_000);
  });

  it('charges nothing for zero units, flat amounts included', () => {
    expect(tieredAmount(TIERS, 'GRADUATED', 0)).toBe(0);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 0)).toBe(0);
  });

  it('does not enter the next tier at a quantity exactly on upTo', () => {
    expect(tieredAmount(TIERS, 'GRADUATED', 1)).toBe(1000);
    expect(tieredAmount(TIERS, 'GRADUATED', 5)).toBe(5000);
    expect(tieredAmount(TIERS, 'GRADUATED', 6)).toBe(5800);
    expect(tieredAmount(TIERS, 'GRADUATED', 10)).toBe(9000); // not yet the 20.00 flat fee
    expect(tieredAmount(TIERS, 'GRADUATED', 11)).toBe(9000 + 2000 + 500);
  });

  it('adds the flat amount of each entered tier once', () => {
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 1)).toBe(10_000);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 3)).toBe(10_000);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 4)).toBe(10_000 + 1_500 + 300);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 6)).toBe(10_000 + 1_500 + 900);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 7)).toBe(10_000 + 1_500 + 900 + 700 + 100);
    expect(tieredAmount(WITH_FEES, 'GRADUATED', 100)).toBe(10_000 + 1_500 + 900 + 700 + 94 * 100);
  });

  it('handles a single open-ended tier like a flat price plus a fee', () => {
    const single = [{ upTo: null, unitAmount: 250, flatAmount: 99 }];
    expect(tieredAmount(single, 'GRADUATED', 4)).toBe(1099);
    expect(tieredAmount(single, 'VOLUME', 4)).toBe(1099);
  });

  it('matches a unit-by-unit reference and never decreases as quantity grows', () => {
    for (const tiers of [TIERS, WITH_FEES]) {
      let previous = 0;
      for (let quantity = 0; quantity <= 250; quantity++) {
        const amount = tieredAmount(tiers, 'GRADUATED', quantity);
        expect(amount).toBe(graduatedByUnit(tiers, quantity));
        expect(amount).toBeGreaterThanOrEqual(previous);
        previous = amount;
      }
    }
  });

  it('stays exact for quantities whose product with the unit amount is large', () => {
    const tiers = [
      { upTo: 1_000_000, unitAmount: 3, flatAmount: 0 },
      { upTo: null, unitAmount: 1_000_003, flatAmount: 0 },
    ];
    // 3_000_000 + (2^32 - 1_000_000) * 1_000_003 = 4_293_980_180_901_888
    expect(tieredAmount(tiers, 'GRADUATED', 4_294_967_296)).toBe(4_293_980_180_901_888);
  });
});

describe('tieredAmount VOLUME', () => {
  it('prices every unit at the tier the whole quantity falls in, plus only that tier’s flat amount', () => {
    expect(tieredAmount(TIERS, 'VOLUME', 12)).toBe(12 * 500 + 2000);
    expect(tieredAmount(WITH_FEES, 'VOLUME', 5)).toBe(5 * 300 + 1_500);
    expect(tieredAmount(WITH_FEES, 'VOLUME', 2)).toBe(10_000);
  });

  it('uses the lower tier at a quantity exactly on upTo, the next one just above', () => {
    expect(tieredAmount(TIERS, 'VOLUME', 5)).toBe(5 * 1000);
    expect(tieredAmount(TIERS, 'VOLUME', 6)).toBe(6 * 800);
    expect(tieredAmount(TIERS, 'VOLUME', 10)).toBe(10 * 800);
    expect(tieredAmount(TIERS, 'VOLUME', 11)).toBe(11 * 500 + 2000);
  });

  it('charges nothing for zero units', () => {
    expect(tieredAmount(WITH_FEES, 'VOLUME', 0)).toBe(0);
  });

  it('differs from graduated once the quantity leaves the first tier', () => {
    for (const quantity of [1, 3, 5]) {
      expect(tieredAmount(TIERS, 'VOLUME', quantity)).toBe(tieredAmount(TIERS, 'GRADUATED', quantity));
    }
    expect(tieredAmount(TIERS, 'VOLUME', 12)).toBe(8_000);
    expect(tieredAmount(TIERS, 'GRADUATED', 12)).toBe(12_000);
  });

  it('equals quantity x the matching tier for every quantity, and never exceeds graduated when unit prices fall', () => {
    for (let quantity = 1; quantity <= 250; quantity++) {
      const tier = quantity <= 5 ? TIERS[0]! : quantity <= 10 ? TIERS[1]! : TIERS[2]!;
      const volume = tieredAmount(TIERS, 'VOLUME', quantity);
      expect(volume).toBe(quantity * tier.unitAmount + tier.flatAmount);
      expect(volume).toBeLessThanOrEqual(tieredAmount(TIERS, 'GRADUATED', quantity));
    }
  });
});

describe('tieredAmount input checks', () => {
  it('refuses quantities that are not non-negative whole numbers', () => {
    for (const quantity of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => tieredAmount(TIERS, 'GRADUATED', quantity)).toThrow(RangeError);
      expect(() => tieredAmount(TIERS, 'VOLUME', quantity)).toThrow(/quantity must be a non-negative whole number/);
    }
  });

  it('refuses invalid tiers and unknown modes', () => {
    expect(() => tieredAmount([], 'GRADUATED', 1)).toThrow('invalid price tiers: tiers must not be empty');
    expect(() => tieredAmount([{ upTo: 5, unitAmount: 1, flatAmount: 0 }], 'VOLUME', 6)).toThrow(
      /the last tier must have upTo null/,
    );
    expect(() => tieredAmount(TIERS, 'PACKAGE' as never, 1)).toThrow(/tier mode must be one of GRADUATED, VOLUME/);
  });

  it('refuses a total too large to represent exactly instead of rounding it', () => {
    const expensive = [{ upTo: null, unitAmount: 2 ** 52, flatAmount: 0 }];
    expect(tieredAmount(expensive, 'VOLUME', 1)).toBe(2 ** 52);
    expect(() => tieredAmount(expensive, 'VOLUME', 2)).toThrow(/larger than can be represented exactly/);
    expect(() => tieredAmount(expensive, 'GRADUATED', 3)).toThrow(RangeError);
  });
});

describe('tierProblems', () => {
  it('accepts valid tiers', () => {
    expect(tierProblems(TIERS)).toEqual([]);
    expect(tierProblems(WITH_FEES)).toEqual([]);
    expect(tierProblems([{ upTo: null, unitAmount: 0, flatAmount: 0 }])).toEqual([]);
  });

  it('requires at least one tier', () => {
    expect(tierProblems([])).toEqual(['tiers must not be empty']);
  });

  it('requires strictly increasing upTo', () => {
    expect(
      tierProblems([
        { upTo: 10, unitAmount: 1, flatAmount: 0 },
        { upTo: 10, unitAmount: 1, flatAmount: 0 },
        { upTo: 4, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 1, flatAmount: 0 },
      ]),
    ).toEqual(['tiers[1].upTo must be greater than tiers[0].upTo', 'tiers[2].upTo must be greater than tiers[1].upTo']);
  });

  it('allows upTo null on the last tier only, and requires it there', () => {
    expect(
      tierProblems([
        { upTo: null, unitAmount: 1, flatAmount: 0 },
        { upTo: 5, unitAmount: 1, flatAmount: 0 },
      ]),
    ).toEqual(['only the last tier may have upTo null', 'the last tier must have upTo null']);
    expect(
      tierProblems([
        { upTo: 5, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 1, flatAmount: 0 },
      ]),
    ).toEqual(['only the last tier may have upTo null']);
  });

  it('compares across a misplaced null with the last bounded tier', () => {
    expect(
      tierProblems([
        { upTo: 5, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 1, flatAmount: 0 },
        { upTo: 3, unitAmount: 1, flatAmount: 0 },
        { upTo: null, unitAmount: 1, flatAmount: 0 },
      ]),
    ).toEqual(['tiers[2].upTo must be greater than tiers[0].upTo', 'only the last tier may have upTo null']);
  });

  it('requires whole, positive upTo and non-negative whole minor-unit amounts', () => {
    expect(
      tierProblems([
        { upTo: 0, unitAmount: -1, flatAmount: 0 },
        { upTo: 2.5, unitAmount: 10.5, flatAmount: -3 },
        { upTo: null, unitAmount: 1, flatAmount: Number.NaN },
      ]),
    ).toEqual([
      'tiers[0].upTo must be a positive whole number or null',
      'tiers[0].unitAmount must be a non-negative whole number of minor units',
      'tiers[1].upTo must be a positive whole number or null',
      'tiers[1].unitAmount must be a non-negative whole number of minor units',
      'tiers[1].flatAmount must be a non-negative whole number of minor units',
      'tiers[2].flatAmount must be a non-negative whole number of minor units',
    ]);
  });
});

describe('flatPrice', () => {
  it('multiplies the unit amount by the quantity', () => {
    expect(flatPrice(150_000, 3)).toBe(450_000);
    expect(flatPrice(150_000, 0)).toBe(0);
    expect(flatPrice(0, 1_000)).toBe(0);
    expect(flatPrice(3, 3_002_399_751_580_330)).toBe(9_007_199_254_740_990);
  });

  it('refuses a product past the safe-integer range, fractional amounts and bad quantities', () => {
    expect(() => flatPrice(2, 2 ** 52)).toThrow(/larger than can be represented exactly/);
    expect(() => flatPrice(10.5, 1)).toThrow(/unitAmount must be a non-negative whole number/);
    expect(() => flatPrice(-100, 1)).toThrow(RangeError);
    expect(() => flatPrice(100, -1)).toThrow(/quantity/);
    expect(() => flatPrice(100, 0.5)).toThrow(/quantity/);
  });
});
