// Everything an invoice document shows, loaded once and handed to both renderers (HTML page, PDF), so the two can
// never disagree. Amounts stay integer minor units here; turning them into text is src/invoices/invoiceText.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Money } from '../domain/money.js';
import { totalsOfStoredLines, type TaxCategory } from '../domain/taxCategories.js';
import type { Address } from '../entities/embedded.js';
import { Invoice, InvoiceLine, Payment } from '../entities/index.js';
import type { InvoiceKind, InvoiceStatus } from '../entities/Invoice.js';
import type { InvoiceLineKind } from '../entities/InvoiceLine.js';
import type { PaymentProvider } from '../entities/paymentProvider.js';
import { accountReference } from '../payments/mpesa/chargeTexts.js';
import { owesMoney } from '../payments/paybill/paybillTarget.js';

/** Who issues the invoice. Brand configuration is expected to fill this in; until then see defaultSeller. */
export interface Seller {
  name: string;
  website: string | null;
  email?: string | null;
  addressLines?: readonly string[];
  /** A tax registration such as a KRA PIN, printed when present. */
  taxNumber?: string | null;
  /** Legal small print for the bottom of the document. */
  footer?: string | null;
  /** #rrggbb; anything else falls back to the default. */
  accentColor?: string | null;
}

export const DEFAULT_SELLER_NAME = 'Karibu Billing';

export function defaultSeller(publicUrl: string): Seller {
  return { name: DEFAULT_SELLER_NAME, website: publicUrl };
}

export interface InvoiceDocumentLine {
  position: number;
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitAmount: Money;
  amount: Money;
  /** null on lines written before tax categories. */
  taxCategory?: TaxCategory | null;
  taxRateBasisPoints?: number | null;
}

export interface InvoiceDocumentPayment {
  provider: PaymentProvider;
  /** The M-Pesa receipt number or the PayPal capture id: what the customer can quote to their provider. */
  reference: string | null;
  amount: Money;
  completedAt: Date | null;
}

export interface InvoiceDocument {
  id: string;
  number: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  issuedAt: Date;
  dueAt: Date;
  periodStart: Date;
  periodEnd: Date;
  paidAt: Date | null;
  currency: string;
  subtotal: Money;
  total: Money;
  /** Paid from the customer's credit balance. */
  creditApplied: Money;
  amountDue: Money;
  /** Settled by payments (charges and offline payments). */
  amountPaid: Money;
  /** Taken off by credit notes. */
  amountCredited: Money;
  /** Still to pay. */
  amountRemaining: Money;
  lines: InvoiceDocumentLine[];
  seller: Seller;
  buyer: {
    name: string;
    email: string;
    /** The billing address, else the customer's postal address, else null. */
    address: Address | null;
    kraPin?: string | null;
  };
  /** KRA eTIMS's answer once the invoice is signed (src/tax/etims/); absent or null before. */
  etims?: { receiptNumber: string; signature: string; internalData: string; qrCodeUrl: string } | null;
  /** Totals per tax category read back from the lines (src/domain/taxCategories.ts). */
  taxTotals?: { category: TaxCategory | null; rateBasisPoints: number | null; taxable: Money; tax: Money }[];
  subscription: {
    id: string;
    productName: string;
    /** The subscription's plan now; after a plan change the lines, not this, name the plan that was billed. */
    planName: string;
  } | null;
  /** A ONE_OFF invoice's own description (what it is for); null otherwise. */
  description: string | null;
  /** The payment that settled a PAID invoice; null otherwise, and for a period a coupon made free. */
  payment: InvoiceDocumentPayment | null;
  /** BCP 47: how amounts and dates are written for this customer. */
  locale: string;
  /** How to pay it from a phone (docs/paybill.md): while a KES invoice owes money and the paybill is set up. */
  paybill: PayByPaybill | null;
}

export interface PayByPaybill {
  shortCode: string;
  /** This invoice's account reference (INV26000042), any case. */
  account: string;
  /** The customer's account number (ACC000042): pays their oldest open invoices. */
  customerAccount: string;
}

