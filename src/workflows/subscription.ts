// One workflow per subscription, id `subscription-<id>`. It decides when billing happens; activities do it.
// Each run covers one billing period: issue the invoice, collect it (charge, wait for the provider, retry on a
// schedule, give up by configuration), answer pay-now requests until the period ends, then continue as new (or end,
// when cancelled), so history stays small however old the subscription gets. What the run knows is in run.ts, the
// collection loop in collection.ts, the lifecycle Updates in lifecycleUpdates.ts.
import { makeContinueAsNewFunc, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { billingPeriod } from '../domain/billingPeriod.js';
import { collectsOnIssue } from '../domain/subscriptionStatus.js';
import { DAY_MS, msUntil, nowIso } from './clock.js';
import { collect, settle, unpaidWithNewMethod } from './collection.js';
import { registerLifecycleUpdates } from './lifecycleUpdates.js';
import { SubscriptionRun } from './run.js';
import { BillingNextAt, BillingPlanId } from './searchAttributes.js';
import { subscriptionStateQuery } from './signals.js';
import type { SubscriptionWorkflowInput } from './types.js';
import { waitAtMost } from './waitAtMost.js';

export { subscriptionStateQuery };

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<void> {
  const run = new SubscriptionRun(input);
  run.listen();
  registerLifecycleUpdates(run);
  run.notices = run.lean || patched('lifecycle-notices');
  const { period, state } = run;

  if (input.periodIndex === 0 && input.trialEnd) {
    if (await trial(run, new Date(input.trialEnd))) return;
  }
  if (state.status === 'PAUSED') {
    if (await pausedPeriod(run)) return;
  }

  const issue = { subscriptionId: input.subscriptionId, periodIndex: input.periodIndex };
  // A lean run issues and makes the first charge in one activity, unless last period's payments are to be asked
  // about first (settle, below).
  const methodChanges = run.methodChanges;
  const invoice =
    run.lean && run.unsettled.size === 0
      ? await run.act.issueAndChargePeriodInvoice({ ...issue, awaitStandingOrder: true })
      : { ...(await run.act.issuePeriodInvoice(issue)), charge: null };
  if (invoice.charge) run.methodChangesCharged = methodChanges;
  state.lastInvoiceId = invoice.invoiceId;
  // One search-attribute update for both changes (recorded histories have exactly one here).
  state.status = invoice.subscriptionStatus;
  run.publish(period.end);
  // A change at the period end was applied by this invoice (older runs' results carry no planId).
  if (invoice.planId && invoice.planId !== run.currentPlanId) {
    run.currentPlanId = invoice.planId;
    upsertSearchAttributes([{ key: BillingPlanId, value: run.currentPlanId }]);
  }
  // The renewal reminder runs beside collection, which may wait on a customer for days.
  const reminder = remindBeforeRenewal(run);
  // Workflows that issued this period's invoice before collection existed replay without it.
  if (run.lean || patched('collect-invoices')) {
    for (const paymentId of [...run.unsettled]) await settle(run, paymentId);
    // A first payment has a day, not a period: after that the subscription expires (Stripe's incomplete_expired).
    const expiresAt =
      run.notices && state.status === 'INCOMPLETE'
        ? new Date(Date.now() + (run.policy.incompleteExpiryMs ?? DAY_MS))
        : null;
    const deadline = expiresAt && expiresAt < period.end ? expiresAt : period.end;
    if (collectsOnIssue(invoice.invoiceStatus, state.status)) {
      const outcome = await collect(run, invoice.invoiceId, 1, deadline, invoice.charge);
      if (outcome === 'unpaid' && expiresAt && state.status === 'INCOMPLETE') {
        const result = await run.act.endSubscription({
          subscriptionId: input.subscriptionId,
          reason: 'FIRST_PAYMENT_EXPIRED',
          endedAt: nowIso(),
        });
        run.becomes(result.status);
      }
    }
  }
  if (run.ended()) return;

  if (await serveUntilPeriodEnd(run)) return;
  await reminder;

  await waitAtMost(run.ended, msUntil(period.end));
  if (run.ended()) return;
  if (await endIfCancelling(run, period.end)) return;
  await nextPeriod(run);
}

/** Trial: nothing is billed until the first period starts at the trial end. True when the subscription ended. */
async function trial(run: SubscriptionRun, trialEnd: Date): Promise<boolean> {
  const { input, policy } = run;
  run.publish(trialEnd);
  if (run.notices && policy.trialEndingNoticeMs && msUntil(trialEnd.getTime() - policy.trialEndingNoticeMs) > 0) {
    await waitAtMost(run.ended, msUntil(trialEnd.getTime() - policy.trialEndingNoticeMs));
    if (!run.ended()) {
      await run.notify('trial_ending', `trial_ending:${input.subscriptionId}`, { trialEnd: input.trialEnd });
    }
  }
  await waitAtMost(run.ended, msUntil(trialEnd));
  if (run.ended()) return true;
  // Cancelled "at the period end" during the trial: the trial was that period.
  if (await endIfCancelling(run, trialEnd)) return true;
  const action = policy.trialEndWithoutPaymentMethod ?? 'INVOICE';
  if (action !== 'INVOICE') {
    const ended = await run.act.endTrialWithoutPaymentMethod({
      subscriptionId: input.subscriptionId,
      action,
      at: nowIso(),
    });
    run.becomes(ended.status);
    if (run.ended()) return true;
  }
  return false;
}

/**
 * Paused: this period is not billed, unless it is the one billing resumes at, or a resume comes during it (then it
 * is billed at once, in full). True when the run is over (ended, or continued as new still paused).
 */
async function pausedPeriod(run: SubscriptionRun): Promise<boolean> {
  const { input, state, period } = run;
  if (state.resumesAtPeriod !== null && input.periodIndex >= state.resumesAtPeriod) {
    run.becomes((await run.act.resumeSubscription({ subscriptionId: input.subscriptionId })).status);
    state.resumesAtPeriod = null;
    return false;
  }
  run.publish(period.end);
  await waitAtMost(() => state.status !== 'PAUSED', msUntil(period.end));
  if (run.ended()) return true;
  if (state.status === 'PAUSED') {
    if (await endIfCancelling(run, period.end)) return true;
    await nextPeriod(run);
  }
  return false;
}

/**
 * Until the period ends: pay-now requests for this or older invoices, late word from a provider about a payment no
 * collection is waiting for any more, and a new payment method for an invoice whose collection gave up on the old
 * one are served one at a time. True when the subscription ended meanwhile.
 */
async function serveUntilPeriodEnd(run: SubscriptionRun): Promise<boolean> {
  const lateWord = () => [...run.notifiedPayments].find((paymentId) => run.unsettled.has(paymentId));
  for (;;) {
    const woken = await waitAtMost(
      () =>
        run.payNowRequests.length > 0 || lateWord() !== undefined || unpaidWithNewMethod(run) !== null || run.ended(),
      msUntil(run.period.end),
    );
    if (run.ended()) return true;
    if (!woken) return false;
    const paymentId = lateWord();
    if (paymentId) {
      run.notifiedPayments.delete(paymentId);
      await settle(run, paymentId);
      continue;
    }
    const invoiceId = run.payNowRequests.shift() ?? unpaidWithNewMethod(run)!;
    await collect(run, invoiceId, await run.act.nextPaymentAttempt({ invoiceId }), run.period.end);
  }
}

async function remindBeforeRenewal(run: SubscriptionRun): Promise<void> {
  const { input, policy, period, state } = run;
  if (!run.notices || !policy.renewalReminderMs) return;
  const remindAt = period.end.getTime() - policy.renewalReminderMs;
  if (msUntil(remindAt) <= 0) return;
  await waitAtMost(run.ended, msUntil(remindAt));
  if (run.ended() || state.cancelAtPeriodEnd || state.status === 'PAUSED') return;
  // "Your subscription renews on …" is for customers in good standing, not for one whose last invoice is unpaid.
  if (run.serialized && state.status !== 'ACTIVE') return;
  await run.notify('renewal_reminder', `renewal_reminder:${input.subscriptionId}:${input.periodIndex + 1}`, {
    renewsAt: period.end.toISOString(),
  });
}

/** Ends the subscription at `at` when it was asked to end at the period end; true when it did. */
async function endIfCancelling(run: SubscriptionRun, at: Date): Promise<boolean> {
  if (!run.state.cancelAtPeriodEnd) return false;
  const result = await run.act.endSubscription({
    subscriptionId: run.input.subscriptionId,
    reason: 'CANCELED_AT_PERIOD_END',
    endedAt: at.toISOString(),
  });
  run.becomes(result.status);
  return true;
}

/** The next run bills the next period, carrying what this one learnt. */
function nextPeriod(run: SubscriptionRun): Promise<never> {
  const { input, state } = run;
  // A lean run hands the next one its BillingNextAt (the next period's end, which it would upsert at once); the
  // other attributes carry over as they are. Without typedSearchAttributes the server copies them all unchanged.
  const nextEnd = billingPeriod(new Date(input.billingAnchor), input.cadence, input.periodIndex + 1).end;
  const options = run.lean
    ? {
        typedSearchAttributes: workflowInfo().typedSearchAttributes.updateCopy([
          { key: BillingNextAt, value: nextEnd },
        ]),
      }
    : {};
  return makeContinueAsNewFunc<typeof subscriptionWorkflow>(options)({
    ...input,
    periodIndex: input.periodIndex + 1,
    status: state.status,
    planId: run.currentPlanId,
    cancelAtPeriodEnd: false,
    // Bounded: a payment still undecided after a few periods is for an operator (docs/operations.md).
    unsettledPaymentIds: [...run.unsettled].slice(-5),
    resumesAtPeriod: state.status === 'PAUSED' ? state.resumesAtPeriod : null,
  });
}
