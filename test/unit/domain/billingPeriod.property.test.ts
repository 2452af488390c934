// Properties of the billing calendar over random anchors, cadences and indices. The example tests next door pin
// a few dates; these search for the anchor (a month end, Feb 29, a late hour) where contiguity or clamping breaks.
//
// Proration has no code yet (nothing splits a period's price by days), so there is no property for it here.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addDays,
  BILLING_INTERVALS,
  billingPeriod,
  periodBoundary,
  type Cadence,
} from '../../../src/domain/billingPeriod.js';

const DAY_MS = 86_400_000;
// Every interval is either a fixed length of time or a number of calendar months; keyed by name (not by the
// BillingInterval type) so that an interval added to the code but not here fails the first test below.
const MONTHS_PER_INTERVAL: Readonly<Record<string, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
const MS_PER_INTERVAL: Readonly<Record<string, number>> = { MINUTE: 60_000, DAY: DAY_MS, WEEK: 7 * DAY_MS };

const daysInUtcMonth = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const monthNumber = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
const timeOfDay = (date: Date) =>
  date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/**
 * Anchors in 2000-2100, weighted towards the days that need clamping: the 28th to the 31st and Feb 29. A day the
 * month does not have becomes its last day, so "31" in April is April 30 and "29" in February 2001 is Feb 28.
 */
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
    .map(({ year, monthIndex, day, msOfDay }) => {
      const clamped = Math.min(day, daysInUtcMonth(year, monthIndex));
      return new Date(Date.UTC(year, monthIndex, clamped) + msOfDay);
    }),
  fc
    .record({
      year: fc.integer({ min: 0, max: 24 }).map((n) => 2000 + 4 * n), // 2000 to 2096; 2100 is not a leap year
      msOfDay: fc.integer({ min: 0, max: DAY_MS - 1 }),
    })
    .map(({ year, msOfDay }) => new Date(Date.UTC(year, 1, 29) + msOfDay)),
);

const anyCadence: fc.Arbitrary<Cadence> = fc.record({
  interval: fc.constantFrom(...BILLING_INTERVALS),
  intervalCount: fc.integer({ min: 1, max: 12 }),
});
const monthBasedCadence: fc.Arbitrary<Cadence> = fc.record({
  interval: fc.constantFrom<Cadence['interval']>('MONTH', 'QUARTER', 'YEAR'),
  intervalCount: fc.integer({ min: 1, max: 12 }),
});
const anyIndex = fc.integer({ min: 0, max: 120 });

/** Calendar months per period, or undefined for an interval of fixed length. */
const monthsPerStep = (cadence: Cadence) => {
  const months = MONTHS_PER_INTERVAL[cadence.interval];
  return months === undefined ? undefined : months * cadence.intervalCount;
};
/** Milliseconds per period, or undefined for a month-based interval. */
const msPerStep = (cadence: Cadence) => {
  const ms = MS_PER_INTERVAL[cadence.interval];
  return ms === undefined ? undefined : ms * cadence.intervalCount;
};

