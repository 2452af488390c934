// Properties of proration over real billing periods (every cadence, month-end and leap-day anchors), change times
// anywhere in the period and prices up to 10^9 minor units. The example tests next door pin worked amounts; these
// look for the period length, change time or price where rounding or the BigInt arithmetic goes wrong.
//
// Expected values are computed here as exact rationals in BigInt: "exact" below means amount x unused / length with
// unused = periodEnd - changeAt and length = periodEnd - periodStart, both in milliseconds.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BILLING_INTERVALS, billingPeriod, type BillingPeriod } from '../../../src/domain/billingPeriod.js';
import { prorate, type Proration } from '../../../src/domain/proration.js';

const DAY_MS = 86_400_000;
const daysInUtcMonth = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/** Anchors in 2000-2100, half of them on the 28th to the 31st, where months clamp and periods change length. */
const anyAnchor: fc.Arbitrary<Date> = fc.oneof(
  fc.date({
    min: new Date('2000-01-01T00:00:00.000Z'),
    max: new Date('2100-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  }),
  fc
    .record({
      year: fc.integer({ min: 2000, max: 2100 }),
      monthIndex: fc.integer({ min: 0, max: 11 }),
      day: fc.integer({ min: 28, max: 31 }),
      msOfDay: fc.integer({ min: 0, max: DAY_MS - 1 }),
    })
    .map(
      ({ year, monthIndex, day, msOfDay }) =>
        new Date(Date.UTC(year, monthIndex, Math.min(day, daysInUtcMonth(year, monthIndex))) + msOfDay),
    ),
);

const anyPeriod: fc.Arbitrary<BillingPeriod> = fc
  .record({
    anchor: anyAnchor,
    cadence: fc.record({
      interval: fc.constantFrom(...BILLING_INTERVALS),
      intervalCount: fc.integer({ min: 1, max: 12 }),
    }),
    index: fc.integer({ min: 0, max: 120 }),
  })
  .map(({ anchor, cadence, index }) => billingPeriod(anchor, cadence, index));

const lengthOf = (period: BillingPeriod) => period.end.getTime() - period.start.getTime();

/**
 * `count` distinct instants in [start, end), ascending. Offsets are BigInt because a 12-year period is ~3.8e11 ms,
 * past fc.integer's 32 bits; fc.bigInt also favours the bounds, so the very start and the last millisecond come up.
 */
function instantsIn(period: BillingPeriod, count: 1 | 2): fc.Arbitrary<Date[]> {
  const last = BigInt(lengthOf(period) - 1);
  const at = (offset: bigint) => new Date(period.start.getTime() + Number(offset));
  if (count === 1) return fc.bigInt({ min: 0n, max: last }).map((offset) => [at(offset)]);
  return fc
    .bigInt({ min: 0n, max: last - 1n })
    .chain((first) => fc.bigInt({ min: first + 1n, max: last }).map((second) => [at(first), at(second)]));
}

const periodAndChange = anyPeriod.chain((period) =>
  instantsIn(period, 1).map(([changeAt]) => ({ period, changeAt: changeAt! })),
);
const periodAndTwoChanges = anyPeriod.chain((period) =>
  instantsIn(period, 2).map(([first, second]) => ({ period, first: first!, second: second! })),
);

const anyAmount = fc.integer({ min: 0, max: 1_000_000_000 });
const anyCurrency = fc.constantFrom('KES', 'USD', 'JPY', 'KWD', 'EUR', 'BHD', 'UGX');

function run(period: BillingPeriod, changeAt: Date, from: number, to: number, currency = 'KES'): Proration {
  return prorate({
    periodStart: period.start,
    periodEnd: period.end,
    changeAt,
    currency,
    from: { amount: from, description: 'from' },
    to: { amount: to, description: 'to' },
  });
}

const creditOf = (proration: Proration) =>
  proration.lines.find((line) => line.kind === 'PRORATION_CREDIT')?.amount ?? 0;
const chargeOf = (proration: Proration) =>
  proration.lines.find((line) => line.kind === 'PRORATION_CHARGE')?.amount ?? 0;

/** amount x unused / length as a numerator over `length`. */
function exactTimesLength(amount: number, period: BillingPeriod, changeAt: Date): bigint {
  return BigInt(amount) * BigInt(period.end.getTime() - changeAt.getTime());
}

/** |line - exact| x 2 <= 1, compared as integers: |line x length - exact x length| x 2 <= length. */
function expectWithinHalfUnit(line: number, amount: number, period: BillingPeriod, changeAt: Date): void {
  const length = BigInt(lengthOf(period));
  const error = BigInt(Math.abs(line)) * length - exactTimesLength(amount, period, changeAt);
  const absoluteError = error < 0n ? -error : error;
  expect(absoluteError * 2n <= length).toBe(true);
  // A tie goes up, away from zero, for the credit as for the charge.
  if (absoluteError * 2n === length) expect(error > 0n).toBe(true);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

describe('prorate (properties)', () => {
  it('credits at most the old price and charges at most the new one, in well-formed lines that sum to net', () => {
    fc.assert(
      fc.property(periodAndChange, anyAmount, anyAmount, anyCurrency, ({ period, changeAt }, from, to, currency) => {
        const result = run(period, changeAt, from, to, currency);
        const credit = creditOf(result);
        const charge = chargeOf(result);
        expect(-credit).toBeGreaterThanOrEqual(0);
        expect(-credit).toBeLessThanOrEqual(from);
        expect(charge).toBeGreaterThanOrEqual(0);
        expect(charge).toBeLessThanOrEqual(to);
        expect(result.net).toBe(credit + charge);
        expect(result.currency).toBe(currency);
        // At most one line of each kind, credit first, none of 0, each for the rest of the period.
        expect(result.lines.map((line) => line.kind)).toEqual(
          [credit !== 0 && 'PRORATION_CREDIT', charge !== 0 && 'PRORATION_CHARGE'].filter(Boolean),
        );
        for (const line of result.lines) {
          expect(Number.isSafeInteger(line.amount) && line.amount !== 0).toBe(true);
          expect(line.periodStart.getTime()).toBe(changeAt.getTime());
          expect(line.periodEnd.getTime()).toBe(period.end.getTime());
        }
      }),
    );
  });

  it('rounds each line to within half a minor unit of its exact value, ties away from zero', () => {
    // Prices up to 2^53 are included: past 2^53 / length a float product of price and milliseconds is off.
    const amount = fc.oneof(anyAmount, fc.maxSafeNat());
    fc.assert(
      fc.property(periodAndChange, amount, amount, ({ period, changeAt }, from, to) => {
        const result = run(period, changeAt, from, to);
        expectWithinHalfUnit(creditOf(result), from, period, changeAt);
        expectWithinHalfUnit(chargeOf(result), to, period, changeAt);
      }),
    );
  });

  it('gives an exact value exactly when it is a whole number of minor units', () => {
    // Prices that are multiples of the period length make amount x unused / length an integer at every instant.
    const multiple = anyPeriod.chain((period) =>
      fc.record({
        period: fc.constant(period),
        changeAt: instantsIn(period, 1).map(([changeAt]) => changeAt!),
        from: fc.integer({ min: 0, max: 1_000 }).map((k) => k * lengthOf(period)),
        to: fc.integer({ min: 0, max: 1_000 }).map((k) => k * lengthOf(period)),
      }),
    );
    fc.assert(
      fc.property(multiple, ({ period, changeAt, from, to }) => {
        const result = run(period, changeAt, from, to);
        const length = BigInt(lengthOf(period));
        expect(BigInt(-creditOf(result)) * length).toBe(exactTimesLength(from, period, changeAt));
        expect(BigInt(chargeOf(result)) * length).toBe(exactTimesLength(to, period, changeAt));
      }),
    );
  });

  it('nets a change to the same price to exactly 0', () => {
    // Two independently rounded lines could be a minor unit apart, and would be if a credit's tie rounded towards
    // +infinity. Rounding magnitudes makes the credit the exact opposite of the charge, so the net is 0 whether or
    // not the exact values are integers (which also covers "within 1 minor unit of 0").
    fc.assert(
      fc.property(periodAndChange, anyAmount, ({ period, changeAt }, amount) => {
        const result = run(period, changeAt, amount, amount);
        expect(result.net).toBe(0);
        expect(creditOf(result) + chargeOf(result)).toBe(0);
      }),
    );
  });

  it('never credits or charges more for a later change', () => {
    fc.assert(
      fc.property(periodAndTwoChanges, anyAmount, anyAmount, ({ period, first, second }, from, to) => {
        const earlier = run(period, first, from, to);
        const later = run(period, second, from, to);
        expect(-creditOf(later)).toBeLessThanOrEqual(-creditOf(earlier));
        expect(chargeOf(later)).toBeLessThanOrEqual(chargeOf(earlier));
      }),
    );
  });

  it('chains: after A -> B at t1 and B -> C at t2, C is charged as if A had gone straight to C at t2', () => {
    // The second change is prorated from B, the price the period is now paid at, and nothing earlier: so C's charge
    // for [t2, end) is the one a direct A -> C at t2 would make, and the workflow can prorate each change as it comes
    // without replaying the ones before. That half holds by construction; the half that needs the arithmetic right
    // is that the customer ends up paying each price for the time it was in force: A + net1 + net2 is A's share of
    // [start, t1) plus B's of [t1, t2) plus C's of [t2, end), up to the rounding of four lines, half a unit each.
    fc.assert(
      fc.property(periodAndTwoChanges, anyAmount, anyAmount, anyAmount, ({ period, first, second }, a, b, c) => {
        const aToB = run(period, first, a, b);
        const bToC = run(period, second, b, c);
        const aToC = run(period, second, a, c);
        expect(chargeOf(bToC)).toBe(chargeOf(aToC));

        const [start, t1, t2, end] = [period.start, first, second, period.end].map((date) => BigInt(date.getTime()));
        const length = end! - start!;
        const exactPaidTimesLength = BigInt(a) * (t1! - start!) + BigInt(b) * (t2! - t1!) + BigInt(c) * (end! - t2!);
        const error = BigInt(a + aToB.net + bToC.net) * length - exactPaidTimesLength;
        expect((error < 0n ? -error : error) <= 2n * length).toBe(true);
      }),
    );
  });

  it('reports the unused fraction exactly, in lowest terms, in (0, 1]', () => {
    fc.assert(
      fc.property(periodAndChange, ({ period, changeAt }) => {
        const { numerator, denominator } = run(period, changeAt, 0, 0).unusedFraction;
        expect(Number.isSafeInteger(numerator) && Number.isSafeInteger(denominator)).toBe(true);
        expect(numerator).toBeGreaterThan(0);
        expect(numerator).toBeLessThanOrEqual(denominator);
        expect(gcd(BigInt(numerator), BigInt(denominator))).toBe(1n);
        // numerator / denominator == unused / length, cross-multiplied so that no division rounds.
        expect(BigInt(numerator) * BigInt(lengthOf(period))).toBe(
          BigInt(denominator) * BigInt(period.end.getTime() - changeAt.getTime()),
        );
      }),
    );
  });
});
