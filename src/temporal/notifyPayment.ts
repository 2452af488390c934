// Tells a subscription's workflow that a provider spoke about one of its payments. The workflow then asks the
// provider itself; the signal only saves it from waiting out its timeout, so a lost signal delays, never loses.
import type { SubscriptionLifecycle } from './subscriptionLifecycle.js';

export type PaymentNotifier = (subscriptionId: string, paymentId: string) => Promise<void>;

export function paymentNotifier(lifecycle: SubscriptionLifecycle, onError: (error: unknown) => void): PaymentNotifier {
  return async (subscriptionId, paymentId) => {
    try {
      await lifecycle.paymentNotification(subscriptionId, paymentId);
    } catch (error) {
      onError(error);
    }
  };
}
