// Monthly recurring revenue: what the subscriptions bring in per month at their current prices, whatever their
// cadence. A year's price counts a twelfth, a week's 52/12 of itself. Contributions are added as exact fractions
// and each currency's total is rounded once, half up, so many small cadences cannot drift by a minor unit each.
import type { Cadence } from './billingPeriod.js';
import type { Money } from './money.js';
import { gcd } from './greatestCommonDivisor.js';

/** Months in one period of the cadence, as numerator / denominator (a WEEK is 12/52 of a month, inverted). */
function periodsPerMonth({ interval, intervalCount }: Cadence): { numerator: bigint; denominator: bigint } {
  const count = BigInt(intervalCount);
  switch (interval) {
    case 'MINUTE':
      return { numerator: 525_600n, denominator: 12n * count };
    case 'DAY':
      return { numerator: 365n, denominator: 12n * count };
    case 'WEEK':
      return { numerator: 52n, denominator: 12n * count };
    case 'MONTH':
      return { numerator: 1n, denominator: count };
    case 'QUARTER':
      return { numerator: 1n, denominator: 3n * count };
    case 'YEAR':
      return { numerator: 1n, denominator: 12n * count };
  }
}

export interface RecurringCharge {
  /** What one subscription pays per period, in minor units (quantity and tiers applied). */
  periodAmount: number;
  currency: string;
  cadence: Cadence;
  /** How many subscriptions pay exactly this. */
  subscriptions: number;
}

/** Per currency, sorted by currency code; currencies with nothing recurring are absent. */
export function monthlyRecurringRevenue(charges: readonly RecurringCharge[]): Money[] {
  const totals = new Map<string, { numerator: bigint; denominator: bigint }>();
  for (const charge of charges) {
    if (charge.subscriptions === 0 || charge.periodAmount === 0) continue;
    const rate = periodsPerMonth(charge.cadence);
    const addNumerator = BigInt(charge.periodAmount) * BigInt(charge.subscriptions) * rate.numerator;
    const sum = totals.get(charge.currency) ?? { numerator: 0n, denominator: 1n };
    let numerator = sum.numerator * rate.denominator + addNumerator * sum.denominator;
    let denominator = sum.denominator * rate.denominator;
    const common = gcd(numerator, denominator);
    numerator /= common;
    denominator /= common;
    totals.set(charge.currency, { numerator, denominator });
  }
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, { numerator, denominator }]) => ({
      // Half up: amounts are never negative here.
      amount: Number((2n * numerator + denominator) / (2n * denominator)),
      currency,
    }));
}
