// One workflow per subscription, id `subscription-<id>`. It decides when billing happens; activities do it.
// Each run covers one billing period: issue the invoice, collect it (charge, wait for the provider, retry on a
// schedule, give up by configuration), answer pay-now requests until the period ends, then continue as new (or end,
// when cancelled), so history stays small however old the subscription gets.
import {
  ApplicationFailure,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  uuid4,
} from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';
import { billingPeriod } from '../domain/billingPeriod.js';
import type { ChargeResult } from '../payments/chargeResult.js';
import { oneAtATime } from './oneAtATime.js';
import { BillingNextAt, BillingPlanId, BillingStatus } from './searchAttributes.js';
import {
  cancelUpdate,
  type Audited,
  changePlanUpdate,
  pauseUpdate,
  paymentMethodChangedSignal,
  type PlanChangeRequest,
  paymentNotificationSignal,
  payNowSignal,
  resumeUpdate,
  subscriptionStateQuery,
  uncancelUpdate,
} from './signals.js';
import {
  DEFAULT_COLLECTION_POLICY,
  type AuditRequest,
  type LifecycleAudit,
  type SubscriptionState,
  type SubscriptionWorkflowInput,
} from './types.js';
import { waitAtMost } from './waitAtMost.js';
import { isEnded, subscriptionMachine } from '../domain/subscriptionStatus.js';

export { subscriptionStateQuery };

