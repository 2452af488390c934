// The words and numbers of an invoice document, written once for the HTML page and the PDF. Money goes through
// formatMoney (exact decimal strings, never floats) in the customer's locale; dates are calendar dates in UTC,
// the same dates the line descriptions carry.
import { formatMoney, type Money } from '../domain/money.js';
import { taxDescription } from '../domain/tax.js';
import type { TaxCategory } from '../domain/taxCategories.js';
import type { Address } from '../entities/embedded.js';
import type { InvoiceKind, InvoiceStatus } from '../entities/Invoice.js';
import type { InvoiceLineKind } from '../entities/InvoiceLine.js';
import type { PaymentProvider } from '../entities/paymentProvider.js';
import type { InvoiceDocument, Seller } from './invoiceDocument.js';
import { qrGrid, type QrGrid } from './qrCode.js';

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
  /** The document's kind as its heading says it: "Invoice", "Credit note". */
  heading: string;
  /** Above the buyer: "Bill to", "Credit to". */
  buyerHeading: string;
  /** Above the payment facts: "Payment received", "Given back". */
  paymentHeading: string;
  /** The status badge's tone. */
  tone: 'good' | 'pending' | 'muted';
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
  /** An eTIMS-signed invoice's QR code, pointing to KRA's receipt check (docs/tax.md); null when unsigned. */
  verification: { caption: string; url: string; qr: QrGrid } | null;
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
  ONE_OFF: 'One-off charge',
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

  const howToPay: [string, string][] | null = doc.paybill
    ? [
        ['M-Pesa paybill', doc.paybill.shortCode],
        ['Account', doc.paybill.account],
        ['Or your account number', doc.paybill.customerAccount],
      ]
    : null;

  return {
    locale,
    title: `Invoice ${doc.number}`,
    heading: 'Invoice',
    buyerHeading: 'Bill to',
    paymentHeading: paid || !howToPay ? 'Payment received' : 'Pay from your phone',
    tone: paid ? 'good' : doc.status === 'OPEN' ? 'pending' : 'muted',
    number: doc.number,
    status: { code: doc.status, label: STATUS_LABELS[doc.status] },
    seller: sellerText(seller),
    buyer: buyerText(doc.buyer, locale),
    facts: [
      ['Invoice number', doc.number],
      ['Type', KIND_LABELS[doc.kind]],
      ['Issue date', date(doc.issuedAt)],
      ['Due date', date(doc.dueAt)],
      ['Period', `${date(doc.periodStart)} – ${date(doc.periodEnd)}`],
      doc.subscription ? ['Subscription', doc.subscription.productName] : ['For', doc.description ?? 'One-off charge'],
      ...(doc.etims
        ? ([
            ['eTIMS receipt', doc.etims.receiptNumber],
            ['CU signature', doc.etims.signature],
            ['CU internal data', doc.etims.internalData],
          ] as [string, string][])
        : []),
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
      ...categoryTotals(doc, amount),
      ['Total', amount(doc.total)],
      ...(doc.creditApplied.amount > 0
        ? [['Credit applied', amount({ ...doc.creditApplied, amount: -doc.creditApplied.amount })] as [string, string]]
        : []),
      ...settlementTotals(doc, amount),
    ],
    payment: payment ?? howToPay,
    footer: [
      ...(seller.footer ? [seller.footer] : []),
      `Amounts in ${doc.currency}. Dates in UTC.`,
      ...(seller.email ? [`Questions about this invoice? Write to ${seller.email}, quoting ${doc.number}.`] : []),
    ],
    accentColor: accentOf(seller),
    verification: doc.etims?.qrCodeUrl
      ? {
          caption: `Scan to check eTIMS receipt ${doc.etims.receiptNumber} with KRA`,
          url: doc.etims.qrCodeUrl,
          qr: qrGrid(doc.etims.qrCodeUrl),
        }
      : null,
  };
}

/** The seller as every billing document presents it: name, then address, website, email and tax number. */
export function sellerText(seller: Seller): InvoiceText['seller'] {
  const details = [
    ...(seller.addressLines ?? []),
    seller.website ?? '',
    seller.email ?? '',
    seller.taxNumber ? `KRA PIN: ${seller.taxNumber}` : '',
  ].filter((line) => line !== '');
  return { name: seller.name, details };
}

/** The buyer as every billing document presents them: name, email, address, and their KRA PIN when they have one. */
export function buyerText(
  buyer: { name: string; email: string; address: Address | null; kraPin?: string | null },
  locale: string,
): InvoiceText['buyer'] {
  return {
    name: buyer.name,
    details: [
      buyer.email,
      ...(buyer.address ? addressLines(buyer.address, locale) : []),
      ...(buyer.kraPin ? [`KRA PIN: ${buyer.kraPin}`] : []),
    ],
  };
}

const CATEGORY_LABELS: Record<TaxCategory, string> = {
  STANDARD: 'Taxable at',
  ZERO_RATED: 'Zero-rated',
  EXEMPT: 'Exempt',
};

/**
 * What each tax category comes to, for invoices written with categories (older ones show only their TAX line): the
 * taxable amount of each; the tax itself is the TAX line above, so the rows and lines add up to the total.
 */
function categoryTotals(doc: InvoiceDocument, amount: (value: Money) => string): [string, string][] {
  return (doc.taxTotals ?? [])
    .filter((total): total is typeof total & { category: TaxCategory } => total.category !== null)
    .map((total) => [
      total.category === 'STANDARD'
        ? `${CATEGORY_LABELS.STANDARD} ${percent(total.rateBasisPoints ?? 0)}`
        : CATEGORY_LABELS[total.category],
      amount(total.taxable),
    ]);
}

function percent(basisPoints: number): string {
  return taxDescription({ name: '', rateBasisPoints: basisPoints }).trim();
}

export function accentOf(seller: Seller): string {
  return seller.accentColor && /^#[0-9a-f]{6}$/i.test(seller.accentColor) ? seller.accentColor : DEFAULT_ACCENT;
}

/**
 * What settled the invoice and what is left. Once paid, what was collected: "amount due" on a settled invoice reads
 * like a demand. Credit notes show as a negative line.
 */
function settlementTotals(doc: InvoiceDocument, amount: (value: Money) => string): [string, string][] {
  const negative = (value: Money) => amount({ ...value, amount: -value.amount });
  const credited: [string, string][] =
    doc.amountCredited.amount > 0 ? [['Credit notes', negative(doc.amountCredited)]] : [];
  if (doc.status === 'PAID') return [...credited, ['Amount paid', amount(doc.amountPaid)]];
  if (doc.amountPaid.amount > 0) {
    return [...credited, ['Amount paid', amount(doc.amountPaid)], ['Amount remaining', amount(doc.amountRemaining)]];
  }
  return [...credited, ['Amount due', amount(doc.amountRemaining)]];
}
