// Money and dates as the customer reads them: their locale (en-KE by default), dates in East Africa Time. Money is
// formatted from integer minor units through the domain's exact decimal strings (src/domain/money.ts), so a
// currency's exponent (KES 2, JPY 0, BHD 3) is respected and no float ever touches an amount.
import { INTERVAL_UNITS, type BillingInterval } from '../../../src/domain/billingPeriod.js';
import { formatMoney as formatMinorUnits } from '../../../src/domain/money.js';

export const DEFAULT_LOCALE = 'en-KE';
export const TIME_ZONE = 'Africa/Nairobi';

export function usableLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function formatMoney(amount: number, currency: string, locale: string): string {
  return formatMinorUnits({ amount, currency }, usableLocale(locale));
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(usableLocale(locale), { dateStyle: 'medium', timeZone: TIME_ZONE }).format(
    new Date(iso),
  );
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(usableLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** "per month", "every 3 months". */
export function formatInterval(interval: string, count: number): string {
  const units = Object.hasOwn(INTERVAL_UNITS, interval) ? INTERVAL_UNITS[interval as BillingInterval] : null;
  const [one, many] = units ?? [interval.toLowerCase(), interval.toLowerCase()];
  return count === 1 ? `per ${one}` : `every ${count} ${many}`;
}

export function daysUntil(iso: string | null | undefined, now = Date.now()): number | null {
  if (!iso) return null;
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 86_400_000));
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
