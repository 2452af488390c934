// Money and dates in the operator's locale: amounts come from the API in integer minor units with their currency,
// and are written by the portal's formatter (the currency's exponent, no floats).
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { adminLocale } from '../locale';

export function money(value: { amount: number; currency: string }): string {
  return formatMoney(value.amount, value.currency, adminLocale());
}

/** Several currencies' amounts, one after another ("Ksh 1,500.00 · US$25.00"); a dash when there are none. */
export function moneyList(values: readonly { amount: number; currency: string }[]): string {
  return values.length ? values.map(money).join(' · ') : '—';
}

export function day(iso: string | null | undefined): string {
  return formatDate(iso, adminLocale());
}

export function moment(iso: string | null | undefined): string {
  return formatDateTime(iso, adminLocale());
}
