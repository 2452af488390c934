// Money received for an invoice, applied on the caller's transaction while it holds the subscription's and the
// invoice's row locks: a charge that succeeded, or an offline payment. It settles what remains
// (src/domain/invoiceSettlement.ts); the invoice is PAID once nothing remains, which also ends the subscription's
// arrears; anything paid beyond it becomes the customer's balance credit, granted once under the payment's identity.
import type { EntityManager } from '@mikro-orm/postgresql';
import { applyPayment, remainingOf, type Settlement } from '../../domain/invoiceSettlement.js';
import { invoiceMachine } from '../../domain/invoiceStatus.js';
import { statusAfterPayment, subscriptionMachine } from '../../domain/subscriptionStatus.js';
import type { Invoice, Subscription } from '../../entities/index.js';
import { grantCredit } from './customerCredit.js';

export function settlementOf(invoice: Invoice): Settlement {
  return {
    amountDue: invoice.amountDue,
    amountPaid: invoice.amountPaid,
    amountCredited: invoice.amountCredited,
    amountCreditedAfterPayment: invoice.amountCreditedAfterPayment,
  };
}

export interface ReceivedMoney {
  /** Null for a one-off invoice. */
  subscription: Subscription | null;
  invoice: Invoice;
  amount: number;
  receivedAt: Date;
  /** The payment's identity, e.g. `payment:<id>`: the overpayment's credit is granted once under it. */
  source: string;
  /** How the credit reads on the customer's balance, e.g. "Overpayment of INV-2026-000042 (bank transfer ABC)". */
  description: string;
}

export interface Settled {
  applied: number;
  overpaid: number;
  /** The invoice became PAID with this money. */
  paidNow: boolean;
}

export async function settleInvoice(em: EntityManager, money: ReceivedMoney): Promise<Settled> {
  const { invoice, subscription } = money;
  const { settlement, applied, overpaid } = applyPayment(settlementOf(invoice), money.amount);
  invoice.amountPaid = settlement.amountPaid;
  const paidNow = markPaidIfSettled(invoice, subscription, money.receivedAt);
  await em.flush();
  if (overpaid > 0) {
    await grantCredit(em, {
      customerId: invoice.customer.id,
      subscriptionId: subscription?.id ?? null,
      currency: invoice.currency,
      amount: overpaid,
      description: money.description,
      dedupeKey: `overpayment:${money.source}`,
    });
  }
  return { applied, overpaid, paidNow };
}

/**
 * An invoice with nothing remaining (settlement already applied to it in memory) becomes PAID, and its subscription
 * leaves arrears as a payment would make it. True when this made it PAID.
 */
export function markPaidIfSettled(invoice: Invoice, subscription: Subscription | null, at: Date): boolean {
  if (invoice.status === 'PAID' || remainingOf(settlementOf(invoice)) !== 0) return false;
  invoiceMachine.assert(invoice.status, 'PAID');
  invoice.status = 'PAID';
  invoice.paidAt = at;
  if (!subscription) return true;
  const next = statusAfterPayment(subscription.status, true);
  subscriptionMachine.assert(subscription.status, next);
  subscription.status = next;
  return true;
}
