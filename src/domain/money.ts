// Money is an integer count of a currency's minor units (cents, KES cents) plus its ISO 4217 code.
// Nothing here ever turns an amount into a float: formatting goes through exact decimal strings.

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** ISO 4217 minor-unit exponents that differ from the usual 2. */
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

const CURRENCY_CODE = /^[A-Z]{3}$/;

export function isCurrencyCode(code: string): boolean {
  if (!CURRENCY_CODE.test(code)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return true;
  }
}

export function minorUnitExponent(currency: string): number {
  return EXPONENT_EXCEPTIONS[currency] ?? 2;
}

export function isMinorUnitAmount(amount: number): boolean {
  return Number.isSafeInteger(amount);
}

export function money(amount: number, currency: string): Money {
  if (!isMinorUnitAmount(amount)) throw new RangeError(`amount must be a safe integer of minor units, got ${amount}`);
  if (!isCurrencyCode(currency)) throw new RangeError(`currency must be an ISO 4217 code, got ${currency}`);
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} to ${b.currency}`);
  return money(a.amount + b.amount, a.currency);
}

/** "1234.50" for 123450 KES: the exact decimal, never via floating point. */
export function toDecimalString({ amount, currency }: Money): string {
  const exponent = minorUnitExponent(currency);
  const digits = Math.abs(amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${amount < 0 ? '-' : ''}${whole}${fraction}`;
}

/**
 * Minor units from a decimal a person typed ("1,500", "1500.5" KES: 150050), exactly, or null when it is not an
 * amount in that currency (a sign, letters, more decimals than the currency has). The inverse of toDecimalString.
 */
export function parseDecimalAmount(text: string, currency: string): number | null {
  const exponent = minorUnitExponent(currency);
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return null;
  const amount = Number.parseInt(`${match[1]!.replace(/,/g, '')}${fraction.padEnd(exponent, '0')}`, 10);
  return Number.isSafeInteger(amount) ? amount : null;
}

/**
 * Formatters by locale and currency: making an Intl.NumberFormat costs far more than using one (a live payment sent
 * to a thousand subscribers made a thousand). Bounded, since locales come from customers' profiles.
 */
const formatters = new Map<string, Intl.NumberFormat>();
const MAX_FORMATTERS = 500;

function formatterFor(locale: string, currency: string, exponent: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

export function formatMoney(value: Money, locale = 'en-KE'): string {
  const format = formatterFor(locale, value.currency, minorUnitExponent(value.currency));
  // Intl formats decimal strings exactly (no float conversion).
  return format.format(toDecimalString(value) as unknown as number);
}

/**
 * What a provider can actually collect. M-Pesa takes whole shillings only, so computed KES amounts (proration,
 * percentage discounts) are rounded half away from zero to whole shillings; other currencies are collected exactly.
 */
export function collectableAmount(amount: number, currency: string): number {
  if (currency !== 'KES') return amount;
  const size = Math.abs(amount);
  const cents = size % 100;
  const rounded = size - cents + (cents >= 50 ? 100 : 0);
  return amount < 0 ? -rounded : rounded;
}
