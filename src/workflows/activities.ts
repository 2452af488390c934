import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';

/**
 * The activities as the workflow calls them; their names are recorded in histories (their timeouts are not, so
 * changing these replays). Every activity heartbeats each second while it runs (src/activities/index.ts): one lost
 * with a killed worker is retried after 5 s without a heartbeat, not when its start-to-close timeout runs out. The
 * longest a healthy one takes is a provider call (15 s HTTP timeouts, an OAuth token and the call) and its recording.
 */
export const activities = proxyActivities<BillingActivities>({
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
