// Workflows that carry out one record each (a refund, a standing order): started once per record, whatever how
// often it is asked for, and woken by a signal when a provider spoke about the record.
import { WorkflowNotFoundError, type Client, type Workflow, type WorkflowStartOptions } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';

/** Starts the record's workflow, or leaves the running one be; a finished one is not run again (the row says how it ended). */
export async function startOnce<W extends Workflow>(
  client: Client,
  workflow: W,
  options: WorkflowStartOptions<W>,
): Promise<void> {
  await client.workflow
    .start(workflow, {
      ...options,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    })
    .catch((error: unknown) => {
      if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') return;
      throw error;
    });
}

/** Signals the workflow if it still runs. Best effort: a lost signal only delays the workflow to its next look. */
export async function wake(client: Client, workflowId: string, signal: SignalDefinition<[]>): Promise<void> {
  await client.workflow
    .getHandle(workflowId)
    .signal(signal)
    .catch((error: unknown) => {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    });
}
