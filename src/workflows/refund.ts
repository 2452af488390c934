// One refund, carried out durably: ask the provider once, then follow the answer until the refund is SUCCEEDED or
// FAILED. The activities are keyed by the refund (PayPal-Request-Id = its id; an M-Pesa reversal asked once, then
// followed by status queries), so a retried activity or a worker killed mid-call never refunds twice. A provider
// callback or webhook signals `refundNotification` to look again now instead of at the next check.
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { RefundActivities } from '../activities/refunds.js';

export const refundNotificationSignal = defineSignal('refundNotification');

export interface RefundWorkflowInput {
  refundId: string;
  /** How long to wait for a result (callback, webhook) before asking the provider; doubles up to maxCheckEveryMs. */
  checkAfterMs?: number;
  maxCheckEveryMs?: number;
}

const DEFAULT_CHECK_AFTER_MS = 60_000;
const DEFAULT_MAX_CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
/** Checks per run before the history is started afresh (continue-as-new). */
const CHECKS_PER_RUN = 50;

const refundActivities = proxyActivities<RefundActivities>({
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function refundWorkflow(input: RefundWorkflowInput): Promise<'SUCCEEDED' | 'FAILED'> {
  let notified = false;
  setHandler(refundNotificationSignal, () => {
    notified = true;
  });
  const first = input.checkAfterMs ?? DEFAULT_CHECK_AFTER_MS;
  const most = input.maxCheckEveryMs ?? DEFAULT_MAX_CHECK_EVERY_MS;
  let progress = await refundActivities.sendRefund({ refundId: input.refundId });
  let wait = first;
  for (let check = 0; progress.status === 'PENDING'; check++) {
    if (check === CHECKS_PER_RUN) await continueAsNew<typeof refundWorkflow>({ ...input, checkAfterMs: wait });
    await condition(() => notified, wait);
    notified = false;
    wait = Math.min(wait * 2, most);
    progress = await refundActivities.checkRefund({ refundId: input.refundId });
  }
  return progress.status;
}
