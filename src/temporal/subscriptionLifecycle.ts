// The one gateway from the API side to the subscription workflows: start, the lifecycle Updates, the signals and the
// state query, each typed by the workflow's own definitions. Use cases name a subscription, never a workflow id, a
// workflow type or a Temporal error; refusals come back as the use cases' own errors.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ConflictError } from '../kernel/errors.js';
import { subscriptionWorkflowId, type Subscription } from '../entities/Subscription.js';
import { BillingCustomerId, BillingNextAt, BillingPlanId, BillingStatus } from '../workflows/searchAttributes.js';
import {
  cancelUpdate,
  changePlanUpdate,
  pauseUpdate,
  paymentMethodChangedSignal,
  paymentNotificationSignal,
  payNowSignal,
  resumeUpdate,
  subscriptionStateQuery,
  uncancelUpdate,
  type CancelRequest,
  type PlanChangeRequest,
} from '../workflows/signals.js';
import { subscriptionWorkflow } from '../workflows/subscription.js';
import { oneOffInvoiceWorkflow } from '../workflows/oneOffInvoice.js';
import { DEFAULT_COLLECTION_POLICY } from '../workflows/types.js';
import type {
  AuditRequest,
  CollectionPolicy,
  SubscriptionState,
  SubscriptionWorkflowInput,
} from '../workflows/types.js';

/**
 * A workflow task taken by a worker that then dies is given to another after this long (Temporal's default is 10 s;
 * continue-as-new keeps it). Our workflow tasks run no local activities: they take milliseconds, a second or so when
 * the worker is saturated, so 4 s only shortens what a SIGKILLed worker's renewals wait (docs/architecture.md).
 */
export const WORKFLOW_TASK_TIMEOUT = '4 seconds';

