import type { Cadence } from '../domain/billingPeriod.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';

/** Everything the workflow needs to decide; dates travel as ISO strings through workflow history. */
export interface SubscriptionWorkflowInput {
  subscriptionId: string;
  customerId: string;
  planId: string;
  cadence: Cadence;
  /** Billing periods are counted from here (trial end, or start when there is no trial). */
  billingAnchor: string;
  trialEnd: string | null;
  /** The period this run bills; continue-as-new moves it forward by one. */
  periodIndex: number;
  status: SubscriptionStatus;
}

export interface SubscriptionState {
  subscriptionId: string;
  status: SubscriptionStatus;
  periodIndex: number;
  /** When the workflow next wakes up to bill (trial end or the current period end). */
  nextBillingAt: string | null;
  lastInvoiceId: string | null;
}
