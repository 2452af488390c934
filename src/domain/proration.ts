// Time-based proration for a plan or quantity change in the middle of a billing period, the way Stripe does it: the
// customer gets back the unused part of what they paid for the period and is charged the same part of the new price.
//
// Pure on purpose: it runs inside activities whose results Temporal records in workflow history, so every instant is
// a parameter (never the clock) and the result holds only numbers, strings and Dates, which the JSON payload
// converter can encode (a BigInt cannot be). BigInt is used only inside, because amount x milliseconds passes 2^53
// quickly (KES 10,000,000.00 over a 31-day month is already ~2.7e18) and a float product would lose minor units.
//
// Amounts are minor units of `currency` and the arithmetic never looks at the currency's exponent, so JPY, KES and
// KWD go through the same code. Rounding to anything coarser than a minor unit is not done here: M-Pesa, for one,
// takes whole shillings only (see src/payments/mpesa/MpesaProvider.ts), but whether to round each proration line,
// the invoice total, or to carry the cents over to the next invoice is the invoicing code's decision, not this one.

import { isCurrencyCode } from './money.js';
import { gcd } from './greatestCommonDivisor.js';

export interface PricedItem {
  /** The whole-period price of the item at its quantity, in minor units (e.g. from tieredAmount or flatPrice). */
  amount: number;
  description: string;
}

export interface ProrationInput {
  periodStart: Date;
  /** Exclusive. */
  periodEnd: Date;
  /** When the change takes effect: periodStart <= changeAt < periodEnd. */
  changeAt: Date;
  currency: string;
  /** What the customer paid for the whole period. */
  from: PricedItem;
  /** The new plan or quantity, for the rest of the period. */
  to: PricedItem;
}

export type ProrationLineKind = 'PRORATION_CREDIT' | 'PRORATION_CHARGE';

export interface ProrationLine {
  kind: ProrationLineKind;
  /** Negative for a credit, positive for a charge; never 0 (such a line is left out). */
  amount: number;
  description: string;
  /** The part of the period the line is for: from changeAt to the end of the period. */
  periodStart: Date;
  periodEnd: Date;
}

export interface Proration {
  currency: string;
  /** The credit (if any) first, then the charge (if any). */
  lines: ProrationLine[];
  /** The sum of the lines: charge minus credit. Negative when the change is a downgrade. */
  net: number;
  /** (periodEnd - changeAt) / (periodEnd - periodStart) in lowest terms; 0 < fraction <= 1. */
  unusedFraction: { numerator: number; denominator: number };
}

function assertValidDate(name: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new RangeError(`${name} must be a valid Date, got ${String(value)}`);
  }
}

function assertMinorUnits(name: string, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`${name} must be a non-negative whole number of minor units, got ${amount}`);
  }
}

/**
 * amount x numerator / denominator, rounded to the nearest minor unit with an exact half going up (away from zero).
 * Callers pass magnitudes and negate credits afterwards, so a credit and a charge for the same price and time are
 * always exact opposites: a change to an identical price nets to exactly 0, where rounding the signed credit towards
 * +infinity would leave the customer a minor unit out of pocket.
 */
function prorateHalfUp(amount: number, numerator: bigint, denominator: bigint): number {
  // floor((2 x exact + 1) / 2) without leaving integers: every term is non-negative, so BigInt division is floor.
  const rounded = (2n * BigInt(amount) * numerator + denominator) / (2n * denominator);
  // numerator <= denominator, so the result is at most `amount` and therefore still a safe integer.
  return Number(rounded);
}

/**
 * The credit for the unused part of `from` and the charge for the same part of `to`. Each line is rounded on its own
 * (half a minor unit up, away from zero), so `net` can be one minor unit away from prorating the price difference
 * and rounding once; a line that rounds to 0 is left out. Throws a RangeError for an impossible period or change time,
 * an amount that is not a non-negative safe integer, or a currency that is not an ISO 4217 code.
 */
export function prorate(input: ProrationInput): Proration {
  const { periodStart, periodEnd, changeAt, currency, from, to } = input;
  assertValidDate('periodStart', periodStart);
  assertValidDate('periodEnd', periodEnd);
  assertValidDate('changeAt', changeAt);
  const start = BigInt(periodStart.getTime());
  const end = BigInt(periodEnd.getTime());
  const change = BigInt(changeAt.getTime());
  if (end <= start) {
    throw new RangeError(
      `periodEnd (${periodEnd.toISOString()}) must be after periodStart (${periodStart.toISOString()})`,
    );
  }
  // Two extreme Dates can be further apart than a number counts exactly, and the fraction is returned as numbers.
  if (end - start > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`the period is too long to measure exactly in milliseconds`);
  }
  if (change < start || change >= end) {
    throw new RangeError(
      `changeAt (${changeAt.toISOString()}) must be within the period ` +
        `[${periodStart.toISOString()}, ${periodEnd.toISOString()})`,
    );
  }
  assertMinorUnits('from.amount', from.amount);
  assertMinorUnits('to.amount', to.amount);
  if (!isCurrencyCode(currency)) throw new RangeError(`currency must be an ISO 4217 code, got ${currency}`);

  const unused = end - change;
  const total = end - start;
  const divisor = gcd(unused, total);

  const credit = prorateHalfUp(from.amount, unused, total);
  const charge = prorateHalfUp(to.amount, unused, total);
  const lines: ProrationLine[] = [];
  const line = (kind: ProrationLineKind, amount: number, description: string): ProrationLine => ({
    kind,
    amount,
    description,
    // Copies, so that neither the caller nor a later line can move another line's period by mutating a Date.
    periodStart: new Date(changeAt.getTime()),
    periodEnd: new Date(periodEnd.getTime()),
  });
  if (credit > 0) lines.push(line('PRORATION_CREDIT', -credit, `Unused time on ${from.description}`));
  if (charge > 0) lines.push(line('PRORATION_CHARGE', charge, `Remaining time on ${to.description}`));

  return {
    currency,
    lines,
    net: charge - credit,
    unusedFraction: { numerator: Number(unused / divisor), denominator: Number(total / divisor) },
  };
}
