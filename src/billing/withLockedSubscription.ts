import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Subscription } from '../entities/index.js';

/**
 * Runs `change` in a transaction holding the subscription's row lock, so lifecycle changes (cancel, end, unpaid,
 * payments) to one subscription happen one after another, never interleaved.
 */
export function withLockedSubscription<T>(
  rootEm: EntityManager,
  subscriptionId: string,
  change: (em: EntityManager, subscription: Subscription) => Promise<T>,
): Promise<T> {
  return rootEm.fork().transactional(async (em) => {
    const subscription = await em.findOneOrFail(
      Subscription,
      { id: subscriptionId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return change(em, subscription);
  });
}
