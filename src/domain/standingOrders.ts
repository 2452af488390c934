// M-Pesa Ratiba standing orders (docs/ratiba.md): which plan cadences Daraja can collect on its own schedule, and the
// standing order's state machine. docs/states.md shows the machine from here; anything not listed is refused.
import type { Cadence } from './billingPeriod.js';
import { StateMachine } from './stateMachine.js';

/**
 * Daraja's Frequency codes: 1 one-off, 2 daily, 3 weekly, 4 monthly, 5 every two months, 6 quarterly, 7 every six
 * months, 8 yearly. Only a cadence with a code can be collected by a standing order: a plan billed every 2 weeks or
 * every 5 minutes cannot.
 */
export const RATIBA_FREQUENCIES = {
  DAILY: 2,
  WEEKLY: 3,
  MONTHLY: 4,
  BI_MONTHLY: 5,
  QUARTERLY: 6,
  HALF_YEARLY: 7,
  YEARLY: 8,
} as const;

export function ratibaFrequency({ interval, intervalCount }: Cadence): number | null {
  const months =
    interval === 'MONTH'
      ? intervalCount
      : interval === 'QUARTER'
        ? 3 * intervalCount
        : interval === 'YEAR'
          ? 12 * intervalCount
          : null;
  if (months !== null) {
    const byMonths: Record<number, number> = { 1: 4, 2: 5, 3: 6, 6: 7, 12: 8 };
    return byMonths[months] ?? null;
  }
  if (intervalCount !== 1) return null;
  if (interval === 'DAY') return RATIBA_FREQUENCIES.DAILY;
  if (interval === 'WEEK') return RATIBA_FREQUENCIES.WEEKLY;
  return null;
}

export const STANDING_ORDER_STATUSES = ['PENDING_APPROVAL', 'ACTIVE', 'DECLINED', 'LAPSED', 'CANCELLED'] as const;
export type StandingOrderStatus = (typeof STANDING_ORDER_STATUSES)[number];

/** The statuses in which an order may still collect: at most one per subscription. */
export const LIVE_STANDING_ORDER_STATUSES: readonly StandingOrderStatus[] = ['PENDING_APPROVAL', 'ACTIVE'];

export const standingOrderMachine = new StateMachine<StandingOrderStatus>('standing order', STANDING_ORDER_STATUSES, [
  { from: '[*]', to: 'PENDING_APPROVAL', when: 'requested: Daraja asked to put it on the customer’s phone' },
  { from: 'PENDING_APPROVAL', to: 'ACTIVE', when: 'the customer approved it with their PIN (result callback 0)' },
  { from: 'PENDING_APPROVAL', to: 'DECLINED', when: 'the customer declined, or Daraja refused or never answered' },
  {
    from: 'ACTIVE',
    to: 'LAPSED',
    when: 'a period went unpaid by it (cancelled from the phone, or no funds): renewals prompt by STK again',
  },
  { from: 'ACTIVE', to: 'CANCELLED', when: 'the subscription ended, or a new order replaced it' },
  { from: 'PENDING_APPROVAL', to: 'CANCELLED', when: 'the subscription ended before the customer answered' },
  { from: 'DECLINED', to: '[*]', when: '' },
  { from: 'LAPSED', to: '[*]', when: '' },
  { from: 'CANCELLED', to: '[*]', when: '' },
]);

const KENYAN_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi' });

/**
 * The calendar day of an instant as Safaricom counts it (East Africa Time, UTC+3), as YYYY-MM-DD: a standing order's
 * StartDate names a Kenyan day. The UTC date named the day before for a period starting between 00:00 and 03:00 EAT,
 * and the order collected a day before the period it pays.
 */
export function kenyanDate(instant: Date): string {
  return KENYAN_DAY.format(instant);
}
