// Spreads a paybill payment over what its customer owes, on the caller's transaction: the invoice it named, or, when
// it named the customer's account, their open KES invoices oldest first; whatever is left goes to their balance,
// which their next invoices spend. Each invoice is settled under its locks (subscription, then invoice, as every
// writer takes them) through settleInvoice, so a paid invoice ends its subscription's arrears like a charge.
import type { EntityManager } from '@mikro-orm/postgresql';
import { creditBalance, grantCredit } from '../../billing/changes/customerCredit.js';
import { lockInvoice } from '../../billing/changes/lockInvoice.js';
import { settleInvoice } from '../../billing/changes/settleInvoice.js';
import { Invoice, PaybillAllocation, type Customer, type PaybillPayment } from '../../entities/index.js';
import { queueNotice } from '../../notices/queueNotice.js';
import { owesMoney } from './paybillTarget.js';

/** An invoice this payment made PAID: its collection is told after the commit. */
export interface PaidInvoice {
  subscriptionId: string | null;
  invoiceId: string;
}

/** Open invoices of one customer considered for an account payment; more than this waits for the next payment. */
const MAX_INVOICES = 50;

export async function applyPaybillPayment(
  em: EntityManager,
  payment: PaybillPayment,
  customer: Customer,
  named: Invoice | null,
  matchedBy: string,
  now: Date,
): Promise<PaidInvoice[]> {
  const candidates = named ? [named] : await openInvoices(em, customer.id);
  let left = payment.amount;
  const paid: PaidInvoice[] = [];
  const allocations: PaybillAllocation[] = [];
  for (const candidate of candidates) {
    if (left === 0) break;
    const { subscription, invoice } = await lockInvoice(em, candidate.id);
    if (!owesMoney(invoice) || invoice.currency !== payment.currency) continue;
    const part = Math.min(left, invoice.amountRemaining);
    const settled = await settleInvoice(em, {
      subscription,
      invoice,
      amount: part,
      receivedAt: payment.paidAt,
      source: `paybill:${payment.transId}`,
      description: `Paybill payment ${payment.transId}`,
    });
    left -= part;
    allocations.push(
      em.create(PaybillAllocation, {
        paybillPayment: payment,
        invoice,
        customer,
        amount: part,
        currency: payment.currency,
      }),
    );
    if (settled.paidNow) paid.push({ subscriptionId: subscription?.id ?? null, invoiceId: invoice.id });
  }
  if (left > 0) {
    await grantCredit(em, {
      customerId: customer.id,
      subscriptionId: null,
      currency: payment.currency,
      amount: left,
      description: `Paybill payment ${payment.transId} beyond what was owed (account ${payment.billRefNumber})`,
      dedupeKey: `overpayment:paybill:${payment.transId}`,
    });
  }
  payment.status = 'MATCHED';
  payment.unmatchedReason = null;
  payment.customer = customer;
  payment.appliedToInvoices = payment.amount - left;
  payment.creditedToBalance = left;
  payment.matchedBy = matchedBy;
  payment.matchedAt = now;
  await em.flush();
  await queueReceipt(em, payment, customer, allocations[0]?.invoice ?? named);
  return paid;
}

async function openInvoices(em: EntityManager, customerId: string): Promise<Invoice[]> {
  return em.find(
    Invoice,
    { customer: customerId, currency: 'KES', status: { $in: ['OPEN', 'UNCOLLECTIBLE'] }, amountRemaining: { $gt: 0 } },
    { orderBy: { issuedAt: 'asc', id: 'asc' }, limit: MAX_INVOICES },
  );
}

/** The customer's receipt, sent after the commit by the outbox; one per payment. */
async function queueReceipt(
  em: EntityManager,
  payment: PaybillPayment,
  customer: Customer,
  invoice: Invoice | null,
): Promise<void> {
  if (!invoice) {
    // Nothing was owed: all of it is on the balance, and the receipt says so and what the balance is now.
    await queueNotice(em, {
      kind: 'balance_payment_received',
      dedupeKey: `payment_receipt:paybill:${payment.transId}`,
      subscriptionId: null,
      customerId: customer.id,
      payload: {
        paybillPaymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        reference: payment.transId,
        account: payment.billRefNumber,
        paidAt: payment.paidAt.toISOString(),
        balance: await creditBalance(em, customer.id, payment.currency),
      },
    });
    return;
  }
  await queueNotice(em, {
    kind: 'payment_receipt',
    dedupeKey: `payment_receipt:paybill:${payment.transId}`,
    subscriptionId: invoice.subscription?.id ?? null,
    customerId: customer.id,
    payload: {
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      paybillPaymentId: payment.id,
      amount: payment.amount,
      currency: payment.currency,
      provider: 'MPESA',
      reference: payment.transId,
      paidAt: payment.paidAt.toISOString(),
    },
  });
}
