// Collecting an invoice inside a run: charge, wait for the provider's word and ask it, retry on the schedule after a
// soft decline, wait for the customer after a hard one, and give up by configuration when dunning is over.
import type { ChargeResult } from '../payments/chargeResult.js';
import { DAY_MS, msUntil, nowIso } from './clock.js';
import type { SubscriptionRun } from './run.js';
import { waitAtMost } from './waitAtMost.js';

/** Runs started before the policy had the setting wait this long for a standing order's collection. */
const STANDING_ORDER_WAIT_MS = 12 * 60 * 60 * 1000;

/**
 * Collects one invoice until it is paid, `deadline` passes, or the subscription ends: charge; while pending,
 * wait for the provider's word (or a timeout) and ask it; after a soft decline, retry on the schedule; after a
 * hard decline or without a payment method, wait for the customer (a new payment method, or pay now). When the
 * schedule is over and the invoice is still unpaid, the subscription becomes CANCELED or UNPAID by configuration.
 * `charged`: the first attempt's result when the activity that issued the invoice made it already.
 */
export async function collect(
  run: SubscriptionRun,
  invoiceId: string,
  firstAttempt: number,
  deadline: Date,
  charged: ChargeResult | null = null,
): Promise<'paid' | 'unpaid'> {
  const { policy, state, act } = run;
  let attempt = firstAttempt;
  let result = charged ?? (await run.charge(invoiceId, attempt));
  let confirmWaitMs = policy.confirmAfterMs;
  let dunningEndsAt: number | null = null;
  for (;;) {
    run.record(invoiceId, attempt, result);
    if (result.status === 'SUCCEEDED' || result.status === 'NOTHING_DUE') return 'paid';
    if (run.ended()) return 'unpaid';
    const remaining = msUntil(deadline);

    if (result.status === 'STANDING_ORDER') {
      // No prompt: the customer's Ratiba order collects this invoice, and the paybill payment it makes wakes this
      // collection (pay-now). Without it in time the order lapses and the invoice is charged like any other. Only
      // activities of this code answer STANDING_ORDER, so recorded histories never take this branch: they replay.
      const collected = await waitAtMost(
        () => run.payNowRequests.includes(invoiceId) || run.ended(),
        Math.min(policy.standingOrderWaitMs ?? STANDING_ORDER_WAIT_MS, remaining),
      );
      run.takePayNow(invoiceId);
      if (run.ended()) return 'unpaid';
      if (!collected) await act.lapseStandingOrder({ subscriptionId: run.input.subscriptionId, invoiceId });
      result = await run.charge(invoiceId, attempt);
      continue;
    }

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
        () => run.notifiedPayments.has(paymentId) || run.ended(),
        Math.min(patience, remaining),
      );
      run.notifiedPayments.delete(paymentId);
      if (run.ended()) return 'unpaid';
      if (!notified && remaining <= patience && result.awaiting === 'buyerApproval') return 'unpaid';
      if (!notified && remaining <= 0) return 'unpaid';
      result = await act.confirmPayment({ paymentId });
      continue;
    }

    // FAILED or NO_PAYMENT_METHOD: wait for the schedule, a new payment method, or a pay-now request.
    const failed = result.status === 'FAILED';
    if (failed && dunningEndsAt === null) {
      dunningEndsAt = Date.now() + policy.retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    }
    const retryIn = failed && !result.hardDecline ? policy.retryDelaysMs[attempt - firstAttempt] : undefined;
    // Dunning ends a running subscription's collection; a first payment instead has until its deadline.
    const dunning = failed && run.notices && state.status === 'PAST_DUE';
    const giveUpIn = dunning ? msUntil(dunningEndsAt!) : remaining;
    const waitMs = Math.min(retryIn ?? giveUpIn, remaining);
    const retryAt = retryIn !== undefined && retryIn <= remaining ? new Date(Date.now() + retryIn) : null;
    run.record(invoiceId, attempt, result, retryAt);
    if (failed && run.notices) {
      await run.notify(
        result.hardDecline ? 'action_required' : 'payment_failed',
        `payment_failed:${result.paymentId}`,
        {
          invoiceId,
          paymentId: result.paymentId,
          failureCode: result.failureCode,
          nextAttemptAt: retryAt?.toISOString() ?? null,
        },
      );
    }
    // Counted from the charge, not from here: a method given while the notice was being queued counts too.
    const changesBefore = run.serialized ? run.methodChangesCharged : run.methodChanges;
    const woken = await waitAtMost(
      () => run.methodChanges !== changesBefore || run.payNowRequests.includes(invoiceId) || run.ended(),
      waitMs,
    );
    run.takePayNow(invoiceId);
    if (run.ended()) return 'unpaid';
    if (!woken && retryIn === undefined) {
      // The schedule is over (or it was a hard decline) and the customer did nothing in time.
      if (dunning && msUntil(dunningEndsAt!) <= 0 && state.status === 'PAST_DUE') await giveUp(run, invoiceId);
      return 'unpaid';
    }
    if (!woken && retryIn! > remaining) return 'unpaid'; // the deadline comes first
    attempt += 1;
    confirmWaitMs = policy.confirmAfterMs;
    result = await run.charge(invoiceId, attempt);
  }
}

/** Dunning is over: UNPAID or CANCELED, by configuration. */
async function giveUp(run: SubscriptionRun, invoiceId: string): Promise<void> {
  const { subscriptionId } = run.input;
  if (run.policy.afterLastRetry === 'UNPAID') {
    run.becomes((await run.act.markUnpaid({ subscriptionId, invoiceId })).status);
  } else {
    const ended = await run.act.endSubscription({ subscriptionId, reason: 'PAYMENT_FAILED', endedAt: nowIso() });
    run.becomes(ended.status);
  }
}

/** The invoice whose last collection failed (or found no method) before the customer gave a new payment method. */
export function unpaidWithNewMethod(run: SubscriptionRun): string | null {
  const last = run.state.collection;
  if (!run.serialized || !last || run.methodChanges === run.methodChangesCharged) return null;
  if (last.outcome !== 'FAILED' && last.outcome !== 'NO_PAYMENT_METHOD') return null;
  return run.state.status === 'UNPAID' ? null : last.invoiceId; // an UNPAID subscription is charged only when asked
}

/** Asks the provider about one payment outside a collection (late word, or left over from the last period). */
export async function settle(run: SubscriptionRun, paymentId: string): Promise<void> {
  const result = await run.act.confirmPayment({ paymentId });
  if (result.status !== 'PENDING') run.unsettled.delete(paymentId);
  run.becomes(result.subscriptionStatus);
}
