// The API side's gateway to standing order workflows (src/workflows/standingOrder.ts): start one per order, and wake
// it when the customer's answer came. Use cases name an order, never a workflow id or a Temporal error.
import type { Client } from '@temporalio/client';
import { standingOrderWorkflowId } from '../entities/StandingOrder.js';
import {
  standingOrderAnsweredSignal,
  standingOrderWorkflow,
  type StandingOrderWorkflowInput,
} from '../workflows/standingOrder.js';
import { startOnce, wake } from './onceAndWake.js';

export class StandingOrderWorkflows {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly timing: Omit<StandingOrderWorkflowInput, 'standingOrderId'> = {},
  ) {}

  start(standingOrderId: string): Promise<void> {
    return startOnce(this.client, standingOrderWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: standingOrderWorkflowId(standingOrderId),
      args: [{ standingOrderId, ...this.timing }],
    });
  }

  /** The customer answered: the workflow stops waiting (a lost signal only waits out the approval time). */
  answered(standingOrderId: string): Promise<void> {
    return wake(this.client, standingOrderWorkflowId(standingOrderId), standingOrderAnsweredSignal);
  }
}
