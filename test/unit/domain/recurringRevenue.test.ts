import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BILLING_INTERVALS } from '../../../src/domain/billingPeriod.js';
import { monthlyRecurringRevenue, type RecurringCharge } from '../../../src/domain/recurringRevenue.js';

const monthly = (periodAmount: number, subscriptions = 1, currency = 'KES'): RecurringCharge => ({
  periodAmount,
  currency,
  cadence: { interval: 'MONTH', intervalCount: 1 },
  subscriptions,
});

describe('monthlyRecurringRevenue', () => {
  it('counts monthly prices as they are, times the subscriptions paying them', () => {
    expect(monthlyRecurringRevenue([monthly(150_000, 3)])).toEqual([{ amount: 450_000, currency: 'KES' }]);
  });

  it('spreads other cadences over months: a year is twelve, a quarter three, a week 52/12 of one', () => {
    expect(
      monthlyRecurringRevenue([
        { periodAmount: 120_000, currency: 'USD', cadence: { interval: 'YEAR', intervalCount: 1 }, subscriptions: 1 },
        { periodAmount: 30_000, currency: 'USD', cadence: { interval: 'QUARTER', intervalCount: 1 }, subscriptions: 1 },
        { periodAmount: 1_200, currency: 'USD', cadence: { interval: 'WEEK', intervalCount: 1 }, subscriptions: 1 },
        { periodAmount: 2_000, currency: 'USD', cadence: { interval: 'MONTH', intervalCount: 2 }, subscriptions: 1 },
      ]),
      // 10,000 + 10,000 + 5,200 + 1,000
    ).toEqual([{ amount: 26_200, currency: 'USD' }]);
  });

  it('adds exact fractions and rounds each currency once, half up', () => {
    // Three yearly prices of 1 minor unit: 3/12 of a unit a month rounds to 0; six of them, 6/12, rounds up to 1.
    const yearlyUnit = (subscriptions: number): RecurringCharge => ({
      periodAmount: 1,
      currency: 'KES',
      cadence: { interval: 'YEAR', intervalCount: 1 },
      subscriptions,
    });
    expect(monthlyRecurringRevenue([yearlyUnit(3)])).toEqual([{ amount: 0, currency: 'KES' }]);
    expect(monthlyRecurringRevenue([yearlyUnit(3), yearlyUnit(3)])).toEqual([{ amount: 1, currency: 'KES' }]);
    // Daily 100 over 365/12 days: 3041.666... -> 3042.
    expect(
      monthlyRecurringRevenue([
        { periodAmount: 100, currency: 'KES', cadence: { interval: 'DAY', intervalCount: 1 }, subscriptions: 1 },
      ]),
    ).toEqual([{ amount: 3_042, currency: 'KES' }]);
  });

  it('keeps currencies apart, sorted by code, and leaves out what pays nothing', () => {
    expect(monthlyRecurringRevenue([monthly(500, 1, 'USD'), monthly(100_000), monthly(0, 4, 'EUR')])).toEqual([
      { amount: 100_000, currency: 'KES' },
      { amount: 500, currency: 'USD' },
    ]);
  });

  it('does not depend on the order of the charges, and stays within half a unit of the float sum', () => {
    const charge = fc.record({
      periodAmount: fc.integer({ min: 0, max: 10_000_000 }),
      currency: fc.constant('KES'),
      cadence: fc.record({
        interval: fc.constantFrom(...BILLING_INTERVALS),
        intervalCount: fc.integer({ min: 1, max: 12 }),
      }),
      subscriptions: fc.integer({ min: 0, max: 1000 }),
    });
    const months: Record<string, number> = {
      MINUTE: 525_600 / 12,
      DAY: 365 / 12,
      WEEK: 52 / 12,
      MONTH: 1,
      QUARTER: 1 / 3,
      YEAR: 1 / 12,
    };
    fc.assert(
      fc.property(fc.array(charge, { maxLength: 20 }), (charges) => {
        const total = monthlyRecurringRevenue(charges)[0]?.amount ?? 0;
        expect(monthlyRecurringRevenue([...charges].reverse())[0]?.amount ?? 0).toBe(total);
        const approximate = charges.reduce(
          (sum, c) => sum + (c.periodAmount * c.subscriptions * months[c.cadence.interval]!) / c.cadence.intervalCount,
          0,
        );
        expect(Math.abs(total - approximate)).toBeLessThanOrEqual(0.5 + approximate * 1e-12);
      }),
    );
  });
});