describe('billing periods (properties)', () => {
  it('knows every interval the code has as either fixed-length or month-based', () => {
    for (const interval of ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']) expect(BILLING_INTERVALS).toContain(interval);
    for (const interval of BILLING_INTERVALS) {
      expect([MONTHS_PER_INTERVAL[interval], MS_PER_INTERVAL[interval]].filter((n) => n !== undefined)).toHaveLength(1);
    }
  });

  it('generates the month-end and leap-day anchors it claims to', () => {
    const sample = fc.sample(anyAnchor, { numRuns: 2000, seed: 7 });
    expect(sample.every((anchor) => anchor.getUTCFullYear() >= 2000 && anchor.getUTCFullYear() <= 2100)).toBe(true);
    expect(sample.some((anchor) => anchor.getUTCMonth() === 1 && anchor.getUTCDate() === 29)).toBe(true);
    for (const day of [28, 29, 30, 31]) expect(sample.some((anchor) => anchor.getUTCDate() === day)).toBe(true);
  });

  it('period 0 starts at the anchor, and period i ends exactly where period i + 1 starts', () => {
    fc.assert(
      fc.property(anyAnchor, anyCadence, anyIndex, (anchor, cadence, index) => {
        expect(billingPeriod(anchor, cadence, 0).start.getTime()).toBe(anchor.getTime());
        const current = billingPeriod(anchor, cadence, index);
        const next = billingPeriod(anchor, cadence, index + 1);
        expect(next.start.getTime()).toBe(current.end.getTime());
        expect(current.start.getTime()).toBe(periodBoundary(anchor, cadence, index).getTime());
        expect(current.end.getTime()).toBe(periodBoundary(anchor, cadence, index + 1).getTime());
      }),
    );
  });

  it('boundaries strictly increase, each exactly one step after the last: none skipped, none doubled', () => {
    fc.assert(
      fc.property(anyAnchor, anyCadence, fc.integer({ min: 1, max: 121 }), (anchor, cadence, count) => {
        const boundaries = Array.from({ length: count + 1 }, (_, i) => periodBoundary(anchor, cadence, i));
        const months = monthsPerStep(cadence);
        for (let i = 1; i < boundaries.length; i++) {
          const previous = boundaries[i - 1]!;
          const boundary = boundaries[i]!;
          expect(boundary.getTime()).toBeGreaterThan(previous.getTime());
          if (months === undefined) {
            expect(boundary.getTime() - previous.getTime()).toBe(msPerStep(cadence));
          } else {
            // One step is exactly `months` calendar months: a skipped month or two periods in one would show here.
            expect(monthNumber(boundary) - monthNumber(previous)).toBe(months);
          }
        }
      }),
    );
  });

  it('month-based boundaries keep the anchor day (or the last day of a shorter month) and its time of day', () => {
    fc.assert(
      fc.property(anyAnchor, monthBasedCadence, anyIndex, (anchor, cadence, index) => {
        const boundary = periodBoundary(anchor, cadence, index);
        const expectedMonth = monthNumber(anchor) + index * monthsPerStep(cadence)!;
        expect(monthNumber(boundary)).toBe(expectedMonth);
        const lastDay = daysInUtcMonth(boundary.getUTCFullYear(), boundary.getUTCMonth());
        expect(boundary.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), lastDay));
        expect(timeOfDay(boundary)).toBe(timeOfDay(anchor));
      }),
    );
  });

  it('an anchor on the 31st walks Jan 31 -> Feb 28/29 -> Mar 31 -> Apr 30, never settling on a clamped day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 0, max: DAY_MS - 1 }), (year, msOfDay) => {
        const anchor = new Date(Date.UTC(year, 0, 31) + msOfDay);
        const monthly = { interval: 'MONTH', intervalCount: 1 } as const;
        const days = Array.from({ length: 25 }, (_, i) => periodBoundary(anchor, monthly, i).getUTCDate());
        const february = (y: number) => (isLeap(y) ? 29 : 28);
        const oneYear = (y: number) => [31, february(y), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        expect(days).toEqual([...oneYear(year), ...oneYear(year + 1), 31]);
      }),
    );
  });

  it('boundary k depends only on the anchor and k, not on the path: equal cadences agree, re-anchoring agrees', () => {
    fc.assert(
      fc.property(anyAnchor, anyCadence, anyIndex, fc.integer({ min: 0, max: 120 }), (anchor, cadence, k, j) => {
        const boundary = periodBoundary(anchor, cadence, k);
        const months = monthsPerStep(cadence);
        if (months === undefined) {
          expect(boundary.getTime() - anchor.getTime()).toBe(k * msPerStep(cadence)!);
        } else {
          // k periods of n months are k * n periods of one month: the same boundary, however the span is cut.
          const monthly = { interval: 'MONTH', intervalCount: 1 } as const;
          expect(periodBoundary(anchor, monthly, k * months).getTime()).toBe(boundary.getTime());
        }

        // Starting again from boundary j gives the same boundary j + k whenever boundary j is the anchor's own day
        // (not clamped); from a clamped one it would drift, which is why the code never steps from the previous one.
        const restart = periodBoundary(anchor, cadence, j);
        if (months === undefined || restart.getUTCDate() === anchor.getUTCDate()) {
          expect(periodBoundary(restart, cadence, k).getTime()).toBe(periodBoundary(anchor, cadence, j + k).getTime());
        }
      }),
    );
  });

  it('addDays moves by whole UTC days and composes', () => {
    fc.assert(
      fc.property(
        anyAnchor,
        fc.integer({ min: -36_600, max: 36_600 }),
        fc.integer({ min: -36_600, max: 36_600 }),
        (date, a, b) => {
          expect(addDays(date, a).getTime() - date.getTime()).toBe(a * DAY_MS);
          expect(timeOfDay(addDays(date, a))).toBe(timeOfDay(date));
          expect(addDays(addDays(date, a), b).getTime()).toBe(addDays(date, a + b).getTime());
        },
      ),
    );
    fc.assert(
      fc.property(anyAnchor, fc.integer({ min: 1, max: 12 }), anyIndex, (anchor, intervalCount, index) => {
        expect(periodBoundary(anchor, { interval: 'DAY', intervalCount }, index).getTime()).toBe(
          addDays(anchor, index * intervalCount).getTime(),
        );
      }),
    );
  });

  it('refuses indices that are negative or not whole', () => {
    fc.assert(
      fc.property(
        anyAnchor,
        anyCadence,
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        ),
        (anchor, cadence, index) => {
          expect(() => periodBoundary(anchor, cadence, index)).toThrow(RangeError);
        },
      ),
    );
  });
});
