// What the charge activities tell the workflow: plain data that travels through workflow history.
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import type { Payment } from '../entities/index.js';

export type Awaiting = 'callback' | 'webhook' | 'buyerApproval';

export interface ChargeResult {
  /** null when nothing was charged (nothing due, or no payment method). */
  paymentId: string | null;
  /** STANDING_ORDER: nothing was charged; an M-Pesa Ratiba order collects this invoice (only when asked to wait). */
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'NOTHING_DUE' | 'NO_PAYMENT_METHOD' | 'STANDING_ORDER';
  awaiting: Awaiting | null;
  hardDecline: boolean;
  failureCode: string | null;
  /** The subscription's status after the charge; null for a one-off invoice (no subscription). */
  subscriptionStatus: SubscriptionStatus | null;
}

/** What a pending payment waits for: M-Pesa a callback; PayPal the buyer's approval, or a webhook after capture. */
export function awaitingOf(
  payment: Pick<Payment, 'status' | 'providerReference' | 'provider' | 'approvalUrl'>,
): Awaiting | null {
  if (payment.status !== 'PENDING' || !payment.providerReference) return null;
  if (payment.provider === 'MPESA') return 'callback';
  return payment.approvalUrl ? 'buyerApproval' : 'webhook';
}

export function resultOf(payment: Payment, subscriptionStatus: SubscriptionStatus | null): ChargeResult {
  const status = payment.status === 'SUCCEEDED' ? 'SUCCEEDED' : payment.status === 'PENDING' ? 'PENDING' : 'FAILED';
  return {
    paymentId: payment.id,
    status,
    awaiting: awaitingOf(payment),
    hardDecline: payment.hardDecline,
    failureCode: payment.failureCode,
    subscriptionStatus,
  };
}
