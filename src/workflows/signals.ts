import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AuditRequest, SubscriptionState } from './types.js';

export const subscriptionStateQuery = defineQuery<SubscriptionState>('subscriptionState');

/** A provider said something about a payment (callback, webhook, buyer back from PayPal): time to ask it. */
export const paymentNotificationSignal = defineSignal<[{ paymentId: string }]>('paymentNotification');
/** The customer chose a new payment method: retry an unpaid invoice with it now. */
export const paymentMethodChangedSignal = defineSignal('paymentMethodChanged');
/** The customer asked to pay an invoice now (payInvoice). */
export const payNowSignal = defineSignal<[{ invoiceId: string }]>('payNow');

/**
 * Who asked (the API sets it): the activity that makes the change writes it to the audit trail in the same
 * transaction. An Update sent by hand, without it, is recorded as the OPERATOR's.
 */
export interface Audited {
  audit?: AuditRequest;
}

/** Cancel now, or at the period end. Refused (by the validator, before anything happens) when already ended. */
export interface CancelRequest extends Audited {
  atPeriodEnd: boolean;
  /** Cancelling now: credit the unused part of the current period's paid invoice. */
  creditUnusedTime?: boolean;
}
export const cancelUpdate = defineUpdate<SubscriptionState, [CancelRequest]>('cancel');
/** Take back a cancellation at the period end, while the period lasts. */
export const uncancelUpdate = defineUpdate<SubscriptionState, [Audited]>('uncancel');
/** Pause collection for `periods` whole periods (null: until resumed). Refused during a trial and once ended. */
export const pauseUpdate = defineUpdate<SubscriptionState, [{ periods: number | null } & Audited]>('pause');
/** Resume a paused subscription now: the current period is billed at once. */
export const resumeUpdate = defineUpdate<SubscriptionState, [Audited]>('resume');

export interface PlanChangeRequest {
  planId: string;
  quantity: number;
  /** NOW: switch and bill the rest of the period at once (prorated); PERIOD_END: from the next period. */
  timing: 'NOW' | 'PERIOD_END';
  audit?: AuditRequest;
}

/** Change plan or quantity. The API has checked the plan (active, same currency and cadence) before asking. */
export const changePlanUpdate = defineUpdate<SubscriptionState, [PlanChangeRequest]>('changePlan');
