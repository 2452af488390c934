// Amounts on PayPal's wire are strings. The sandbox keeps them as integer minor units and formats them back.

/** Currencies PayPal REST accepts for payments (developer.paypal.com "Currency codes"). KES is not among them. */
export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set([
  'AUD',
  'BRL',
  'CAD',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MYR',
  'MXN',
  'TWD',
  'NZD',
  'NOK',
  'PHP',
  'PLN',
  'GBP',
  'SGD',
  'SEK',
  'CHF',
  'THB',
  'USD',
]);

/** Currencies PayPal takes without decimals ("DECIMALS_NOT_SUPPORTED" if a value has any). */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['HUF', 'JPY', 'TWD']);

export const decimalsOf = (currency: string): number => (ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2);

export type AmountProblem =
  'INVALID_PARAMETER_SYNTAX' | 'DECIMAL_PRECISION' | 'DECIMALS_NOT_SUPPORTED' | 'CANNOT_BE_ZERO_OR_NEGATIVE';

/**
 * Parses a PayPal amount value for `currency` into minor units. PayPal's schema pattern is
 * `^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$`; "10", "10.5" and "10.00" are all accepted, more than two decimals is
 * DECIMAL_PRECISION, any decimals on HUF/JPY/TWD is DECIMALS_NOT_SUPPORTED, zero or negative is rejected.
 */
export function parseAmount(value: string, currency: string): { minor: number } | { problem: AmountProblem } {
  const match = /^(-?)([0-9]*)(?:\.([0-9]+))?$/.exec(value);
  if (!match || value === '' || value === '-' || (match[2] === '' && match[3] === undefined)) {
    return { problem: 'INVALID_PARAMETER_SYNTAX' };
  }
  const [, sign, whole = '', fraction = ''] = match;
  if (whole.replace(/^0+/, '').length > 10 || value.length > 32) return { problem: 'INVALID_PARAMETER_SYNTAX' };
  const decimals = decimalsOf(currency);
  if (decimals === 0 && fraction.replace(/0+$/, '') !== '') return { problem: 'DECIMALS_NOT_SUPPORTED' };
  if (fraction.length > 2) return { problem: 'DECIMAL_PRECISION' };
  const minor =
    decimals === 0 ? Number(whole || '0') : Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0') || '0');
  if (sign === '-' || minor <= 0) return { problem: 'CANNOT_BE_ZERO_OR_NEGATIVE' };
  return { minor };
}

export function formatAmount(minor: number, currency: string): string {
  if (decimalsOf(currency) === 0) return String(minor);
  const whole = Math.floor(minor / 100);
  return `${whole}.${String(minor % 100).padStart(2, '0')}`;
}

/** Fixed part of PayPal's domestic commercial fee, per currency (minor units); the rate is 3.49 %. */
const FIXED_FEE: Record<string, number> = {
  USD: 49,
  EUR: 39,
  GBP: 29,
  AUD: 59,
  CAD: 59,
  JPY: 49,
  HUF: 149,
  TWD: 14,
};

/** `paypal_fee` for a capture: 3.49 % + fixed fee, rounded half up, never more than the gross. 10.00 USD -> 0.84. */
export function feeFor(minor: number, currency: string): number {
  const fixed = FIXED_FEE[currency] ?? 49;
  return Math.min(minor, Math.round((minor * 349) / 10_000) + fixed);
}

const SYMBOL: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', AUD: '$', CAD: '$' };

/** Webhook summaries read "Payment completed for $ 10.0 USD": symbol, the number without trailing zeros, code. */
export function summaryAmount(minor: number, currency: string): string {
  const n = decimalsOf(currency) === 0 ? minor : minor / 100;
  const text = Number.isInteger(n) ? n.toFixed(1) : String(n);
  return `${SYMBOL[currency] ?? currency} ${text} ${currency}`;
}
