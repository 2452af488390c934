import type { Cadence } from '../domain/billingPeriod.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';

/** How the workflow collects an invoice. Set when the workflow starts (from configuration) and carried forward. */
export interface CollectionPolicy {
  /** After a soft decline, wait this long before attempt 2, 3, ... (one entry per retry). */
  retryDelaysMs: number[];
  /** M-Pesa: how long to wait for the callback before asking Daraja (STK Query); doubles while still pending. */
  confirmAfterMs: number;
  /** PayPal: how long to wait for the webhook of a pending capture before asking PayPal. */
  webhookWaitMs: number;
  /** What a subscription becomes when the last retry has failed. Absent in older workflows: CANCELED. */
  afterLastRetry?: 'CANCELED' | 'UNPAID';
  /** A first invoice unpaid this long after it was issued ends the subscription (INCOMPLETE_EXPIRED). */
  incompleteExpiryMs?: number;
  /** Notices this long before the trial ends and before each renewal; 0 sends none. */
  trialEndingNoticeMs?: number;
  renewalReminderMs?: number;
  /** A trial that ends without a payment method: invoiced anyway (absent: so), cancelled, or paused. */
  trialEndWithoutPaymentMethod?: 'INVOICE' | 'CANCEL' | 'PAUSE';
  /** A renewal an M-Pesa Ratiba order covers waits this long for its collection before an STK prompt (absent: 12 h). */
  standingOrderWaitMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = {
  retryDelaysMs: [1, 3, 5, 7].map((days) => days * DAY_MS),
  confirmAfterMs: 90_000,
  webhookWaitMs: DAY_MS,
  afterLastRetry: 'CANCELED',
  incompleteExpiryMs: 23 * 60 * 60 * 1000,
  trialEndingNoticeMs: 3 * DAY_MS,
  renewalReminderMs: 7 * DAY_MS,
  standingOrderWaitMs: 12 * 60 * 60 * 1000,
};

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
  /** Absent in workflows started before payments existed: they use the defaults. */
  collection?: CollectionPolicy;
  /** Payments still waiting for their provider when the previous period ended: asked about again in this one. */
  unsettledPaymentIds?: string[];
  /** Set to end at the period end (carried across continue-as-new; the database holds it too). */
  cancelAtPeriodEnd?: boolean;
  /** While PAUSED: the period at which billing resumes by itself (null or absent: until resumed). */
  resumesAtPeriod?: number | null;
}

export interface CollectionState {
  invoiceId: string;
  attempt: number;
  paymentId: string | null;
  /** SUCCEEDED, PENDING, FAILED, NOTHING_DUE or NO_PAYMENT_METHOD. */
  outcome: string;
  awaiting: string | null;
  failureCode: string | null;
  /** When the next attempt happens by itself (soft declines); null when it waits for the customer. */
  nextAttemptAt: string | null;
}

export interface SubscriptionState {
  subscriptionId: string;
  status: SubscriptionStatus;
  periodIndex: number;
  /** When the workflow next wakes up to bill (trial end or the current period end). */
  nextBillingAt: string | null;
  lastInvoiceId: string | null;
  /** The invoice being collected right now, if any. */
  collection: CollectionState | null;
  cancelAtPeriodEnd: boolean;
  resumesAtPeriod: number | null;
}

/**
 * Who asked for a lifecycle change, and what it was: the API puts it on the Update, and the workflow hands it to
 * the activity that makes the change, which writes the audit event in the same transaction.
 */
export interface AuditRequest {
  actorType: string;
  actorId: string | null;
  action: string;
  changes: Record<string, unknown>;
}

/** An AuditRequest with the Update's id as its key, so a retried activity records it once. */
export interface LifecycleAudit extends AuditRequest {
  key: string;
}
