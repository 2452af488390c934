// After the last retry, by configuration, a subscription may stay alive but UNPAID (no access, invoices kept open)
// instead of being cancelled: paying, or a new payment method, brings it back to ACTIVE.
import type { EntityManager } from '@mikro-orm/postgresql';
import { withLockedSubscription } from './withLockedSubscription.js';
import { assertTransition, type SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { queueNotice } from '../../notices/queueNotice.js';

export async function markUnpaid(
  rootEm: EntityManager,
  { subscriptionId, invoiceId }: { subscriptionId: string; invoiceId: string },
): Promise<{ status: SubscriptionStatus }> {
  return withLockedSubscription(rootEm, subscriptionId, async (em, subscription) => {
    // Paid meanwhile, or already ended: nothing to mark.
    if (subscription.status !== 'PAST_DUE') return { status: subscription.status };
    assertTransition(subscription.status, 'UNPAID');
    subscription.status = 'UNPAID';
    await em.flush();
    await queueNotice(em, {
      kind: 'subscription_unpaid',
      dedupeKey: `subscription_unpaid:${subscription.id}:${invoiceId}`,
      subscriptionId: subscription.id,
      customerId: subscription.customer.id,
      payload: { invoiceId },
    });
    return { status: subscription.status };
  });
}
