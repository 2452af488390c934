// One workflow per subscription, id `subscription-<id>`. It decides when billing happens; activities do it.
// Each run covers one billing period: issue the invoice, collect it (charge, wait for the provider, retry on a
// schedule), answer pay-now requests until the period ends, then continue as new, so history stays small however
// old the subscription gets.
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';
import { billingPeriod } from '../domain/billingPeriod.js';
import type { ChargeResult } from '../payments/chargeResult.js';
import { BillingNextAt, BillingStatus } from './searchAttributes.js';
import {
  paymentMethodChangedSignal,
  paymentNotificationSignal,
  payNowSignal,
  subscriptionStateQuery,
} from './signals.js';
import { DEFAULT_COLLECTION_POLICY, type SubscriptionState, type SubscriptionWorkflowInput } from './types.js';

export { subscriptionStateQuery };

const { issuePeriodInvoice, chargeInvoice, confirmPayment, nextPaymentAttempt } = proxyActivities<BillingActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Inside a workflow `Date.now()` is Temporal's replay-safe clock, not the host's. */
function msUntil(instant: Date): number {
  return instant.getTime() - Date.now();
}

async function sleepUntil(instant: Date): Promise<void> {
  const remaining = msUntil(instant);
  if (remaining > 0) await sleep(remaining);
}

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<void> {
  const period = billingPeriod(new Date(input.billingAnchor), input.cadence, input.periodIndex);
  const policy = input.collection ?? DEFAULT_COLLECTION_POLICY;
  const trialEnd = input.trialEnd ? new Date(input.trialEnd) : null;
  const state: SubscriptionState = {
    subscriptionId: input.subscriptionId,
    status: input.status,
    periodIndex: input.periodIndex,
    nextBillingAt: period.start.toISOString(),
    lastInvoiceId: null,
    collection: null,
  };

  const notifiedPayments = new Set<string>();
  const payNowRequests: string[] = [];
  let methodChanges = 0;
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
    if (state.status !== result.subscriptionStatus) {
      state.status = result.subscriptionStatus;
      publish(new Date(state.nextBillingAt ?? period.end));
    }
  };
  const takePayNow = (invoiceId: string): boolean => {
    const index = payNowRequests.indexOf(invoiceId);
    if (index >= 0) payNowRequests.splice(index, 1);
    return index >= 0;
  };

  /**
   * Collects one invoice until it is paid or the period ends: charge; while pending, wait for the provider's word
   * (or a timeout) and ask it; after a soft decline, retry on the schedule; after a hard decline or without a
   * payment method, wait for the customer (a new payment method, or pay now).
   */
  async function collect(invoiceId: string, firstAttempt: number): Promise<void> {
    let attempt = firstAttempt;
    let result = await chargeInvoice({ invoiceId, attempt });
    let confirmWaitMs = policy.confirmAfterMs;
    for (;;) {
      record(invoiceId, attempt, result);
      if (result.status === 'SUCCEEDED' || result.status === 'NOTHING_DUE') return;
      const remaining = msUntil(period.end);

      if (result.status === 'PENDING') {
        const paymentId = result.paymentId!;
        const patience =
          result.awaiting === 'callback'
            ? confirmWaitMs
            : result.awaiting === 'webhook'
              ? policy.webhookWaitMs
              : remaining; // a buyer's approval: until the period ends
        if (result.awaiting === 'callback') confirmWaitMs = Math.min(confirmWaitMs * 2, DAY_MS);
        const notified = await waitAtMost(() => notifiedPayments.has(paymentId), Math.min(patience, remaining));
        notifiedPayments.delete(paymentId);
        if (!notified && remaining <= patience && result.awaiting === 'buyerApproval') return;
        if (!notified && remaining <= 0) return;
        result = await confirmPayment({ paymentId });
        continue;
      }

      // FAILED or NO_PAYMENT_METHOD: wait for the schedule, a new payment method, or a pay-now request.
      const scheduled = result.status === 'FAILED' && !result.hardDecline;
      const retryIn = scheduled ? policy.retryDelaysMs[attempt - firstAttempt] : undefined;
      const waitMs = Math.min(retryIn ?? remaining, remaining);
      const retryBeforePeriodEnd = retryIn !== undefined && retryIn <= remaining;
      record(invoiceId, attempt, result, retryBeforePeriodEnd ? new Date(Date.now() + retryIn) : null);
      const changesBefore = methodChanges;
      const woken = await waitAtMost(
        () => methodChanges !== changesBefore || payNowRequests.includes(invoiceId),
        waitMs,
      );
      takePayNow(invoiceId);
      if (!woken && (retryIn === undefined || retryIn > remaining)) return; // the period is over
      attempt += 1;
      confirmWaitMs = policy.confirmAfterMs;
      result = await chargeInvoice({ invoiceId, attempt });
    }
  }

  /** Asks the provider about one payment outside a collection (late word, or left over from the last period). */
  async function settle(paymentId: string): Promise<void> {
    const result = await confirmPayment({ paymentId });
    if (result.status !== 'PENDING') unsettled.delete(paymentId);
    if (state.status !== result.subscriptionStatus) {
      state.status = result.subscriptionStatus;
      publish(new Date(state.nextBillingAt ?? period.end));
    }
  }

  // Trial: nothing is billed until the first period starts at the trial end.
  if (input.periodIndex === 0 && trialEnd) {
    publish(trialEnd);
    await sleepUntil(trialEnd);
  }

  const invoice = await issuePeriodInvoice({ subscriptionId: input.subscriptionId, periodIndex: input.periodIndex });
  state.lastInvoiceId = invoice.invoiceId;
  state.status = invoice.subscriptionStatus;
  publish(period.end);
  // Workflows that issued this period's invoice before collection existed replay without it.
  const collects = patched('collect-invoices');
  if (collects) {
    for (const paymentId of [...unsettled]) await settle(paymentId);
    if (invoice.invoiceStatus === 'OPEN') await collect(invoice.invoiceId, 1);
  }

  // Until the period ends: pay-now requests for this or older invoices, and late word from a provider about a
  // payment no collection is waiting for any more, are served one at a time.
  for (;;) {
    const lateWord = () => [...notifiedPayments].find((paymentId) => unsettled.has(paymentId));
    const woken = await waitAtMost(() => payNowRequests.length > 0 || lateWord() !== undefined, msUntil(period.end));
    if (!woken) break;
    const paymentId = lateWord();
    if (paymentId) {
      notifiedPayments.delete(paymentId);
      await settle(paymentId);
      continue;
    }
    const invoiceId = payNowRequests.shift()!;
    await collect(invoiceId, await nextPaymentAttempt({ invoiceId }));
  }

  await sleepUntil(period.end);
  await continueAsNew<typeof subscriptionWorkflow>({
    ...input,
    periodIndex: input.periodIndex + 1,
    status: state.status,
    // Bounded: a payment still undecided after a few periods is for an operator (docs/operations.md).
    ...(collects ? { unsettledPaymentIds: [...unsettled].slice(-5) } : {}),
  });
}

/** Waits until `done()` or `ms` passes; true when done. A non-positive wait only checks. */
async function waitAtMost(done: () => boolean, ms: number): Promise<boolean> {
  if (done()) return true;
  if (ms <= 0) return false;
  return condition(done, ms);
}
