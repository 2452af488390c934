// The words and numbers of an invoice document, written once for the HTML page and the PDF. Money goes through
// formatMoney (exact decimal strings, never floats) in the customer's locale; dates are calendar dates in UTC,
// the same dates the line descriptions carry.
import { formatMoney, type Money } from '../domain/money.js';
import type { Address } from '../entities/embedded.js';
import type { InvoiceKind, InvoiceStatus } from '../entities/Invoice.js';
import type { InvoiceLineKind } from '../entities/InvoiceLine.js';
import type { PaymentProvider } from '../entities/paymentProvider.js';
import type { InvoiceDocument } from './invoiceDocument.js';

export interface InvoiceTextLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: string;
  unitAmount: string;
  amount: string;
}

export interface InvoiceText {
  locale: string;
  /** "Invoice INV-2031-000042". */
  title: string;
  number: string;
  status: { code: InvoiceStatus; label: string };
  seller: { name: string; details: string[] };
  buyer: { name: string; details: string[] };
  /** Label and value pairs: number, kind, dates, period, subscription. */
  facts: [string, string][];
  lines: InvoiceTextLine[];
  /** The last pair is the one to stress (amount due, or amount paid). */
  totals: [string, string][];
  /** For PAID invoices: when and how. */
  payment: [string, string][] | null;
  footer: string[];
  accentColor: string;
}

const FALLBACK_LOCALE = 'en-KE';
const DEFAULT_ACCENT = '#0f766e';

const STATUS_LABELS: Record<InvoiceStatus, string> = {
  DRAFT: 'Draft',
  OPEN: 'Open',
  PAID: 'Paid',
  VOID: 'Void',
  UNCOLLECTIBLE: 'Uncollectible',
};

const KIND_LABELS: Record<InvoiceKind, string> = {
  PERIOD: 'Billing period',
  PRORATION: 'Proration (plan change)',
};

const PROVIDER_LABELS: Record<PaymentProvider, { name: string; reference: string }> = {
  MPESA: { name: 'M-Pesa', reference: 'M-Pesa receipt' },
  PAYPAL: { name: 'PayPal', reference: 'PayPal capture ID' },
};

/** A stored locale Intl cannot use (it was validated when saved, but data outlives code) falls back to en-KE. */
export function usableLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

export function invoiceDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function addressLines(address: Address, locale: string): string[] {
  const cityLine = [address.city, address.postalCode].filter(Boolean).join(' ');
  return [address.line1, address.line2, cityLine, address.region, countryName(address.country, locale)].filter(
    (line): line is string => typeof line === 'string' && line.trim() !== '',
  );
}

export function invoiceText(doc: InvoiceDocument): InvoiceText {
  const locale = usableLocale(doc.locale);
  const amount = (value: Money) => formatMoney(value, locale);
  const date = (value: Date) => invoiceDate(value, locale);
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const paid = doc.status === 'PAID';

  const seller = doc.seller;
  const sellerDetails = [
    ...(seller.addressLines ?? []),
    seller.website ?? '',
    seller.email ?? '',
    seller.taxNumber ? `Tax number: ${seller.taxNumber}` : '',
  ].filter((line) => line !== '');

  const payment: [string, string][] | null = paid
    ? [
        ...(doc.paidAt ? [['Paid on', date(doc.paidAt)] as [string, string]] : []),
        ...(doc.payment
          ? [
              ['Paid with', PROVIDER_LABELS[doc.payment.provider].name] as [string, string],
              ...(doc.payment.reference
                ? [[PROVIDER_LABELS[doc.payment.provider].reference, doc.payment.reference] as [string, string]]
                : []),
            ]
          : []),
      ]
    : null;

  return {
    locale,
    title: `Invoice ${doc.number}`,
    number: doc.number,
    status: { code: doc.status, label: STATUS_LABELS[doc.status] },
    seller: { name: seller.name, details: sellerDetails },
    buyer: {
      name: doc.buyer.name,
      details: [doc.buyer.email, ...(doc.buyer.address ? addressLines(doc.buyer.address, locale) : [])],
    },
    facts: [
      ['Invoice number', doc.number],
      ['Type', KIND_LABELS[doc.kind]],
      ['Issue date', date(doc.issuedAt)],
      ['Due date', date(doc.dueAt)],
      ['Period', `${date(doc.periodStart)} – ${date(doc.periodEnd)}`],
      ['Subscription', doc.subscription.productName],
    ],
    lines: doc.lines.map((line) => ({
      kind: line.kind,
      description: line.description,
      quantity: count.format(line.quantity),
      unitAmount: amount(line.unitAmount),
      amount: amount(line.amount),
    })),
    totals: [
      ['Subtotal', amount(doc.subtotal)],
      ['Total', amount(doc.total)],
      ...(doc.creditApplied.amount > 0
        ? [['Credit applied', amount({ ...doc.creditApplied, amount: -doc.creditApplied.amount })] as [string, string]]
        : []),
      // What was collected, once it has been: "amount due" on a settled invoice reads like a demand.
      [paid ? 'Amount paid' : 'Amount due', amount(doc.amountDue)],
    ],
    payment,
    footer: [
      ...(seller.footer ? [seller.footer] : []),
      `Amounts in ${doc.currency}. Dates in UTC.`,
      ...(seller.email ? [`Questions about this invoice? Write to ${seller.email}, quoting ${doc.number}.`] : []),
    ],
    accentColor: seller.accentColor && /^#[0-9a-f]{6}$/i.test(seller.accentColor) ? seller.accentColor : DEFAULT_ACCENT,
  };
}
