// Applies what a provider said about a charge, in one transaction: the payment row, the invoice, the subscription's
// status, and the live events (NOTIFY from the tables' triggers, delivered only if this commits). A payment that is already final is never
// changed again, so a late duplicate callback or a retried activity cannot undo or repeat anything.
import { LockMode } from '@mikro-orm/core';
import { paymentMachine } from '../domain/paymentStatus.js';
import { assertTransition, statusAfterPayment } from '../domain/subscriptionStatus.js';
import { Invoice, Payment, Subscription } from '../entities/index.js';
import { settleInvoice } from '../billing/changes/settleInvoice.js';
import { queueNotice } from '../notices/queueNotice.js';
import { resultOf, type ChargeResult } from './chargeResult.js';
import { recordPendingOutcome } from './recordPendingOutcome.js';
import type { PaymentContext } from './paymentContext.js';
import { labelOf, sealingContext, sealMethod } from './paymentMethods.js';
import type { ChargeOutcome } from './provider.js';
import { chargeConfirmation, charges, codeLabel } from '../observability/metrics.js';

export interface OutcomeDetails {
  /** PayPal: the account the first capture saved, for merchant-initiated renewals. */
  vaultId?: string | null;
}

/** The provider could not be reached: the activity fails and Temporal retries it with the same idempotency key. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/** The rows an outcome changes, known to the caller: nothing is read before the locks are taken. */
export interface PaymentKeys {
  paymentId: string;
  invoiceId: string;
  /** Null for a one-off invoice's payment. */
  subscriptionId: string | null;
}

export async function recordChargeOutcome(
  ctx: PaymentContext,
  { paymentId, invoiceId, subscriptionId }: PaymentKeys,
  outcome: ChargeOutcome,
  details: OutcomeDetails = {},
): Promise<ChargeResult> {
  if (outcome.kind === 'pending' && !details.vaultId) {
    const recorded = await recordPendingOutcome(ctx.em.fork(), { paymentId, invoiceId, subscriptionId }, outcome);
    if (recorded) {
      countCharge(recorded.payment, outcome);
      return recorded.result;
    }
  }
  // Set when this call changed the payment (not when it found it final already): what the metrics count.
  let applied: { provider: string; createdAt: Date } | null = null;
  const result = await ctx.em.fork().transactional(async (em) => {
    // Always subscription, then invoice, then payment: the same order as every other writer, so no deadlocks.
    const subscription = subscriptionId
      ? await em.findOneOrFail(Subscription, { id: subscriptionId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
      : null;
    const invoice = await em.findOneOrFail(Invoice, { id: invoiceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const payment = await em.findOneOrFail(
      Payment,
      { id: paymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (payment.status !== 'PENDING') return resultOf(payment, subscription?.status ?? null);

    const statusBefore = subscription?.status ?? null;
    switch (outcome.kind) {
      case 'succeeded': {
        paymentMachine.assert(payment.status, 'SUCCEEDED');
        payment.status = 'SUCCEEDED';
        // M-Pesa's query answers with the CheckoutRequestID we already hold; PayPal moves from order to capture.
        if (payment.provider === 'PAYPAL') payment.providerReference = outcome.providerReference;
        payment.completedAt = outcome.completedAt;
        payment.approvalUrl = null;
        payment.failureCode = null;
        payment.failureMessage = null;
        // What remains is settled; money beyond it (an offline payment or credit note came first) is balance credit.
        await settleInvoice(em, {
          subscription,
          invoice,
          amount: payment.amount,
          receivedAt: outcome.completedAt,
          source: `payment:${payment.id}`,
          description: `Paid beyond invoice ${invoice.number} (${payment.provider} ${outcome.providerReference})`,
        });
        break;
      }
      case 'pending':
        payment.providerReference = outcome.providerReference;
        payment.failureCode = null; // an outage before this answer is over
        payment.failureMessage = null;
        payment.approvalUrl =
          outcome.awaiting === 'buyerApproval' ? (outcome.approvalUrl ?? payment.approvalUrl) : null;
        break;
      case 'declined':
        paymentMachine.assert(payment.status, 'FAILED');
        payment.status = 'FAILED';
        payment.receiptNumber = null; // a success callback's receipt, which the provider's answer contradicts
        payment.failureCode = outcome.code;
        payment.failureMessage = outcome.message;
        payment.hardDecline = outcome.hard;
        payment.completedAt = new Date();
        payment.approvalUrl = null;
        if (subscription) subscription.status = statusAfterPayment(subscription.status, false);
        break;
      case 'unavailable':
        // Still pending: nothing was charged as far as we know, and the retry reuses the idempotency key.
        payment.failureCode = outcome.code;
        payment.failureMessage = outcome.message;
        break;
    }
    if (details.vaultId && subscription?.paymentProvider === 'PAYPAL') {
      const method = { kind: 'paypal' as const, vaultId: details.vaultId };
      subscription.paymentMethodSealed = sealMethod(ctx.cipher, method, sealingContext.subscription(subscription.id));
      subscription.paymentMethodLabel = labelOf(method);
    }
    if (subscription && statusBefore) assertTransition(statusBefore, subscription.status);
    await em.flush();
    applied = { provider: payment.provider, createdAt: payment.createdAt };
    if (payment.status === 'SUCCEEDED') {
      // The receipt commits with the payment it confirms: exactly one per payment, however often this runs.
      await queueNotice(em, {
        kind: 'payment_receipt',
        dedupeKey: `payment_receipt:${payment.id}`,
        subscriptionId: subscription?.id ?? null,
        customerId: invoice.customer.id,
        payload: {
          invoiceId: invoice.id,
          invoiceNumber: invoice.number,
          paymentId: payment.id,
          amount: payment.amount,
          currency: payment.currency,
          provider: payment.provider,
          reference: payment.receiptNumber ?? payment.providerReference,
        },
      });
    }
    return resultOf(payment, subscription?.status ?? null);
  });
  if (applied) countCharge(applied, outcome);
  if (outcome.kind === 'unavailable') {
    throw new ProviderUnavailableError(`provider unavailable (${outcome.code}): ${outcome.message}`);
  }
  return result;
}

/** billing_charges_total, and for a success the time since the payment was created (its confirmation time). */
function countCharge(payment: { provider: string; createdAt: Date }, outcome: ChargeOutcome): void {
  const code = outcome.kind === 'declined' || outcome.kind === 'unavailable' ? outcome.code : null;
  charges.inc({ provider: payment.provider, result: outcome.kind, code: codeLabel(code) });
  if (outcome.kind === 'succeeded') {
    const seconds = Math.max(0, (outcome.completedAt.getTime() - payment.createdAt.getTime()) / 1000);
    chargeConfirmation.observe({ provider: payment.provider }, seconds);
  }
}
