// The lifecycle Updates (cancel, uncancel, pause, resume, change plan): each validator refuses what the status does
// not allow before anything is recorded, and each change takes its turn with the main flow's activities and is
// validated again when its turn comes.
import {
  ApplicationFailure,
  currentUpdateInfo,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { planChangeRefusal, subscriptionMachine } from '../domain/subscriptionStatus.js';
import { activities } from './activities.js';
import { nowIso } from './clock.js';
import type { SubscriptionRun } from './run.js';
import { BillingPlanId } from './searchAttributes.js';
import {
  cancelUpdate,
  changePlanUpdate,
  pauseUpdate,
  resumeUpdate,
  uncancelUpdate,
  type Audited,
  type PlanChangeRequest,
} from './signals.js';
import type { AuditRequest, LifecycleAudit } from './types.js';

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

/**
 * The audit for the Update being handled: who the API says asked, or the OPERATOR for one sent by hand (CLI, UI),
 * keyed by the Update's id so the activity records it once. Read before any await, while the Update is current.
 */
function auditOf(
  requested: AuditRequest | undefined,
  action: string,
  changes: Record<string, unknown>,
): LifecycleAudit {
  return {
    ...(requested ?? { actorType: 'OPERATOR', actorId: null, action, changes }),
    key: `update:${currentUpdateInfo()?.id ?? `${workflowInfo().runId}:${action}:${nowIso()}`}`,
  };
}

/**
 * An Update's change, once the main flow's activity in flight (if any) has finished. Validated again then: the main
 * flow may have ended or paused the subscription while the Update waited for its turn.
 */
function inTurn<T>(run: SubscriptionRun, stillValid: () => Refusal, change: () => Promise<T>): Promise<T> {
  return run.exclusively(async () => {
    if (run.serialized) refuseLate(stillValid());
    return change();
  });
}

/** The validators ask the state machine which requests the status allows (src/domain/subscriptionStatus.ts). */
function notEnded(run: SubscriptionRun): Refusal {
  return run.ended() ? `the subscription is already ${run.state.status}` : null;
}

export function registerLifecycleUpdates(run: SubscriptionRun): void {
  handleCancel(run);
  handleUncancel(run);
  handlePause(run);
  handleResume(run);
  handleChangePlan(run);
}

function handleCancel(run: SubscriptionRun): void {
  const cancellable = ({ atPeriodEnd }: { atPeriodEnd: boolean }): Refusal => {
    if (!subscriptionMachine.canRequest(run.state.status, 'CANCELED', 'cancel')) {
      return `the subscription is already ${run.state.status}`;
    }
    return atPeriodEnd && run.state.cancelAtPeriodEnd ? 'the subscription already ends at the period end' : null;
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
        run,
        () => cancellable(request),
        async () => {
          if (atPeriodEnd) {
            const at = nowIso();
            await activities.setCancelAtPeriodEnd({
              subscriptionId: run.input.subscriptionId,
              cancel: true,
              at,
              audit,
            });
            run.state.cancelAtPeriodEnd = true;
          } else {
            const result = await activities.endSubscription({
              subscriptionId: run.input.subscriptionId,
              reason: 'CANCELED_BY_REQUEST',
              endedAt: nowIso(),
              audit,
              creditUnusedTime: creditUnusedTime === true,
            });
            run.becomes(result.status);
          }
          return run.state;
        },
      );
    },
    { validator: (request) => refuseEarly(cancellable(request)) },
  );
}

function handleUncancel(run: SubscriptionRun): void {
  const uncancellable = (): Refusal =>
    notEnded(run) ?? (run.state.cancelAtPeriodEnd ? null : 'the subscription is not set to end at the period end');
  setHandler(
    uncancelUpdate,
    // An Update sent by hand may carry no argument at all.
    async (request?: Audited) => {
      const audit = auditOf(request?.audit, 'subscription.uncanceled', {});
      return inTurn(run, uncancellable, async () => {
        await activities.setCancelAtPeriodEnd({
          subscriptionId: run.input.subscriptionId,
          cancel: false,
          at: nowIso(),
          audit,
        });
        run.state.cancelAtPeriodEnd = false;
        return run.state;
      });
    },
    { validator: (_request?: Audited) => refuseEarly(uncancellable()) },
  );
}

