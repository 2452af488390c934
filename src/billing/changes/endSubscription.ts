// Ends a subscription for good: CANCELED (asked for, at the period end, or after the last failed retry) or
// INCOMPLETE_EXPIRED (the first payment never came). Its unpaid invoices follow: a first invoice that was never
// paid is voided, one given up after dunning is marked uncollectible, and an invoice of a subscription cancelled by
// request stays open (the period was used). Cancelled now with `creditUnusedTime`, the paid invoice of the current
// period is credited for the time left in it (to the customer's balance, which later invoices spend). The notice is
// queued in the same transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantCredit } from './customerCredit.js';
import { withLockedSubscription } from './withLockedSubscription.js';
import { assertTransition, type SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { collectableAmount } from '../../domain/money.js';
import { prorate } from '../../domain/proration.js';
import { Invoice } from '../../entities/index.js';
import { invoiceMachine } from '../../domain/invoiceStatus.js';
import { queueNotice } from '../../notices/queueNotice.js';
import type { LifecycleAudit } from '../../workflows/types.js';
import { cancelStandingOrders } from '../../payments/ratiba/standingOrderCollections.js';

export const END_REASONS = [
  'CANCELED_BY_REQUEST',
  'CANCELED_AT_PERIOD_END',
  'PAYMENT_FAILED',
  'FIRST_PAYMENT_EXPIRED',
  'TRIAL_ENDED_WITHOUT_PAYMENT_METHOD',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface EndSubscriptionInput {
  subscriptionId: string;
  reason: EndReason;
  /** ISO instant: the workflow's time, so a retried activity records the same moment. */
  endedAt: string;
  /** When someone asked for it (cancel now). */
  audit?: LifecycleAudit;
  /** Cancel now only: credit the unused part of the current period's paid invoice. */
  creditUnusedTime?: boolean;
}

export async function endSubscription(
  rootEm: EntityManager,
  { subscriptionId, reason, endedAt, audit, creditUnusedTime }: EndSubscriptionInput,
): Promise<{ status: SubscriptionStatus }> {
  return withLockedSubscription(rootEm, { subscriptionId, audit }, async (em, subscription) => {
    const final: SubscriptionStatus = reason === 'FIRST_PAYMENT_EXPIRED' ? 'INCOMPLETE_EXPIRED' : 'CANCELED';
    if (subscription.status === final) return { status: final }; // already done (a retry)
    assertTransition(subscription.status, final);

    subscription.status = final;
    subscription.endedAt = new Date(endedAt);
    subscription.endReason = reason;
    subscription.canceledAt ??= new Date(endedAt);
    subscription.cancelAtPeriodEnd = false;
    if (reason === 'FIRST_PAYMENT_EXPIRED' || reason === 'PAYMENT_FAILED') {
      const unpaid = await em.find(Invoice, { subscription, status: 'OPEN' });
      const closed = reason === 'FIRST_PAYMENT_EXPIRED' ? 'VOID' : 'UNCOLLECTIBLE';
      for (const invoice of unpaid) {
        invoiceMachine.assert(invoice.status, closed);
        invoice.status = closed;
      }
    }
    await em.flush();
    await cancelStandingOrders(em, subscription.id, new Date(endedAt));
    if (creditUnusedTime && reason === 'CANCELED_BY_REQUEST') {
      await creditUnusedPeriod(em, subscription.id, subscription.customer.id, new Date(endedAt));
    }
    await queueNotice(em, {
      kind: final === 'INCOMPLETE_EXPIRED' ? 'subscription_expired' : 'subscription_canceled',
      dedupeKey: `subscription_ended:${subscription.id}`,
      subscriptionId: subscription.id,
      customerId: subscription.customer.id,
      payload: { reason, endedAt },
    });
    return { status: final };
  });
}

/**
 * The time left in the period being used when the subscription ends, on its PAID period invoice (what was actually
 * paid: after coupon and with tax), prorated like a plan change and rounded to whole shillings for KES. Nothing when
 * that invoice is not paid (nothing was paid to give back) or the end falls outside it.
 */
async function creditUnusedPeriod(
  em: EntityManager,
  subscriptionId: string,
  customerId: string,
  endedAt: Date,
): Promise<void> {
  const invoice = await em.findOne(Invoice, {
    subscription: subscriptionId,
    kind: 'PERIOD',
    status: 'PAID',
    periodStart: { $lte: endedAt },
    periodEnd: { $gt: endedAt },
  });
  if (!invoice) return;
  const { net } = prorate({
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    changeAt: endedAt,
    currency: invoice.currency,
    from: { amount: invoice.total, description: invoice.number },
    to: { amount: 0, description: '' },
  });
  const amount = collectableAmount(-net, invoice.currency);
  if (amount <= 0) return;
  await grantCredit(em, {
    customerId,
    subscriptionId,
    currency: invoice.currency,
    amount,
    description: `Unused time on invoice ${invoice.number} after the cancellation`,
    dedupeKey: `cancellation:${subscriptionId}`,
  });
}
