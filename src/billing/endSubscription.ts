// Ends a subscription for good: CANCELED (asked for, at the period end, or after the last failed retry) or
// INCOMPLETE_EXPIRED (the first payment never came). Its unpaid invoices follow: a first invoice that was never
// paid is voided, one given up after dunning is marked uncollectible, and an invoice of a subscription cancelled by
// request stays open (the period was used). The notice is queued in the same transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { withLockedSubscription } from './withLockedSubscription.js';
import { assertTransition, type SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { Invoice } from '../entities/index.js';
import { publishSubscriptionChanged } from '../events/billingEvents.js';
import { queueNotice } from '../notices/queueNotice.js';
import type { LifecycleAudit } from '../workflows/types.js';

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
}

export async function endSubscription(
  rootEm: EntityManager,
  { subscriptionId, reason, endedAt, audit }: EndSubscriptionInput,
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
      for (const invoice of unpaid) invoice.status = reason === 'FIRST_PAYMENT_EXPIRED' ? 'VOID' : 'UNCOLLECTIBLE';
    }
    await em.flush();
    await publishSubscriptionChanged(em, subscription);
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
