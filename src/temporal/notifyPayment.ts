// Tells a subscription's workflow that a provider spoke about one of its payments. The workflow then asks the
// provider itself; the signal only saves it from waiting out its timeout, so a lost signal delays, never loses.
import type { SubscriptionLifecycle } from './subscriptionLifecycle.js';

/** `subscriptionId` null: the payment is of a one-off invoice, whose own workflow collects it. */
export type PaymentNotifier = (subscriptionId: string | null, paymentId: string, invoiceId: string) => Promise<void>;

export function paymentNotifier(lifecycle: SubscriptionLifecycle, onError: (error: unknown) => void): PaymentNotifier {
  return async (subscriptionId, paymentId, invoiceId) => {
    try {
      await lifecycle.paymentNotification(subscriptionId, paymentId, invoiceId);
    } catch (error) {
      onError(error);
    }
  };
}
