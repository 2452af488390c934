import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordLifecycleAudit } from '../../audit/lifecycleAudit.js';
import { Subscription } from '../../entities/index.js';
import type { LifecycleAudit } from '../../workflows/types.js';

/**
 * Runs `change` in a transaction holding the subscription's row lock, so lifecycle changes (cancel, end, unpaid,
 * payments) to one subscription happen one after another, never interleaved. When someone asked for the change
 * (an Update with an audit), its audit event commits with it, also when a retry finds the change already made.
 */
export function withLockedSubscription<T>(
  rootEm: EntityManager,
  target: string | { subscriptionId: string; audit?: LifecycleAudit },
  change: (em: EntityManager, subscription: Subscription) => Promise<T>,
): Promise<T> {
  const { subscriptionId, audit } = typeof target === 'string' ? { subscriptionId: target, audit: undefined } : target;
  return rootEm.fork().transactional(async (em) => {
    const subscription = await em.findOneOrFail(
      Subscription,
      { id: subscriptionId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const result = await change(em, subscription);
    if (audit) await recordLifecycleAudit(em, subscriptionId, audit);
    return result;
  });
}
