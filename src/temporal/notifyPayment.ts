// Tells a subscription's workflow that a provider spoke about one of its payments. The workflow then asks the
// provider itself; the signal only saves it from waiting out its timeout, so a lost signal delays, never loses.
import type { Client } from '@temporalio/client';
import { subscriptionWorkflowId } from '../entities/Subscription.js';
import { paymentNotificationSignal } from '../workflows/signals.js';

export type PaymentNotifier = (subscriptionId: string, paymentId: string) => Promise<void>;

export function paymentNotifier(client: Client, onError: (error: unknown) => void): PaymentNotifier {
  return async (subscriptionId, paymentId) => {
    try {
      await client.workflow.getHandle(subscriptionWorkflowId(subscriptionId)).signal(paymentNotificationSignal, {
        paymentId,
      });
    } catch (error) {
      onError(error);
    }
  };
}
