// The API side's gateway to refund workflows (src/workflows/refund.ts): start one per refund, and wake it when a
// provider spoke about it. Use cases name a refund, never a workflow id or a Temporal error.
import type { Client } from '@temporalio/client';
import { refundWorkflowId } from '../entities/Refund.js';
import { refundNotificationSignal, refundWorkflow, type RefundWorkflowInput } from '../workflows/refund.js';
import { startOnce, wake } from './onceAndWake.js';

export class RefundWorkflows {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    /** Waits before asking the provider (tests and minute plans shorten them). */
    readonly timing: Omit<RefundWorkflowInput, 'refundId'> = {},
  ) {}

  /** Starts the refund's workflow, or leaves the running one be (a repeated request, a retried start). */
  start(refundId: string): Promise<void> {
    return startOnce(this.client, refundWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: refundWorkflowId(refundId),
      args: [{ refundId, ...this.timing }],
    });
  }

  /** A provider spoke about the refund: look now. Best effort: a lost signal only delays to the next check. */
  notify(refundId: string): Promise<void> {
    return wake(this.client, refundWorkflowId(refundId), refundNotificationSignal);
  }
}
