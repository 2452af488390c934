// The end of a trial without a payment method: by configuration the subscription is invoiced anyway (the customer
// pays the open invoice), cancelled, or paused until the customer resumes it. With a payment method, nothing to do.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { Subscription } from '../../entities/index.js';
import { endSubscription } from './endSubscription.js';
import { applyPause } from './setPaused.js';

export type TrialEndAction = 'INVOICE' | 'CANCEL' | 'PAUSE';

export async function endTrialWithoutPaymentMethod(
  rootEm: EntityManager,
  { subscriptionId, action, at }: { subscriptionId: string; action: TrialEndAction; at: string },
): Promise<{ status: SubscriptionStatus }> {
  const subscription = await rootEm.fork().findOneOrFail(Subscription, { id: subscriptionId });
  if (subscription.paymentProvider || action === 'INVOICE' || subscription.status !== 'TRIALING') {
    return { status: subscription.status };
  }
  if (action === 'CANCEL') {
    return endSubscription(rootEm, { subscriptionId, reason: 'TRIAL_ENDED_WITHOUT_PAYMENT_METHOD', endedAt: at });
  }
  return applyPause(rootEm, { subscriptionId, resumesAtPeriod: null, at });
}
