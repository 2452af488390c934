// Writes a new invoice on the caller's transaction: its gapless number, its lines in order, a TAX line on what
// they add up to, and the customer's credit applied (src/billing/customerCredit.ts). Period and proration invoices
// differ only in what they bill, so both are written here.
import type { EntityManager } from '@mikro-orm/postgresql';
import { taxDescription, type TaxSettings } from '../../domain/tax.js';
import { Invoice, InvoiceLine, type Subscription } from '../../entities/index.js';
import type { InvoiceKind } from '../../entities/Invoice.js';
import type { InvoiceLineKind } from '../../entities/InvoiceLine.js';
import { invoiceTotals } from '../planChangeProration.js';
import { applyCredit } from './customerCredit.js';
import { nextInvoiceNumber } from './invoiceNumbers.js';

export interface BilledLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  periodStart: Date;
  periodEnd: Date;
}

export interface NewInvoice {
  kind: InvoiceKind;
  /** PRORATION invoices: the plan change they bill (unique, so a change is billed once). */
  planChangeId?: string;
  subscription: Subscription;
  periodIndex: number;
  /** What the invoice covers; it is issued and due at its start. */
  periodStart: Date;
  periodEnd: Date;
  currency: string;
  /** Shown as the subtotal: the plan line for a period (before its discount), the net for a proration. */
  subtotal: number;
  lines: BilledLine[];
}

export async function writeInvoice(em: EntityManager, bill: NewInvoice, taxSettings: TaxSettings): Promise<Invoice> {
  const { tax, total } = invoiceTotals(
    bill.lines.map((line) => line.amount),
    taxSettings,
    bill.currency,
  );
  const invoice = em.create(Invoice, {
    kind: bill.kind,
    ...(bill.planChangeId ? { planChangeId: bill.planChangeId } : {}),
    number: await nextInvoiceNumber(em, bill.periodStart),
    subscription: bill.subscription,
    customer: bill.subscription.customer,
    status: 'OPEN',
    periodIndex: bill.periodIndex,
    periodStart: bill.periodStart,
    periodEnd: bill.periodEnd,
    currency: bill.currency,
    subtotal: bill.subtotal,
    total,
    amountDue: total,
    issuedAt: bill.periodStart,
    dueAt: bill.periodStart,
  });
  const taxLines: BilledLine[] =
    tax > 0
      ? [
          {
            kind: 'TAX',
            description: taxDescription(taxSettings),
            quantity: 1,
            unitAmount: tax,
            amount: tax,
            periodStart: bill.periodStart,
            periodEnd: bill.periodEnd,
          },
        ]
      : [];
  [...bill.lines, ...taxLines].forEach((line, index) =>
    em.create(InvoiceLine, { invoice, position: index + 1, ...line }),
  );
  // Credit the customer holds pays what it can; the rest is what is due (and charged).
  await applyCredit(em, invoice);
  return invoice;
}
