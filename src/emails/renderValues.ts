// Reads an email's data and writes it the way the customer reads: money through formatMoney and dates through
// Intl.DateTimeFormat, both in the customer's locale. Every reader names the variable it could not find, so a
// missing value fails the render instead of leaving a blank.
import { INTERVAL_UNITS, type BillingInterval } from '../domain/billingPeriod.js';
import { formatMoney, money } from '../domain/money.js';
import type { Brand } from './render.js';
import { EmailTemplateError } from './renderError.js';

/**
 * The time zone every date in an email is written in. Customers are billed from Kenya and most live there, so
 * East Africa Time (UTC+3, no daylight saving) gives them the calendar day they expect; a renewal at 00:30 EAT
 * written in UTC would show the previous day. Customers abroad see the same dates, and times carry the zone
 * name ("EAT", "GMT+3") so they are never ambiguous.
 */
export const EMAIL_TIME_ZONE = 'Africa/Nairobi';

/**
 * Where an email's buttons lead, under brand.publicUrl, unless the data brings the link itself (verifyUrl, resetUrl,
 * billingUrl, paymentMethodUrl, payUrl). The pages behind them belong to the customer-facing web app; they are
 * listed here once so the links change in one place.
 */
export const LINK_PATHS = {
  verifyEmail: '/account/verify-email',
  resetPassword: '/account/reset-password',
  billing: '/billing',
  paymentMethod: '/billing/payment-method',
  payInvoice: (invoiceId: string) => `/billing/invoices/${encodeURIComponent(invoiceId)}/pay`,
} as const;

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  MPESA: 'M-Pesa',
  PAYPAL: 'PayPal',
  BANK_TRANSFER: 'Bank transfer',
  CASH: 'Cash',
  CHEQUE: 'Cheque',
  OTHER: 'Other',
};

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The locale as Intl will use it; an unusable one is refused rather than silently replaced by the runtime's. */
export function checkedLocale(locale: string): string {
  if (isBlank(locale)) throw new EmailTemplateError('no value for the variable "locale"');
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    return canonical!;
  } catch {
    throw new EmailTemplateError(`the variable "locale" is not a BCP 47 language tag: ${JSON.stringify(locale)}`);
  }
}

export class TemplateValues {
  readonly locale: string;

  constructor(
    readonly kind: string,
    private readonly data: Readonly<Record<string, unknown>>,
    locale: string,
    readonly brand: Brand,
  ) {
    this.locale = checkedLocale(locale);
  }

  has(name: string): boolean {
    return !isBlank(this.data[name]);
  }

  private fail(message: string): never {
    throw new EmailTemplateError(`${this.kind}: ${message}`);
  }

  private required(name: string): unknown {
    const value = this.data[name];
    if (isBlank(value)) this.fail(`no value for the variable "${name}"`);
    return value;
  }

  text(name: string): string {
    const value = this.required(name);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.fail(`the variable "${name}" must be text, got ${JSON.stringify(value)}`);
  }

  optionalText(name: string): string | undefined {
    return this.has(name) ? this.text(name) : undefined;
  }

  instant(name: string): Date {
    const value = this.required(name);
    const instant = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    if (!instant || Number.isNaN(instant.getTime())) {
      this.fail(`the variable "${name}" must be a date (ISO 8601), got ${JSON.stringify(value)}`);
    }
    return instant;
  }

  /** "13 March 2026" (en-KE), "March 13, 2026" (en-US). */
  date(name: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: EMAIL_TIME_ZONE }).format(
      this.instant(name),
    );
  }

  /** "13 March 2026 at 00:30 EAT": for moments that matter to the hour (a retry, a link's expiry). */
  dateTime(name: string): string {
    return new Intl.DateTimeFormat(this.locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: EMAIL_TIME_ZONE,
    }).format(this.instant(name));
  }

  optionalDate(name: string): string | undefined {
    return this.has(name) ? this.date(name) : undefined;
  }

  optionalDateTime(name: string): string | undefined {
    return this.has(name) ? this.dateTime(name) : undefined;
  }

  /** Integer minor units plus an ISO 4217 code, e.g. 250000 + KES: "Ksh 2,500.00" in en-KE, "KES 2,500.00" in en-US. */
  money(amountName = 'amount', currencyName = 'currency'): string {
    const amount = this.required(amountName);
    const currency = this.text(currencyName);
    const minorUnits = typeof amount === 'string' && /^-?\d+$/.test(amount) ? Number(amount) : amount;
    if (typeof minorUnits !== 'number' || !Number.isSafeInteger(minorUnits)) {
      this.fail(`the variable "${amountName}" must be a whole number of minor units, got ${JSON.stringify(amount)}`);
    }
    try {
      return formatMoney(money(minorUnits, currency), this.locale);
    } catch (error) {
      return this.fail(`the variable "${currencyName}" is invalid: ${(error as Error).message}`);
    }
  }

  /** Undefined when the amount is absent; an amount without its currency still fails. */
  optionalMoney(amountName = 'amount', currencyName = 'currency'): string | undefined {
    return this.has(amountName) ? this.money(amountName, currencyName) : undefined;
  }

  /** "Ksh 2,500.00 per month", "$30.00 every 3 months"; just the amount when the data has no `interval`. */
  price(amountName = 'amount', currencyName = 'currency'): string {
    const amount = this.money(amountName, currencyName);
    if (!this.has('interval')) return amount;
    const interval = this.text('interval');
    const unit = Object.hasOwn(INTERVAL_UNITS, interval) ? INTERVAL_UNITS[interval as BillingInterval] : undefined;
    if (!unit) return this.fail(`the variable "interval" must be one of ${Object.keys(INTERVAL_UNITS).join(', ')}`);
    const count = this.has('intervalCount') ? Number(this.text('intervalCount')) : 1;
    if (!Number.isSafeInteger(count) || count < 1)
      this.fail('the variable "intervalCount" must be a whole number above 0');
    return count === 1 ? `${amount} per ${unit[0]}` : `${amount} every ${count} ${unit[1]}`;
  }

  provider(name: string): string {
    const code = this.text(name);
    return PROVIDER_NAMES[code] ?? code;
  }

  /**
   * The link in the data's `name` when the caller built one (a signed invoice link, a web app elsewhere), else
   * `fallback()`, usually a link under the public URL. Only http(s) links are accepted into an email.
   */
  url(name: string, fallback: () => string): string {
    if (!this.has(name)) return fallback();
    const value = this.text(name);
    if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) {
      this.fail(`the variable "${name}" must be an http(s) URL, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** Like url, for a link that is only shown when the data has it. */
  optionalUrl(name: string): string | undefined {
    return this.has(name) ? this.url(name, () => '') : undefined;
  }

  /** An absolute link under the brand's public URL, keeping any base path it has (https://example.com/app). */
  link(path: string, query: Readonly<Record<string, string>> = {}): string {
    let url: URL;
    try {
      url = new URL(this.brand.publicUrl);
    } catch {
      return this.fail(`the variable "brand.publicUrl" is not a URL: ${JSON.stringify(this.brand.publicUrl)}`);
    }
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.search = '';
    url.hash = '';
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }
}