export interface LoadInvoiceDocumentOptions {
  /** PUBLIC_URL, named as the seller's website when no seller is given. */
  publicUrl: string;
  seller?: Seller;
  /** Our M-Pesa paybill, printed with the account to type on unpaid KES invoices; null: not shown. */
  paybillShortCode?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function paymentReference(payment: Payment): string | null {
  // M-Pesa's providerReference is the CheckoutRequestID, an internal handle; the receipt number is what the
  // customer's SMS shows. The same fallback as the payment receipt notice, for payments confirmed without one.
  if (payment.provider === 'MPESA') return payment.receiptNumber ?? payment.providerReference;
  return payment.providerReference;
}

/**
 * The document of one invoice, or null when there is no such invoice (including ids that are not UUIDs). Read-only:
 * pass a fork (or a transaction's manager) of the caller's choosing.
 */
export async function loadInvoiceDocument(
  em: EntityManager,
  invoiceId: string,
  options: LoadInvoiceDocumentOptions,
): Promise<InvoiceDocument | null> {
  if (!UUID.test(invoiceId)) return null;
  const invoice = await em.findOne(
    Invoice,
    { id: invoiceId },
    { populate: ['customer', 'subscription', 'subscription.plan', 'subscription.plan.product'] },
  );
  if (!invoice) return null;
  const [lines, settled] = await Promise.all([
    em.find(InvoiceLine, { invoice }, { orderBy: { position: 'asc' } }),
    invoice.status === 'PAID'
      ? em.findOne(Payment, { invoice, status: 'SUCCEEDED' }, { orderBy: { attempt: 'desc' } })
      : Promise.resolve(null),
  ]);
  const money = (amount: number): Money => ({ amount, currency: invoice.currency });
  const { customer, subscription } = invoice;
  return {
    id: invoice.id,
    number: invoice.number,
    kind: invoice.kind,
    status: invoice.status,
    issuedAt: invoice.issuedAt,
    dueAt: invoice.dueAt,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    paidAt: invoice.paidAt ?? settled?.completedAt ?? null,
    currency: invoice.currency,
    subtotal: money(invoice.subtotal),
    total: money(invoice.total),
    creditApplied: money(invoice.creditApplied),
    amountDue: money(invoice.amountDue),
    amountPaid: money(invoice.amountPaid),
    amountCredited: money(invoice.amountCredited),
    amountRemaining: money(invoice.amountRemaining),
    lines: lines.map((line) => ({
      position: line.position,
      kind: line.kind,
      description: line.description,
      quantity: line.quantity,
      unitAmount: money(line.unitAmount),
      amount: money(line.amount),
      taxCategory: line.taxCategory,
      taxRateBasisPoints: line.taxRateBasisPoints,
    })),
    etims: invoice.etimsReceiptNumber
      ? {
          receiptNumber: invoice.etimsReceiptNumber,
          signature: invoice.etimsSignature ?? '',
          internalData: invoice.etimsInternalData ?? '',
          qrCodeUrl: invoice.etimsQrCodeUrl ?? '',
        }
      : null,
    taxTotals: totalsOfStoredLines(lines).map((total) => ({
      ...total,
      taxable: money(total.taxable),
      tax: money(total.tax),
    })),
    seller: options.seller ?? defaultSeller(options.publicUrl),
    buyer: {
      name: customer.name,
      email: customer.email,
      address: customer.billingAddress ?? customer.address ?? null,
      kraPin: customer.kraPin,
    },
    subscription: subscription
      ? { id: subscription.id, productName: subscription.plan.product.name, planName: subscription.plan.name }
      : null,
    description: invoice.description,
    payment: settled
      ? {
          provider: settled.provider,
          reference: paymentReference(settled),
          amount: { amount: settled.amount, currency: settled.currency },
          completedAt: settled.completedAt,
        }
      : null,
    locale: customer.locale,
    paybill: payByPaybill(invoice, customer.accountNumber, options.paybillShortCode ?? null),
  };
}

/** How to pay an invoice from a phone: while it owes money in KES, and only when the paybill is set up. */
export function payByPaybill(invoice: Invoice, customerAccount: string, shortCode: string | null): PayByPaybill | null {
  if (!shortCode || invoice.currency !== 'KES' || !owesMoney(invoice)) return null;
  return { shortCode, account: accountReference(invoice.number), customerAccount };
}