function handlePause(run: SubscriptionRun): void {
  const pausable = ({ periods }: { periods: number | null }): Refusal => {
    if (run.ended()) return `the subscription is already ${run.state.status}`;
    if (run.state.status === 'PAUSED') return 'the subscription is already paused';
    if (run.state.status === 'TRIALING') return 'a trial cannot be paused: cancel it, or let it convert first';
    if (!subscriptionMachine.canRequest(run.state.status, 'PAUSED', 'pause')) {
      return `only an ACTIVE subscription can be paused (this one is ${run.state.status})`;
    }
    if (run.state.lastInvoiceId === null) return 'this period’s invoice is being issued: try again in a moment';
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
        run,
        () => pausable(request),
        async () => {
          // Whole periods after the current one go unbilled; the current one was billed already.
          const resumesAtPeriod = periods === null ? null : run.input.periodIndex + 1 + periods;
          await activities.pauseSubscription({
            subscriptionId: run.input.subscriptionId,
            resumesAtPeriod,
            at: nowIso(),
            audit,
          });
          run.state.resumesAtPeriod = resumesAtPeriod;
          run.becomes('PAUSED');
          return run.state;
        },
      );
    },
    { validator: (request) => refuseEarly(pausable(request)) },
  );
}

function handleResume(run: SubscriptionRun): void {
  const resumable = (): Refusal =>
    subscriptionMachine.canRequest(run.state.status, 'ACTIVE', 'resume')
      ? null
      : `only a PAUSED subscription can be resumed (this one is ${run.state.status})`;
  setHandler(
    resumeUpdate,
    // An Update sent by hand may carry no argument at all.
    async (request?: Audited) => {
      const audit = auditOf(request?.audit, 'subscription.resumed', {});
      return inTurn(run, resumable, async () => {
        run.becomes((await activities.resumeSubscription({ subscriptionId: run.input.subscriptionId, audit })).status);
        run.state.resumesAtPeriod = null;
        return run.state;
      });
    },
    { validator: (_request?: Audited) => refuseEarly(resumable()) },
  );
}

function handleChangePlan(run: SubscriptionRun): void {
  const plansChangeable = ({ planId, quantity, timing }: PlanChangeRequest): Refusal => {
    // The API checks the plan against the database; these guard Updates sent by hand (CLI, UI).
    if (typeof planId !== 'string' || planId.length === 0) return 'planId must be a plan id';
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) {
      return 'quantity must be a whole number from 1 to 100000';
    }
    if (timing !== 'NOW' && timing !== 'PERIOD_END') return 'timing must be NOW or PERIOD_END';
    if (run.ended()) return `the subscription is already ${run.state.status}`;
    return planChangeRefusal(run.state.status, timing, run.state.lastInvoiceId !== null);
  };
  setHandler(
    changePlanUpdate,
    async (request) => {
      const { planId, quantity, timing } = request;
      const audit = auditOf(request.audit, 'subscription.plan_changed', { to: { planId, quantity }, timing });
      const changeId = uuid4();
      return inTurn(
        run,
        () => plansChangeable(request),
        async () => {
          if (timing === 'PERIOD_END') {
            await activities.schedulePlanChange({
              subscriptionId: run.input.subscriptionId,
              planId,
              quantity,
              audit,
              // Before this period's invoice exists (a trial, or a period just begun), "the period end" is now.
              atPeriod: run.state.lastInvoiceId === null ? run.input.periodIndex : run.input.periodIndex + 1,
            });
            return run.state;
          }
          const applied = await activities.applyPlanChange({
            subscriptionId: run.input.subscriptionId,
            planId,
            quantity,
            periodIndex: run.input.periodIndex,
            changeAt: nowIso(),
            changeId,
            audit,
          });
          run.currentPlanId = planId;
          upsertSearchAttributes([{ key: BillingPlanId, value: planId }]);
          // The prorated rest of the period is charged at once, like a pay-now, by the main flow.
          if (applied.invoiceId && !run.payNowRequests.includes(applied.invoiceId))
            run.payNowRequests.push(applied.invoiceId);
          return run.state;
        },
      );
    },
    { validator: (request) => refuseEarly(plansChangeable(request)) },
  );
}
