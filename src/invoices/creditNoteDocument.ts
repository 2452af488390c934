// Everything a credit note document shows, and its words and numbers for the shared renderers
// (src/invoices/invoiceHtml.ts, invoicePdf.ts): the same page and PDF layout as invoices, so a customer reads both the
// same way. Amounts are written in the customer's locale; the credited lines are shown taken off.
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMoney, type Money } from '../domain/money.js';
import { CreditNote, CreditNoteLine } from '../entities/index.js';
import type { CreditNoteReason } from '../entities/CreditNote.js';
import { defaultSeller, type InvoiceDocument, type Seller } from './invoiceDocument.js';
import { accentOf, buyerText, invoiceDate, sellerText, usableLocale, type InvoiceText } from './invoiceText.js';

export interface CreditNoteDocument {
  id: string;
  number: string;
  invoiceNumber: string;
  reason: CreditNoteReason;
  memo: string | null;
  issuedAt: Date;
  currency: string;
  amount: Money;
  reducesRemaining: Money;
  creditedToBalance: Money;
  refundAmount: Money;
  lines: { position: number; description: string; amount: Money }[];
  seller: Seller;
  buyer: InvoiceDocument['buyer'];
  locale: string;
}

const REASON_LABELS: Record<CreditNoteReason, string> = {
  DUPLICATE: 'Duplicate charge',
  FRAUDULENT: 'Fraudulent charge',
  ORDER_CHANGE: 'Order changed',
  PRODUCT_UNSATISFACTORY: 'Product unsatisfactory',
  SERVICE_ISSUE: 'Service issue',
  OTHER: 'Other',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadCreditNoteDocument(
  em: EntityManager,
  creditNoteId: string,
  options: { publicUrl: string; seller?: Seller },
): Promise<CreditNoteDocument | null> {
  if (!UUID.test(creditNoteId)) return null;
  const note = await em.findOne(CreditNote, { id: creditNoteId }, { populate: ['invoice', 'customer'] });
  if (!note) return null;
  const lines = await em.find(CreditNoteLine, { creditNote: note }, { orderBy: { position: 'asc' } });
  const money = (amount: number): Money => ({ amount, currency: note.currency });
  const { customer } = note;
  return {
    id: note.id,
    number: note.number,
    invoiceNumber: note.invoice.number,
    reason: note.reason,
    memo: note.memo,
    issuedAt: note.issuedAt,
    currency: note.currency,
    amount: money(note.amount),
    reducesRemaining: money(note.reducesRemaining),
    creditedToBalance: money(note.creditedToBalance),
    refundAmount: money(note.refundAmount),
    lines: lines.map((line) => ({
      position: line.position,
      description: line.description,
      amount: money(line.amount),
    })),
    seller: options.seller ?? defaultSeller(options.publicUrl),
    buyer: {
      name: customer.name,
      email: customer.email,
      address: customer.billingAddress ?? customer.address ?? null,
      kraPin: customer.kraPin,
    },
    locale: customer.locale,
  };
}

export function creditNoteText(doc: CreditNoteDocument): InvoiceText {
  const locale = usableLocale(doc.locale);
  const amount = (value: Money) => formatMoney(value, locale);
  const taken = (value: Money) => amount({ ...value, amount: -value.amount });
  const uses: [string, string][] = [
    ['Off what the invoice owed', taken(doc.reducesRemaining)],
    ['Added to your balance', amount(doc.creditedToBalance)],
    ['Refunded', amount(doc.refundAmount)],
  ].filter((_, index) => [doc.reducesRemaining, doc.creditedToBalance, doc.refundAmount][index]!.amount > 0) as [
    string,
    string,
  ][];
  return {
    locale,
    seller: sellerText(doc.seller),
    accentColor: accentOf(doc.seller),
    verification: null,
    title: `Credit note ${doc.number}`,
    heading: 'Credit note',
    buyerHeading: 'Credit to',
    paymentHeading: 'How the credit is used',
    tone: 'good',
    number: doc.number,
    status: { code: 'PAID', label: 'Issued' },
    buyer: buyerText(doc.buyer, locale),
    facts: [
      ['Credit note number', doc.number],
      ['Invoice', doc.invoiceNumber],
      ['Issue date', invoiceDate(doc.issuedAt, locale)],
      ['Reason', REASON_LABELS[doc.reason]],
      ...(doc.memo ? [['Note', doc.memo] as [string, string]] : []),
    ],
    lines: doc.lines.map((line) => ({
      kind: 'PLAN',
      description: line.description,
      quantity: '1',
      unitAmount: taken(line.amount),
      amount: taken(line.amount),
    })),
    totals: [['Total credited', amount(doc.amount)]],
    payment: uses,
    footer: [
      ...(doc.seller.footer ? [doc.seller.footer] : []),
      `Amounts in ${doc.currency}. Dates in UTC.`,
      ...(doc.seller.email
        ? [`Questions about this credit note? Write to ${doc.seller.email}, quoting ${doc.number}.`]
        : []),
    ],
  };
}
