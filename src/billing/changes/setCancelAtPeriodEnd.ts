// Cancel at the period end, or take that back: only a flag until the period ends, when the workflow ends the
// subscription instead of renewing it. The workflow's Update validator has already refused what cannot be done.
import type { EntityManager } from '@mikro-orm/postgresql';
import { withLockedSubscription } from './withLockedSubscription.js';
import type { LifecycleAudit } from '../../workflows/types.js';

export async function setCancelAtPeriodEnd(
  rootEm: EntityManager,
  {
    subscriptionId,
    cancel,
    at,
    audit,
  }: { subscriptionId: string; cancel: boolean; at: string; audit?: LifecycleAudit },
): Promise<{ cancelAtPeriodEnd: boolean }> {
  return withLockedSubscription(rootEm, { subscriptionId, audit }, async (em, subscription) => {
    if (subscription.cancelAtPeriodEnd !== cancel) {
      subscription.cancelAtPeriodEnd = cancel;
      subscription.canceledAt = cancel ? new Date(at) : null;
      await em.flush();
    }
    return { cancelAtPeriodEnd: subscription.cancelAtPeriodEnd };
  });
}
