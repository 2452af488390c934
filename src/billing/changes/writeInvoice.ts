// Writes a new invoice on the caller's transaction: its gapless number, its lines in order (each with its tax category), a
// TAX line per category that owes tax (src/billing/taxLines.ts), and the customer's credit applied (src/billing/customerCredit.ts). Period and proration invoices
// differ only in what they bill, so both are written here.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaxSettings } from '../../domain/tax.js';
import type { TaxClass } from '../../domain/taxCategories.js';
import { Customer, Invoice, InvoiceLine, Plan, type Subscription } from '../../entities/index.js';
import type { InvoiceKind } from '../../entities/Invoice.js';
import type { InvoiceLineKind } from '../../entities/InvoiceLine.js';
import { planTaxClass, taxLines } from '../taxLines.js';
import { applyCredit, lockCreditBalance } from './customerCredit.js';
import { nextInvoiceNumber } from './invoiceNumbers.js';

export interface BilledLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  periodStart: Date;
  periodEnd: Date;
  /** How the line is taxed; omitted: as the subscription's plan (or its product) says. */
  taxClass?: TaxClass | null;
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
  const customer = await em.findOneOrFail(Customer, bill.subscription.customer.id);
  const plan = await em.findOneOrFail(Plan, bill.subscription.plan.id, { populate: ['product'] });
  const taxClass = planTaxClass(plan);
  const {
    lines,
    taxLines: tax,
    total,
  } = taxLines(
    bill.lines.map((line) => ({ ...line, taxClass: line.taxClass === undefined ? taxClass : line.taxClass })),
    customer,
    taxSettings,
    bill.currency,
  );
  // The credit lock before the number (see lockCreditBalance): the number's lock is held from here to the commit.
  const balance = await lockCreditBalance(em, bill.subscription.customer.id, bill.currency);
  const invoice = em.create(Invoice, {
    kind: bill.kind,
    ...(bill.planChangeId ? { planChangeId: bill.planChangeId } : {}),
    number: await nextInvoiceNumber(em, bill.periodStart),
    subscription: bill.subscription,
    customer,
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
  const period = { periodStart: bill.periodStart, periodEnd: bill.periodEnd };
  // The plan's product's KRA item code goes with each line it bills, as eTIMS is to receive it (tax lines are no items).
  const itemClassificationCode = plan.product.itemClassificationCode;
  [
    ...lines.map((line) => ({ ...line, itemClassificationCode })),
    ...tax.map((line) => ({ ...line, ...period })),
  ].forEach((line, index) => em.create(InvoiceLine, { invoice, position: index + 1, ...line }));
  // Credit the customer holds pays what it can; the rest is what is due (and charged).
  await applyCredit(em, invoice, balance);
  return invoice;
}
