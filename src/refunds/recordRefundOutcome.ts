// Writes what a provider said about a refund, under the refund's row lock, through its state machine: a finished
// refund stays finished (a late or repeated answer changes nothing), and FAILED releases the payment's reservation
// (the trigger on `refunds` does it in this transaction).
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { refundMachine } from '../domain/refundStatus.js';
import { Invoice, Refund } from '../entities/index.js';
import { grantCredit } from '../billing/changes/customerCredit.js';
import { queueNotice } from '../notices/queueNotice.js';
import type { RefundOutcome, RefundProgress } from './refundOutcome.js';

export async function recordRefundOutcome(
  rootEm: EntityManager,
  refundId: string,
  outcome: RefundOutcome,
): Promise<RefundProgress> {
  return rootEm.fork().transactional(async (em) => {
    const refund = await em.findOneOrFail(Refund, { id: refundId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (refund.status !== 'PENDING') return { refundId, status: refund.status };
    switch (outcome.kind) {
      case 'succeeded':
        refundMachine.assert(refund.status, 'SUCCEEDED');
        refund.status = 'SUCCEEDED';
        refund.providerReference = outcome.providerReference;
        refund.failureCode = null;
        refund.failureMessage = null;
        refund.completedAt = new Date();
        await noticeOfRefund(em, refund);
        break;
      case 'failed':
        refundMachine.assert(refund.status, 'FAILED');
        refund.status = 'FAILED';
        refund.failureCode = outcome.code;
        refund.failureMessage = outcome.message;
        refund.completedAt = new Date();
        await creditBalanceInstead(em, refund);
        break;
      case 'pending':
        refund.providerReference = outcome.providerReference ?? refund.providerReference;
        refund.providerRequestId = outcome.providerRequestId ?? refund.providerRequestId;
        break;
      case 'unavailable':
        refund.failureCode = outcome.code;
        refund.failureMessage = outcome.message;
        break;
    }
    await em.flush();
    return { refundId, status: refund.status };
  });
}

/** The customer hears that the money went back, once per refund, in the transaction that records it. */
async function noticeOfRefund(em: EntityManager, refund: Refund): Promise<void> {
  const invoice = await em.findOneOrFail(Invoice, { id: refund.invoice.id });
  await queueNotice(em, {
    kind: 'refund_succeeded',
    dedupeKey: `refund_succeeded:${refund.id}`,
    subscriptionId: invoice.subscription?.id ?? null,
    customerId: refund.customer.id,
    payload: {
      refundId: refund.id,
      paymentId: refund.payment.id,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount: refund.amount,
      currency: refund.currency,
      provider: refund.provider,
      reference: refund.providerReference,
      reason: refund.reason,
    },
  });
}

/**
 * A credit note's refund that the provider refused still owes the customer the money the note gave back: it goes to
 * their balance instead (once, keyed by the refund), where their next invoices spend it.
 */
async function creditBalanceInstead(em: EntityManager, refund: Refund): Promise<void> {
  if (!refund.creditNoteId) return;
  const invoice = await em.findOneOrFail(Invoice, { id: refund.invoice.id });
  await grantCredit(em, {
    customerId: refund.customer.id,
    subscriptionId: invoice.subscription?.id ?? null,
    currency: refund.currency,
    amount: refund.amount,
    description: `Refund of invoice ${invoice.number} refused by ${refund.provider}: credited instead`,
    dedupeKey: `refund-failed:${refund.id}`,
    creditNoteId: refund.creditNoteId,
  });
}
