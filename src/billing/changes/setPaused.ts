// Pausing and resuming collection, as the workflow decides it: PAUSED issues no invoices and grants no access;
// resuming makes the subscription ACTIVE again and the workflow bills the current period at once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertTransition, type SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { queueNotice } from '../../notices/queueNotice.js';
import { withLockedSubscription } from './withLockedSubscription.js';
import type { LifecycleAudit } from '../../workflows/types.js';

export interface PauseInput {
  subscriptionId: string;
  /** The period at which billing resumes by itself; null: until resumed. */
  resumesAtPeriod: number | null;
  /** ISO instant from the workflow's clock. */
  at: string;
  audit?: LifecycleAudit;
}

export function applyPause(rootEm: EntityManager, input: PauseInput): Promise<{ status: SubscriptionStatus }> {
  return withLockedSubscription(rootEm, input, async (em, subscription) => {
    if (subscription.status === 'PAUSED') return { status: subscription.status }; // a retry
    assertTransition(subscription.status, 'PAUSED');
    subscription.status = 'PAUSED';
    subscription.pausedAt = new Date(input.at);
    subscription.resumesAtPeriod = input.resumesAtPeriod;
    await em.flush();
    await queueNotice(em, {
      kind: 'subscription_paused',
      dedupeKey: `subscription_paused:${subscription.id}:${input.at}`,
      subscriptionId: subscription.id,
      customerId: subscription.customer.id,
      payload: { pausedAt: input.at, resumesAtPeriod: input.resumesAtPeriod },
    });
    return { status: subscription.status };
  });
}

export function applyResume(
  rootEm: EntityManager,
  { subscriptionId, audit }: { subscriptionId: string; audit?: LifecycleAudit },
): Promise<{ status: SubscriptionStatus }> {
  return withLockedSubscription(rootEm, { subscriptionId, audit }, async (em, subscription) => {
    if (subscription.status !== 'PAUSED') return { status: subscription.status }; // a retry, or ended meanwhile
    const pausedAt = subscription.pausedAt;
    subscription.status = 'ACTIVE';
    subscription.pausedAt = null;
    subscription.resumesAtPeriod = null;
    await em.flush();
    await queueNotice(em, {
      kind: 'subscription_resumed',
      dedupeKey: `subscription_resumed:${subscription.id}:${pausedAt?.toISOString() ?? 'unknown'}`,
      subscriptionId: subscription.id,
      customerId: subscription.customer.id,
      payload: { resumedAt: new Date().toISOString() },
    });
    return { status: subscription.status };
  });
}