const activities = proxyActivities<BillingActivities>({
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Inside a workflow `Date.now()` is Temporal's replay-safe clock, not the host's. */
function msUntil(instant: Date | number): number {
  return (typeof instant === 'number' ? instant : instant.getTime()) - Date.now();
}

/** A reason the request cannot be done now, or null. */
type Refusal = string | null;

/** Refuses in a validator (before the Update is accepted): nothing is recorded. */
function refuseEarly(reason: Refusal): void {
  if (reason) throw new Error(reason);
}

/** Refuses an accepted Update whose turn came after the main flow changed what it was validated against. */
function refuseLate(reason: Refusal): void {
  if (reason) throw ApplicationFailure.nonRetryable(reason, 'UpdateRefused');
}

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<void> {
  const period = billingPeriod(new Date(input.billingAnchor), input.cadence, input.periodIndex);
  const policy = { ...DEFAULT_COLLECTION_POLICY, ...input.collection };
  const trialEnd = input.trialEnd ? new Date(input.trialEnd) : null;
  const state: SubscriptionState = {
    subscriptionId: input.subscriptionId,
    status: input.status,
    periodIndex: input.periodIndex,
    nextBillingAt: period.start.toISOString(),
    lastInvoiceId: null,
    collection: null,
    cancelAtPeriodEnd: input.cancelAtPeriodEnd ?? false,
    resumesAtPeriod: input.resumesAtPeriod ?? null,
  };
  const ended = () => isEnded(state.status);
  let currentPlanId = input.planId;

  // Runs recorded before these rules replay without them: changes side by side, a payment-method change heard
  // only while waiting, a CANCELED status that a stale result could overwrite, reminders in any standing.
  const serialized = patched('one-change-at-a-time');
  const exclusively = oneAtATime(serialized);
  /** The main flow's activities, each taking its turn with the Update handlers'. */
  const serial =
    <A extends unknown[], R>(activity: (...args: A) => Promise<R>) =>
    (...args: A) =>
      exclusively(() => activity(...args));
  const issuePeriodInvoice = serial(activities.issuePeriodInvoice);
  const chargeInvoice = serial(activities.chargeInvoice);
  const confirmPayment = serial(activities.confirmPayment);
  const nextPaymentAttempt = serial(activities.nextPaymentAttempt);
  const endSubscription = serial(activities.endSubscription);
  const markUnpaid = serial(activities.markUnpaid);
  const queueNotice = serial(activities.queueNotice);
  const resumeSubscription = serial(activities.resumeSubscription);
  const endTrialWithoutPaymentMethod = serial(activities.endTrialWithoutPaymentMethod);

  // Signals only record what was asked; the main flow acts on that state wherever it is when it next looks, so a
  // signal that arrives while an activity runs is never missed.
  const notifiedPayments = new Set<string>();
  const payNowRequests: string[] = [];
  /** How many payment methods the customer has given, and how many of them the latest charge may have used. */
  let methodChanges = 0;
  let methodChangesCharged = 0;
  setHandler(subscriptionStateQuery, () => state);
  setHandler(paymentNotificationSignal, ({ paymentId }) => void notifiedPayments.add(paymentId));
  setHandler(paymentMethodChangedSignal, () => void methodChanges++);
  setHandler(payNowSignal, ({ invoiceId }) => {
    if (!payNowRequests.includes(invoiceId)) payNowRequests.push(invoiceId);
  });

  const publish = (nextBillingAt: Date) => {
    state.nextBillingAt = nextBillingAt.toISOString();
    upsertSearchAttributes([
      { key: BillingStatus, value: state.status },
      { key: BillingNextAt, value: nextBillingAt },
    ]);
  };
  const becomes = (status: SubscriptionState['status']) => {
    if (state.status === status) return;
    if (serialized && ended()) return; // an ended subscription stays ended, whatever a late answer says
    state.status = status;
    publish(new Date(state.nextBillingAt ?? period.end));
  };

  /**
   * The audit for the Update being handled: who the API says asked, or the OPERATOR for one sent by hand (CLI, UI),
   * keyed by the Update's id so the activity records it once. Read before any await, while the Update is current.
   */
  const auditOf = (
    requested: AuditRequest | undefined,
    action: string,
    changes: Record<string, unknown>,
  ): LifecycleAudit => ({
    ...(requested ?? { actorType: 'OPERATOR', actorId: null, action, changes }),
    key: `update:${currentUpdateInfo()?.id ?? `${workflowInfo().runId}:${action}:${nowIso()}`}`,
  });
  /**
   * An Update's change, once the main flow's activity in flight (if any) has finished. Validated again then: the
   * main flow may have ended or paused the subscription while the Update waited for its turn.
   */
  const inTurn = <T>(stillValid: () => Refusal, change: () => Promise<T>): Promise<T> =>
    exclusively(async () => {
      if (serialized) refuseLate(stillValid());
      return change();
    });

  // The validators ask the state machine which requests the status allows (src/domain/subscriptionStatus.ts).
  const notEnded = (): Refusal => (ended() ? `the subscription is already ${state.status}` : null);
  const cancellable = ({ atPeriodEnd }: { atPeriodEnd: boolean }): Refusal => {
    if (!subscriptionMachine.canRequest(state.status, 'CANCELED', 'cancel')) {
      return `the subscription is already ${state.status}`;
    }
    return atPeriodEnd && state.cancelAtPeriodEnd ? 'the subscription already ends at the period end' : null;
  };
  setHandler(
    cancelUpdate,
    async (request) => {
      const { atPeriodEnd, creditUnusedTime } = request;
      const audit = auditOf(
        request.audit,
        atPeriodEnd ? 'subscription.cancel_at_period_end' : 'subscription.canceled',
        { atPeriodEnd },
      );
      return inTurn(
        () => cancellable(request),
        async () => {
          if (atPeriodEnd) {
            const at = nowIso();
            await activities.setCancelAtPeriodEnd({ subscriptionId: input.subscriptionId, cancel: true, at, audit });
            state.cancelAtPeriodEnd = true;
          } else {
            const result = await activities.endSubscription({
              subscriptionId: input.subscriptionId,
              reason: 'CANCELED_BY_REQUEST',
              endedAt: nowIso(),
              audit,
              creditUnusedTime: creditUnusedTime === true,
            });
            becomes(result.status);
          }
          return state;
        },
      );
    },
    { validator: (request) => refuseEarly(cancellable(request)) },
  );

  const uncancellable = (): Refusal =>
    notEnded() ?? (state.cancelAtPeriodEnd ? null : 'the subscription is not set to end at the period end');
  setHandler(
    uncancelUpdate,
    // An Update sent by hand may carry no argument at all.
    async (request?: Audited) => {
      const audit = auditOf(request?.audit, 'subscription.uncanceled', {});
      return inTurn(uncancellable, async () => {
        await activities.setCancelAtPeriodEnd({
          subscriptionId: input.subscriptionId,
          cancel: false,
          at: nowIso(),
          audit,
        });
        state.cancelAtPeriodEnd = false;
        return state;
      });
    },
    { validator: (_request?: Audited) => refuseEarly(uncancellable()) },
  );

  const pausable = ({ periods }: { periods: number | null }): Refusal => {
    if (ended()) return `the subscription is already ${state.status}`;
    if (state.status === 'PAUSED') return 'the subscription is already paused';
    if (state.status === 'TRIALING') return 'a trial cannot be paused: cancel it, or let it convert first';
    if (!subscriptionMachine.canRequest(state.status, 'PAUSED', 'pause')) {
      return `only an ACTIVE subscription can be paused (this one is ${state.status})`;
    }
    if (state.lastInvoiceId === null) return 'this period’s invoice is being issued: try again in a moment';
    if (periods !== null && (!Number.isInteger(periods) || periods < 1 || periods > 12)) {
      return 'periods must be a whole number from 1 to 12, or null (until resumed)';
    }
    return null;
  };
  setHandler(
    pauseUpdate,
    async (request) => {
      const { periods } = request;
      const audit = auditOf(request.audit, 'subscription.paused', { periods });
      return inTurn(
        () => pausable(request),
        async () => {
          // Whole periods after the current one go unbilled; the current one was billed already.
          const resumesAtPeriod = periods === null ? null : input.periodIndex + 1 + periods;
          await activities.pauseSubscription({
            subscriptionId: input.subscriptionId,
            resumesAtPeriod,
            at: nowIso(),
            audit,
          });
          state.resumesAtPeriod = resumesAtPeriod;
          becomes('PAUSED');
          return state;
        },
      );
    },
    { validator: (request) => refuseEarly(pausable(request)) },
  );

  const resumable = (): Refusal =>
    subscriptionMachine.canRequest(state.status, 'ACTIVE', 'resume')
      ? null
      : `only a PAUSED subscription can be resumed (this one is ${state.status})`;
  setHandler(
    resumeUpdate,
    // An Update sent by hand may carry no argument at all.
    async (request?: Audited) => {
      const audit = auditOf(request?.audit, 'subscription.resumed', {});
      return inTurn(resumable, async () => {
        becomes((await activities.resumeSubscription({ subscriptionId: input.subscriptionId, audit })).status);
        state.resumesAtPeriod = null;
        return state;
      });
    },
    { validator: (_request?: Audited) => refuseEarly(resumable()) },
  );

  const plansChangeable = ({ planId, quantity, timing }: PlanChangeRequest): Refusal => {
    // The API checks the plan against the database; these guard Updates sent by hand (CLI, UI).
    if (typeof planId !== 'string' || planId.length === 0) return 'planId must be a plan id';
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) {
      return 'quantity must be a whole number from 1 to 100000';
    }
    if (timing !== 'NOW' && timing !== 'PERIOD_END') return 'timing must be NOW or PERIOD_END';
    if (ended()) return `the subscription is already ${state.status}`;
    if (state.status === 'PAUSED') return 'a paused subscription cannot change plan: resume it first';
    if (timing === 'NOW' && state.lastInvoiceId === null && state.status !== 'TRIALING') {
      return 'this period’s invoice is being issued: change at the period end, or try again in a moment';
    }
    return null;
  };
  setHandler(
    changePlanUpdate,
    async (request) => {
      const { planId, quantity, timing } = request;
      const audit = auditOf(request.audit, 'subscription.plan_changed', { to: { planId, quantity }, timing });
      const changeId = uuid4();
      return inTurn(
        () => plansChangeable(request),
        async () => {
          if (timing === 'PERIOD_END') {
            await activities.schedulePlanChange({
              subscriptionId: input.subscriptionId,
              planId,
              quantity,
              audit,
              // Before this period's invoice exists (a trial, or a period just begun), "the period end" is now.
              atPeriod: state.lastInvoiceId === null ? input.periodIndex : input.periodIndex + 1,
            });
            return state;
          }
          const applied = await activities.applyPlanChange({
            subscriptionId: input.subscriptionId,
            planId,
            quantity,
            periodIndex: input.periodIndex,
            changeAt: nowIso(),
            changeId,
            audit,
          });
          currentPlanId = planId;
          upsertSearchAttributes([{ key: BillingPlanId, value: planId }]);
          // The prorated rest of the period is charged at once, like a pay-now, by the main flow.
          if (applied.invoiceId && !payNowRequests.includes(applied.invoiceId)) payNowRequests.push(applied.invoiceId);
          return state;
        },
      );
    },
    { validator: (request) => refuseEarly(plansChangeable(request)) },
  );

  // Notices are new: runs recorded before them replay without these steps.
  const notices = patched('lifecycle-notices');
  const notify = (kind: Parameters<typeof queueNotice>[0]['kind'], dedupeKey: string, payload = {}) =>
    queueNotice({ kind, dedupeKey, subscriptionId: input.subscriptionId, customerId: input.customerId, payload });

  // Payments a provider has not decided yet; a period may end before they are, and the next run asks again.
  const unsettled = new Set<string>(input.unsettledPaymentIds ?? []);
  const record = (invoiceId: string, attempt: number, result: ChargeResult, nextAttemptAt: Date | null = null) => {
    if (result.paymentId) {
      if (result.status === 'PENDING') unsettled.add(result.paymentId);
      else unsettled.delete(result.paymentId);
    }
    state.collection = {
      invoiceId,
      attempt,
      paymentId: result.paymentId,
      outcome: result.status,
      awaiting: result.awaiting,
      failureCode: result.failureCode,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    };
    becomes(result.subscriptionStatus);
  };
  /** A charge may use any payment method given before it started; one given later is still to be tried. */
  const charge = (invoiceId: string, attempt: number) => {
    methodChangesCharged = methodChanges;
    return chargeInvoice({ invoiceId, attempt });
  };
  const takePayNow = (invoiceId: string): boolean => {
    const index = payNowRequests.indexOf(invoiceId);
    if (index >= 0) payNowRequests.splice(index, 1);
    return index >= 0;
  };

  /**
   * Collects one invoice until it is paid, `deadline` passes, or the subscription ends: charge; while pending,
   * wait for the provider's word (or a timeout) and ask it; after a soft decline, retry on the schedule; after a
   * hard decline or without a payment method, wait for the customer (a new payment method, or pay now). When the
   * schedule is over and the invoice is still unpaid, the subscription becomes CANCELED or UNPAID by configuration.
   */
  async function collect(invoiceId: string, firstAttempt: number, deadline: Date): Promise<'paid' | 'unpaid'> {
    let attempt = firstAttempt;
    let result = await charge(invoiceId, attempt);
    let confirmWaitMs = policy.confirmAfterMs;
    let dunningEndsAt: number | null = null;
    for (;;) {
      record(invoiceId, attempt, result);
      if (result.status === 'SUCCEEDED' || result.status === 'NOTHING_DUE') return 'paid';
      if (ended()) return 'unpaid';
      const remaining = msUntil(deadline);

      if (result.status === 'PENDING') {
        const paymentId = result.paymentId!;
        const patience =
          result.awaiting === 'callback'
            ? confirmWaitMs
            : result.awaiting === 'webhook'
              ? policy.webhookWaitMs
              : remaining; // a buyer's approval: until the deadline
        if (result.awaiting === 'callback') confirmWaitMs = Math.min(confirmWaitMs * 2, DAY_MS);
        const notified = await waitAtMost(
          () => notifiedPayments.has(paymentId) || ended(),
          Math.min(patience, remaining),
        );
        notifiedPayments.delete(paymentId);
        if (ended()) return 'unpaid';
        if (!notified && remaining <= patience && result.awaiting === 'buyerApproval') return 'unpaid';
        if (!notified && remaining <= 0) return 'unpaid';
        result = await confirmPayment({ paymentId });
        continue;
      }

      // FAILED or NO_PAYMENT_METHOD: wait for the schedule, a new payment method, or a pay-now request.
      const failed = result.status === 'FAILED';
      if (failed && dunningEndsAt === null) {
        dunningEndsAt = Date.now() + policy.retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
      }
      const retryIn = failed && !result.hardDecline ? policy.retryDelaysMs[attempt - firstAttempt] : undefined;
      // Dunning ends a running subscription's collection; a first payment instead has until its deadline.
      const dunning = failed && notices && state.status === 'PAST_DUE';
      const giveUpIn = dunning ? msUntil(dunningEndsAt!) : remaining;
      const waitMs = Math.min(retryIn ?? giveUpIn, remaining);
      const retryAt = retryIn !== undefined && retryIn <= remaining ? new Date(Date.now() + retryIn) : null;
      record(invoiceId, attempt, result, retryAt);
      if (failed && notices) {
        await notify(result.hardDecline ? 'action_required' : 'payment_failed', `payment_failed:${result.paymentId}`, {
          invoiceId,
          paymentId: result.paymentId,
          failureCode: result.failureCode,
          nextAttemptAt: retryAt?.toISOString() ?? null,
        });
      }
      // Counted from the charge, not from here: a method given while the notice was being queued counts too.
      const changesBefore = serialized ? methodChangesCharged : methodChanges;
      const woken = await waitAtMost(
        () => methodChanges !== changesBefore || payNowRequests.includes(invoiceId) || ended(),
        waitMs,
      );
      takePayNow(invoiceId);
      if (ended()) return 'unpaid';
      if (!woken && retryIn === undefined) {
        // The schedule is over (or it was a hard decline) and the customer did nothing in time.
        if (dunning && msUntil(dunningEndsAt!) <= 0 && state.status === 'PAST_DUE') {
          if (policy.afterLastRetry === 'UNPAID')
            becomes((await markUnpaid({ subscriptionId: input.subscriptionId, invoiceId })).status);
          else
            becomes(
              (
                await endSubscription({
                  subscriptionId: input.subscriptionId,
                  reason: 'PAYMENT_FAILED',
                  endedAt: nowIso(),
                })
              ).status,
            );
        }
        return 'unpaid';
      }
      if (!woken && retryIn! > remaining) return 'unpaid'; // the deadline comes first
      attempt += 1;
      confirmWaitMs = policy.confirmAfterMs;
      result = await charge(invoiceId, attempt);
    }
  }

  /** The invoice whose last collection failed (or found no method) before the customer gave a new payment method. */
  function unpaidWithNewMethod(): string | null {
    const last = state.collection;
    if (!serialized || !last || methodChanges === methodChangesCharged) return null;
    if (last.outcome !== 'FAILED' && last.outcome !== 'NO_PAYMENT_METHOD') return null;
    return state.status === 'UNPAID' ? null : last.invoiceId; // an UNPAID subscription is charged only when asked
  }

  /** Asks the provider about one payment outside a collection (late word, or left over from the last period). */
  async function settle(paymentId: string): Promise<void> {
    const result = await confirmPayment({ paymentId });
    if (result.status !== 'PENDING') unsettled.delete(paymentId);
    becomes(result.subscriptionStatus);
  }

  async function remindBeforeRenewal(): Promise<void> {
    if (!notices || !policy.renewalReminderMs) return;
    const remindAt = period.end.getTime() - policy.renewalReminderMs;
    if (msUntil(remindAt) <= 0) return;
    await waitAtMost(ended, msUntil(remindAt));
    if (ended() || state.cancelAtPeriodEnd || state.status === 'PAUSED') return;
    // "Your subscription renews on …" is for customers in good standing, not for one whose last invoice is unpaid.
    if (serialized && state.status !== 'ACTIVE') return;
    await notify('renewal_reminder', `renewal_reminder:${input.subscriptionId}:${input.periodIndex + 1}`, {
      renewsAt: period.end.toISOString(),
    });
  }

  /** Ends the subscription at `at` when it was asked to end at the period end; true when it did. */
  async function endIfCancelling(at: Date): Promise<boolean> {
    if (!state.cancelAtPeriodEnd) return false;
    const result = await endSubscription({
      subscriptionId: input.subscriptionId,
      reason: 'CANCELED_AT_PERIOD_END',
      endedAt: at.toISOString(),
    });
    becomes(result.status);
    return true;
  }

  /** The next run bills the next period, carrying what this one learnt. */
  function nextPeriod(): Promise<never> {
    return continueAsNew<typeof subscriptionWorkflow>({
      ...input,
      periodIndex: input.periodIndex + 1,
      status: state.status,
      planId: currentPlanId,
      cancelAtPeriodEnd: false,
      // Bounded: a payment still undecided after a few periods is for an operator (docs/operations.md).
      unsettledPaymentIds: [...unsettled].slice(-5),
      resumesAtPeriod: state.status === 'PAUSED' ? state.resumesAtPeriod : null,
    });
  }

  // Trial: nothing is billed until the first period starts at the trial end.
  if (input.periodIndex === 0 && trialEnd) {
    publish(trialEnd);
    if (notices && policy.trialEndingNoticeMs && msUntil(trialEnd.getTime() - policy.trialEndingNoticeMs) > 0) {
      await waitAtMost(ended, msUntil(trialEnd.getTime() - policy.trialEndingNoticeMs));
      if (!ended()) await notify('trial_ending', `trial_ending:${input.subscriptionId}`, { trialEnd: input.trialEnd });
    }
    await waitAtMost(ended, msUntil(trialEnd));
    if (ended()) return;
    // Cancelled "at the period end" during the trial: the trial was that period.
    if (await endIfCancelling(trialEnd)) return;
    const action = policy.trialEndWithoutPaymentMethod ?? 'INVOICE';
    if (action !== 'INVOICE') {
      becomes(
        (await endTrialWithoutPaymentMethod({ subscriptionId: input.subscriptionId, action, at: nowIso() })).status,
      );
      if (ended()) return;
    }
  }

  // Paused: this period is not billed, unless it is the one billing resumes at, or a resume comes during it (then
  // it is billed at once, in full).
  if (state.status === 'PAUSED') {
    if (state.resumesAtPeriod !== null && input.periodIndex >= state.resumesAtPeriod) {
      becomes((await resumeSubscription({ subscriptionId: input.subscriptionId })).status);
      state.resumesAtPeriod = null;
    } else {
      publish(period.end);
      await waitAtMost(() => state.status !== 'PAUSED', msUntil(period.end));
      if (ended()) return;
      if (state.status === 'PAUSED') {
        if (await endIfCancelling(period.end)) return;
        await nextPeriod();
      }
    }
  }

  const invoice = await issuePeriodInvoice({ subscriptionId: input.subscriptionId, periodIndex: input.periodIndex });
  state.lastInvoiceId = invoice.invoiceId;
  // One search-attribute update for both changes (recorded histories have exactly one here).
  state.status = invoice.subscriptionStatus;
  publish(period.end);
  // A change at the period end was applied by this invoice (older runs' results carry no planId).
  if (invoice.planId && invoice.planId !== currentPlanId) {
    currentPlanId = invoice.planId;
    upsertSearchAttributes([{ key: BillingPlanId, value: currentPlanId }]);
  }
  // The renewal reminder runs beside collection, which may wait on a customer for days.
  const reminder = remindBeforeRenewal();
  // Workflows that issued this period's invoice before collection existed replay without it.
  const collects = patched('collect-invoices');
  if (collects) {
    for (const paymentId of [...unsettled]) await settle(paymentId);
    // A first payment has a day, not a period: after that the subscription expires (Stripe's incomplete_expired).
    const expiresAt =
      notices && state.status === 'INCOMPLETE' ? new Date(Date.now() + (policy.incompleteExpiryMs ?? DAY_MS)) : null;
    const deadline = expiresAt && expiresAt < period.end ? expiresAt : period.end;
    if (invoice.invoiceStatus === 'OPEN' && state.status !== 'UNPAID' && !ended()) {
      const outcome = await collect(invoice.invoiceId, 1, deadline);
      if (outcome === 'unpaid' && expiresAt && state.status === 'INCOMPLETE') {
        const result = await endSubscription({
          subscriptionId: input.subscriptionId,
          reason: 'FIRST_PAYMENT_EXPIRED',
          endedAt: nowIso(),
        });
        becomes(result.status);
      }
    }
  }
  if (ended()) return;

  // Until the period ends: pay-now requests for this or older invoices, late word from a provider about a payment
  // no collection is waiting for any more, and a new payment method for an invoice whose collection gave up on the
  // old one are served one at a time.
  for (;;) {
    const lateWord = () => [...notifiedPayments].find((paymentId) => unsettled.has(paymentId));
    const woken = await waitAtMost(
      () => payNowRequests.length > 0 || lateWord() !== undefined || unpaidWithNewMethod() !== null || ended(),
      msUntil(period.end),
    );
    if (ended()) return;
    if (!woken) break;
    const paymentId = lateWord();
    if (paymentId) {
      notifiedPayments.delete(paymentId);
      await settle(paymentId);
      continue;
    }
    const invoiceId = payNowRequests.shift() ?? unpaidWithNewMethod()!;
    await collect(invoiceId, await nextPaymentAttempt({ invoiceId }), period.end);
  }
  await reminder;

  await waitAtMost(ended, msUntil(period.end));
  if (ended()) return;
  if (await endIfCancelling(period.end)) return;
  await nextPeriod();
}

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}
