import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';

/**
 * The activities as the workflow calls them; their names are recorded in histories (their timeouts are not, so
 * changing these replays). Every activity heartbeats each second while it runs (src/activities/index.ts): one lost
 * with a killed worker is retried after 5 s without a heartbeat, not when its start-to-close timeout runs out. The
 * longest a healthy one takes is a provider call (15 s HTTP timeouts, an OAuth token and the call) and its recording.
 */
const OPTIONS: ActivityOptions = {
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

export const activities = proxyActivities<BillingActivities>(OPTIONS);

/**
 * The same activities ahead of the others in the task queue (Temporal's task priority: a lower key goes first, 3 is
 * the default), for the step that finishes a payment the customer has already answered. On the 1st every renewal's
 * invoice is queued at once; without this, the first customer to pay waited behind all of them to be confirmed.
 */
export const finishing = proxyActivities<BillingActivities>({ ...OPTIONS, priority: { priorityKey: 2 } });
