// One M-Pesa Ratiba standing order put on a customer's phone (docs/ratiba.md): ask Daraja once, then wait for the
// customer's answer (the result callback records it and signals here), and give the order up as DECLINED when no
// answer comes in time. The order's collections are not this workflow's: they arrive as paybill payments, and the
// subscription's own workflow waits for them at each renewal.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { StandingOrderActivities } from '../activities/standingOrders.js';
import type { StandingOrderStatus } from '../domain/standingOrders.js';

export const standingOrderAnsweredSignal = defineSignal('standingOrderAnswered');

export interface StandingOrderWorkflowInput {
  standingOrderId: string;
  /** How long the customer has to approve it on their phone. */
  approvalWaitMs?: number;
}

/** Daraja gives no deadline; a customer who has not answered in a day will not. */
const DEFAULT_APPROVAL_WAIT_MS = 24 * 60 * 60 * 1000;

const activities = proxyActivities<StandingOrderActivities>({
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function standingOrderWorkflow(input: StandingOrderWorkflowInput): Promise<StandingOrderStatus> {
  let answered = false;
  setHandler(standingOrderAnsweredSignal, () => {
    answered = true;
  });
  const sent = await activities.sendStandingOrder({ standingOrderId: input.standingOrderId });
  if (sent.status !== 'PENDING_APPROVAL') return sent.status;
  await condition(() => answered, input.approvalWaitMs ?? DEFAULT_APPROVAL_WAIT_MS);
  // Answered: reads what the answer made of it. Not answered: DECLINED (nothing changes if an answer raced in).
  return (await activities.expireStandingOrder({ standingOrderId: input.standingOrderId })).status;
}
