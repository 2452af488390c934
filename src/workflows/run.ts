// What one run of a subscription's workflow knows and shares between its main flow, its collection loop and its
// Update handlers: the period, the policy, the state the query shows, what signals asked for, and the main flow's
// activities, each taking its turn with the handlers' changes.
import { patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { billingPeriod, type BillingPeriod } from '../domain/billingPeriod.js';
import { isEnded } from '../domain/subscriptionStatus.js';
import type { ChargeResult } from '../payments/chargeResult.js';
import { activities, finishing } from './activities.js';
import { oneAtATime, type Exclusive } from './oneAtATime.js';
import { BillingNextAt, BillingStatus } from './searchAttributes.js';
import {
  paymentMethodChangedSignal,
  paymentNotificationSignal,
  payNowSignal,
  subscriptionStateQuery,
} from './signals.js';
import {
  DEFAULT_COLLECTION_POLICY,
  type CollectionPolicy,
  type SubscriptionState,
  type SubscriptionWorkflowInput,
} from './types.js';

type NoticeKind = Parameters<typeof activities.queueNotice>[0]['kind'];

/** The main flow's activities, each waiting for an Update handler's change in flight (and they for it). */
function serialActivities(exclusively: Exclusive) {
  const serial =
    <A extends unknown[], R>(activity: (...args: A) => Promise<R>) =>
    (...args: A) =>
      exclusively(() => activity(...args));
  return {
    issuePeriodInvoice: serial(activities.issuePeriodInvoice),
    issueAndChargePeriodInvoice: serial(activities.issueAndChargePeriodInvoice),
    chargeInvoice: serial(activities.chargeInvoice),
    confirmPayment: serial(finishing.confirmPayment),
    nextPaymentAttempt: serial(activities.nextPaymentAttempt),
    endSubscription: serial(activities.endSubscription),
    markUnpaid: serial(activities.markUnpaid),
    lapseStandingOrder: serial(activities.lapseStandingOrder),
    queueNotice: serial(activities.queueNotice),
    resumeSubscription: serial(activities.resumeSubscription),
    endTrialWithoutPaymentMethod: serial(activities.endTrialWithoutPaymentMethod),
  };
}

export class SubscriptionRun {
  readonly period: BillingPeriod;
  readonly policy: CollectionPolicy;
  readonly state: SubscriptionState;
  /** The plan this run bills; plan changes move it. */
  currentPlanId: string;
  /**
   * Runs recorded before these rules replay without them: changes side by side, a payment-method change heard only
   * while waiting, a CANCELED status that a stale result could overwrite, reminders in any standing.
   */
  readonly serialized: boolean;
  /**
   * Runs started by this code (the `lean-renewal` marker) make fewer commands per renewal: one patch marker instead
   * of three (each marker costs a TemporalChangeVersion search-attribute upsert too), search attributes upserted only
   * when their value changes, the invoice issued and its first charge made by one activity, and the next period's
   * BillingNextAt set by continue-as-new. Older runs replay without any of it.
   */
  readonly lean: boolean;
  readonly exclusively: Exclusive;
  readonly act: ReturnType<typeof serialActivities>;
  /** Notices are newer than some recorded runs, which replay without them (set once the handlers are in place). */
  notices = false;

  // Signals only record what was asked; the main flow acts on that record wherever it is when it next looks, so a
  // signal that arrives while an activity runs is never missed.
  readonly notifiedPayments = new Set<string>();
  readonly payNowRequests: string[] = [];
  /** How many payment methods the customer has given, and how many of them the latest charge may have used. */
  methodChanges = 0;
  methodChangesCharged = 0;
  /** Payments a provider has not decided yet; a period may end before they are, and the next run asks again. */
  readonly unsettled: Set<string>;

  constructor(readonly input: SubscriptionWorkflowInput) {
    this.period = billingPeriod(new Date(input.billingAnchor), input.cadence, input.periodIndex);
    this.policy = { ...DEFAULT_COLLECTION_POLICY, ...input.collection };
    this.state = {
      subscriptionId: input.subscriptionId,
      status: input.status,
      periodIndex: input.periodIndex,
      nextBillingAt: this.period.start.toISOString(),
      lastInvoiceId: null,
      collection: null,
      cancelAtPeriodEnd: input.cancelAtPeriodEnd ?? false,
      resumesAtPeriod: input.resumesAtPeriod ?? null,
    };
    this.currentPlanId = input.planId;
    this.unsettled = new Set(input.unsettledPaymentIds ?? []);
    // First, before any other marker: a lean run implies the older patches (it was started by code that has them).
    this.lean = patched('lean-renewal');
    this.serialized = this.lean || patched('one-change-at-a-time');
    this.exclusively = oneAtATime(this.serialized);
    this.act = serialActivities(this.exclusively);
  }

  readonly ended = (): boolean => isEnded(this.state.status);

  /** The query and the signals: each signal only records what it asked for. */
  listen(): void {
    setHandler(subscriptionStateQuery, () => this.state);
    setHandler(paymentNotificationSignal, ({ paymentId }) => void this.notifiedPayments.add(paymentId));
    setHandler(paymentMethodChangedSignal, () => void this.methodChanges++);
    setHandler(payNowSignal, ({ invoiceId }) => {
      if (!this.payNowRequests.includes(invoiceId)) this.payNowRequests.push(invoiceId);
    });
  }

  publish(nextBillingAt: Date): void {
    this.state.nextBillingAt = nextBillingAt.toISOString();
    const status = { key: BillingStatus, value: this.state.status };
    const nextAt = { key: BillingNextAt, value: nextBillingAt };
    if (!this.lean) return upsertSearchAttributes([status, nextAt]);
    // What the server holds: the start's (or continue-as-new's) attributes and every upsert since, replayed alike.
    const held = workflowInfo().typedSearchAttributes;
    const changed = [
      ...(held.get(BillingStatus) === status.value ? [] : [status]),
      ...(held.get(BillingNextAt)?.getTime() === nextBillingAt.getTime() ? [] : [nextAt]),
    ];
    if (changed.length > 0) upsertSearchAttributes(changed);
  }

  becomes(status: SubscriptionState['status'] | null): void {
    if (status === null || this.state.status === status) return; // null: a one-off invoice's, never here
    if (this.serialized && this.ended()) return; // an ended subscription stays ended, whatever a late answer says
    this.state.status = status;
    this.publish(new Date(this.state.nextBillingAt ?? this.period.end));
  }

  notify(kind: NoticeKind, dedupeKey: string, payload: Record<string, unknown> = {}) {
    const { subscriptionId, customerId } = this.input;
    return this.act.queueNotice({ kind, dedupeKey, subscriptionId, customerId, payload });
  }

  /** What the query shows of the collection in progress, and the status the provider's answer left. */
  record(invoiceId: string, attempt: number, result: ChargeResult, nextAttemptAt: Date | null = null): void {
    if (result.paymentId) {
      if (result.status === 'PENDING') this.unsettled.add(result.paymentId);
      else this.unsettled.delete(result.paymentId);
    }
    this.state.collection = {
      invoiceId,
      attempt,
      paymentId: result.paymentId,
      outcome: result.status,
      awaiting: result.awaiting,
      failureCode: result.failureCode,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    };
    this.becomes(result.subscriptionStatus);
  }

  /** A charge may use any payment method given before it started; one given later is still to be tried. */
  charge(invoiceId: string, attempt: number): Promise<ChargeResult> {
    this.methodChangesCharged = this.methodChanges;
    return this.act.chargeInvoice({ invoiceId, attempt });
  }

  takePayNow(invoiceId: string): boolean {
    const index = this.payNowRequests.indexOf(invoiceId);
    if (index >= 0) this.payNowRequests.splice(index, 1);
    return index >= 0;
  }
}
