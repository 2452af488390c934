// Calendar math for billing periods, in UTC. Period boundaries are always computed from the anchor, never
// from the previous boundary, so month-end anchors do not drift: Jan 31 -> Feb 28/29 -> Mar 31 -> Apr 30.

// MINUTE exists so a person can watch a whole lifecycle in minutes against the sandboxes; src/config.ts keeps it
// out of production.
export const BILLING_INTERVALS = ['MINUTE', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** Each interval's unit in words, singular and plural (emails and the portal write "every 3 months" with it). */
export const INTERVAL_UNITS: Readonly<Record<BillingInterval, readonly [one: string, many: string]>> = {
  MINUTE: ['minute', 'minutes'],
  DAY: ['day', 'days'],
  WEEK: ['week', 'weeks'],
  MONTH: ['month', 'months'],
  QUARTER: ['quarter', 'quarters'],
  YEAR: ['year', 'years'],
};

export interface Cadence {
  readonly interval: BillingInterval;
  readonly intervalCount: number;
}

export interface BillingPeriod {
  readonly start: Date;
  readonly end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function daysInUtcMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

function addUtcMonthsClamped(anchor: Date, months: number): Date {
  const totalMonths = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInUtcMonth(year, monthIndex));
  return new Date(
    Date.UTC(
      year,
      monthIndex,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The boundary `index` periods after the anchor (index 0 is the anchor itself). */
export function periodBoundary(anchor: Date, cadence: Cadence, index: number): Date {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`period index must be a non-negative integer, got ${index}`);
  if (!Number.isInteger(cadence.intervalCount) || cadence.intervalCount < 1) {
    throw new RangeError(`intervalCount must be a positive integer, got ${cadence.intervalCount}`);
  }
  const steps = index * cadence.intervalCount;
  switch (cadence.interval) {
    case 'MINUTE':
      return new Date(anchor.getTime() + steps * MINUTE_MS);
    case 'DAY':
      return new Date(anchor.getTime() + steps * DAY_MS);
    case 'WEEK':
      return new Date(anchor.getTime() + steps * 7 * DAY_MS);
    case 'MONTH':
      return addUtcMonthsClamped(anchor, steps);
    case 'QUARTER':
      return addUtcMonthsClamped(anchor, steps * 3);
    case 'YEAR':
      return addUtcMonthsClamped(anchor, steps * 12);
  }
}

/** The `index`-th billing period of a subscription anchored at `anchor` (0 is the first). */
export function billingPeriod(anchor: Date, cadence: Cadence, index: number): BillingPeriod {
  return { start: periodBoundary(anchor, cadence, index), end: periodBoundary(anchor, cadence, index + 1) };
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
