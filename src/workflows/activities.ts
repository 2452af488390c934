import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';

/** The activities as the workflow calls them; their names are recorded in histories. */
export const activities = proxyActivities<BillingActivities>({
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