export class SubscriptionLifecycle {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    /** How new workflows collect (retry schedule, waits); from configuration. */
    readonly collection?: CollectionPolicy,
  ) {}

  /** Starts the subscription's workflow unless it is already running (idempotent). */
  async start(subscription: Subscription): Promise<void> {
    await this.client.workflow.start(subscriptionWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: subscriptionWorkflowId(subscription.id),
      args: [workflowInputFor(subscription, this.collection)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      typedSearchAttributes: [
        { key: BillingCustomerId, value: subscription.customer.id },
        { key: BillingPlanId, value: subscription.plan.id },
        { key: BillingStatus, value: subscription.status },
        { key: BillingNextAt, value: subscription.trialEnd ?? subscription.billingAnchor },
      ],
    });
  }

  /**
   * Starts the workflow of a subscription that never had one (subscribe committed while Temporal was unreachable);
   * a running one is left as it is. One that ran and closed is refused: it needs a reset (docs/operations.md), not a
   * new run from the first period.
   */
  async startMissing(subscription: Subscription): Promise<void> {
    try {
      await this.start(subscription);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictError(
          `the subscription’s workflow ran and is closed: reset it (temporal workflow reset --workflow-id ${subscriptionWorkflowId(subscription.id)} --type FirstWorkflowTask), see docs/operations.md`,
        );
      }
      throw error;
    }
  }

  /** Which of these subscriptions have a running workflow: one visibility query, whatever their number. */
  async runningAmong(subscriptionIds: readonly string[]): Promise<Set<string>> {
    if (subscriptionIds.length === 0) return new Set();
    const ids = subscriptionIds.map((id) => `'${subscriptionWorkflowId(id).replace(/'/g, '')}'`).join(', ');
    const running = new Set<string>();
    for await (const workflow of this.client.workflow.list({
      query: `WorkflowId IN (${ids}) AND ExecutionStatus = 'Running'`,
    })) {
      running.add(workflow.workflowId.replace(/^subscription-/, ''));
    }
    return running;
  }

  /** How the subscription's last workflow ended (COMPLETED, FAILED, TERMINATED...), or null when it never ran. */
  async lastRunStatus(subscriptionId: string): Promise<string | null> {
    try {
      return (await this.handle(subscriptionId).describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  cancel(subscriptionId: string, request: CancelRequest): Promise<SubscriptionState> {
    return this.update(subscriptionId, cancelUpdate, request);
  }

  uncancel(subscriptionId: string, audit: AuditRequest): Promise<SubscriptionState> {
    return this.update(subscriptionId, uncancelUpdate, { audit });
  }

  pause(subscriptionId: string, request: { periods: number | null; audit: AuditRequest }): Promise<SubscriptionState> {
    return this.update(subscriptionId, pauseUpdate, request);
  }

  resume(subscriptionId: string, audit: AuditRequest): Promise<SubscriptionState> {
    return this.update(subscriptionId, resumeUpdate, { audit });
  }

  changePlan(subscriptionId: string, request: PlanChangeRequest): Promise<SubscriptionState> {
    return this.update(subscriptionId, changePlanUpdate, request);
  }

  /** Asks the workflow to charge an invoice now; refused when the subscription's lifecycle has ended. */
  async payNow(subscriptionId: string, invoiceId: string): Promise<void> {
    try {
      await this.handle(subscriptionId).signal(payNowSignal, { invoiceId });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new ConflictError('this subscription has ended; its invoices can no longer be charged');
      }
      throw error;
    }
  }

  /**
   * Tells the workflow collecting an invoice (its subscription's, or a one-off invoice's own: `subscriptionId` null)
   * that it was closed or settled elsewhere (voided, written off, paid offline, credited), so a collection waiting
   * to retry it looks again, finds nothing due and ends. Best effort: a workflow that is not running has nothing to
   * stop.
   */
  async invoiceClosed(subscriptionId: string | null, invoiceId: string): Promise<void> {
    const handle = subscriptionId ? this.handle(subscriptionId) : this.oneOffHandle(invoiceId);
    await handle.signal(payNowSignal, { invoiceId }).catch((error: unknown) => {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    });
  }

  /**
   * Collects a one-off invoice (`invoice-<id>`): starts its workflow, or, when one is already collecting it, asks it
   * to try now. A collection that gave up (its due date passed, a hard decline) is started again: attempts go on
   * from the last one, so nothing is charged twice.
   */
  async collectOneOff(invoiceId: string, collectForMs: number): Promise<void> {
    const handle = await this.client.workflow.start(oneOffInvoiceWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: oneOffInvoiceWorkflowId(invoiceId),
      args: [{ invoiceId, policy: this.collection ?? DEFAULT_COLLECTION_POLICY, collectForMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    await handle.signal(payNowSignal, { invoiceId });
  }

  /**
   * Tells the workflow the customer gave a new payment method. Best effort: a workflow that is not running (ended, or
   * Temporal down) reads the method from the database at its next charge.
   */
  async paymentMethodChanged(subscriptionId: string): Promise<void> {
    await this.handle(subscriptionId)
      .signal(paymentMethodChangedSignal)
      .catch(() => undefined);
  }

  /** An operator asks the workflow to ask the provider about a payment now; refused when no workflow runs. */
  async askAboutPayment(subscriptionId: string | null, paymentId: string, invoiceId: string): Promise<void> {
    try {
      await this.paymentNotification(subscriptionId, paymentId, invoiceId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new ConflictError('the subscription’s lifecycle is not running: nobody follows this payment');
      }
      throw error;
    }
  }

  /** A provider spoke about a payment: wakes the workflow collecting its invoice (subscriptionId null: one-off). */
  async paymentNotification(subscriptionId: string | null, paymentId: string, invoiceId?: string): Promise<void> {
    const handle = subscriptionId ? this.handle(subscriptionId) : this.oneOffHandle(invoiceId!);
    await handle.signal(paymentNotificationSignal, { paymentId });
  }

  state(subscriptionId: string): Promise<SubscriptionState> {
    return this.handle(subscriptionId).query(subscriptionStateQuery);
  }

  private oneOffHandle(invoiceId: string): WorkflowHandle<typeof oneOffInvoiceWorkflow> {
    return this.client.workflow.getHandle<typeof oneOffInvoiceWorkflow>(oneOffInvoiceWorkflowId(invoiceId));
  }

  private handle(subscriptionId: string): WorkflowHandle<typeof subscriptionWorkflow> {
    return this.client.workflow.getHandle<typeof subscriptionWorkflow>(subscriptionWorkflowId(subscriptionId));
  }

  /** Runs an Update; a validator's refusal or a workflow that is not running becomes a CONFLICT with its reason. */
  private async update<Request>(
    subscriptionId: string,
    definition: UpdateDefinition<SubscriptionState, [Request]>,
    request: Request,
  ): Promise<SubscriptionState> {
    try {
      return await this.handle(subscriptionId).executeUpdate(definition, { args: [request] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new ConflictError(error.cause instanceof Error ? error.cause.message : error.message);
      }
      if (error instanceof WorkflowNotFoundError)
        throw new ConflictError('the subscription’s lifecycle is not running');
      throw error;
    }
  }
}

export function workflowInputFor(subscription: Subscription, collection?: CollectionPolicy): SubscriptionWorkflowInput {
  return {
    subscriptionId: subscription.id,
    customerId: subscription.customer.id,
    planId: subscription.plan.id,
    cadence: { interval: subscription.plan.interval, intervalCount: subscription.plan.intervalCount },
    billingAnchor: subscription.billingAnchor.toISOString(),
    trialEnd: subscription.trialEnd?.toISOString() ?? null,
    periodIndex: 0,
    status: subscription.status,
    ...(collection ? { collection: collectionPolicyFor(subscription.plan.interval, collection) } : {}),
  };
}

/** The policy a workflow of a plan with this interval collects by (what workflowInputFor gives it). */
export function collectionPolicyFor(interval: string, policy: CollectionPolicy): CollectionPolicy {
  return interval === 'MINUTE' ? inMinutes(policy) : policy;
}

/**
 * Minute plans exist to watch a lifecycle happen: every waiting time measured in days is scaled so a day becomes a
 * minute (retries 1, 3, 5, 7 days become 1, 3, 5, 7 minutes). Provider waits stay as they are (a phone is a phone).
 */
function inMinutes(policy: CollectionPolicy): CollectionPolicy {
  const scale = (ms: number | undefined) => (ms === undefined ? undefined : Math.max(1000, Math.round(ms / 1440)));
  return {
    ...policy,
    retryDelaysMs: policy.retryDelaysMs.map((ms) => scale(ms)!),
    confirmAfterMs: Math.min(policy.confirmAfterMs, 10_000),
    webhookWaitMs: scale(policy.webhookWaitMs)!,
    incompleteExpiryMs: scale(policy.incompleteExpiryMs),
    trialEndingNoticeMs: scale(policy.trialEndingNoticeMs),
    renewalReminderMs: scale(policy.renewalReminderMs),
    standingOrderWaitMs: scale(policy.standingOrderWaitMs),
  };
}

/** The workflow collecting a one-off invoice. */
export function oneOffInvoiceWorkflowId(invoiceId: string): string {
  return `invoice-${invoiceId}`;
}
