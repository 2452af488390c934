// A renewal's first two steps in one activity: issue the period's invoice, then make its first charge when it is to
// be collected at once. They always follow each other in a renewal; together they cost the workflow one activity
// and one workflow task fewer. Safe to run twice because each half is: the invoice is keyed by (subscription,
// period), the charge by (invoice, attempt 1), and a retry picks up a charge a crash left pending.
//
// A new invoice's attempt-1 payment row is written by the transaction that writes the invoice (it holds the
// subscription's lock already, and a new invoice has no payments to look for), and goes to the provider without being
// read again: one transaction and about ten round trips fewer per renewal than issuing, then chargeInvoice (measured
// in bench/results/billing-run-worker-profile.md). An invoice that already existed (a retry), or one with nothing to
// collect, takes chargeInvoice's path, which reads everything under its locks.
import type { IssuedInvoice } from '../billing/changes/issuePeriodInvoice.js';
import {
  issuePeriodInvoice,
  type IssuePeriodInvoiceInput,
  type OnIssued,
} from '../billing/changes/issuePeriodInvoice.js';
import { collectsOnIssue } from '../domain/subscriptionStatus.js';
import { NO_TAX, type TaxSettings } from '../domain/tax.js';
import { chargeFresh, chargeInvoice, storedMethodOf, writeChargeAttempt, type FreshCharge } from './chargeInvoice.js';
import type { ChargeResult } from './chargeResult.js';
import type { PaymentContext } from './paymentContext.js';
import { Invoice, Payment } from '../entities/index.js';
import { standingOrderCovers } from './ratiba/standingOrderCollections.js';

export interface IssuedAndCharged extends IssuedInvoice {
  /** Attempt 1's result; null when the invoice is not collected at once (see collectsOnIssue). */
  charge: ChargeResult | null;
}

export interface IssueAndChargeInput extends IssuePeriodInvoiceInput {
  /**
   * Set by the subscription workflow's renewals, which know how to wait for an M-Pesa Ratiba order's collection
   * (src/workflows/collection.ts): an invoice an ACTIVE order covers is not charged, and the result says
   * STANDING_ORDER. Recorded histories never hold that result, so they replay without a patch marker.
   */
  awaitStandingOrder?: boolean;
}

export async function issueAndChargePeriodInvoice(
  ctx: PaymentContext,
  input: IssueAndChargeInput,
  tax: TaxSettings = NO_TAX,
): Promise<IssuedAndCharged> {
  const { awaitStandingOrder = false, ...issue } = input;
  let fresh: FreshCharge | null = null;
  let covered = false;
  const firstCharge: OnIssued = async (em, invoice, subscription) => {
    // What chargeInvoice would check, known here without reading: the invoice is new, so nothing is paid or
    // credited yet (what remains is amountDue) and it has no payments.
    if (!collectsOnIssue(invoice.status, subscription.status) || invoice.amountDue <= 0) return;
    covered = awaitStandingOrder && (await standingOrderCovers(em, subscription.id, invoice, subscription.customer.id));
    if (covered) return;
    const stored = await storedMethodOf(em, subscription, invoice);
    if (stored) fresh = await writeChargeAttempt(ctx, em, invoice, stored, 1, invoice.amountDue);
  };
  const invoice = await issuePeriodInvoice(ctx.em, issue, tax, firstCharge);
  // Only a transaction that committed the invoice committed its payment (a lost race returns created: false).
  const written: FreshCharge | null = invoice.created ? fresh : null;
  if (await awaitsStandingOrder(ctx, invoice, awaitStandingOrder && (covered || !invoice.created))) {
    return { ...invoice, charge: standingOrderWaits(invoice.subscriptionStatus) };
  }
  const charge = written
    ? await chargeFresh(ctx, written)
    : collectsOnIssue(invoice.invoiceStatus, invoice.subscriptionStatus)
      ? await chargeInvoice(ctx, { invoiceId: invoice.invoiceId, attempt: 1 })
      : null;
  return { ...invoice, charge };
}

/**
 * Whether the renewal waits for the standing order: decided by the transaction that wrote the invoice, or, on a
 * retry that found the invoice written already, asked again (an unpaid invoice the order still covers, and no
 * charge started for it).
 */
async function awaitsStandingOrder(ctx: PaymentContext, invoice: IssuedInvoice, candidate: boolean): Promise<boolean> {
  if (!candidate) return false;
  if (invoice.created) return true;
  const em = ctx.em.fork();
  const row = await em.findOneOrFail(Invoice, { id: invoice.invoiceId });
  if (row.status !== 'OPEN' || row.amountRemaining <= 0) return false;
  if ((await em.count(Payment, { invoice: row.id })) > 0) return false;
  const subscriptionId = row.subscription?.id;
  const due = { id: row.id, number: row.number, currency: row.currency, amountDue: row.amountRemaining };
  return subscriptionId ? standingOrderCovers(em, subscriptionId, due, row.customer.id) : false;
}

function standingOrderWaits(subscriptionStatus: ChargeResult['subscriptionStatus']): ChargeResult {
  return {
    paymentId: null,
    status: 'STANDING_ORDER',
    awaiting: null,
    hardDecline: false,
    failureCode: null,
    subscriptionStatus,
  };
}
