// One workflow per subscription, id `subscription-<id>`. It decides when billing happens; activities do it.
// Each run covers one billing period and then continues as new, so history stays small however old the
// subscription gets.
import {
  continueAsNew,
  defineQuery,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { BillingActivities } from '../activities/index.js';
import { billingPeriod } from '../domain/billingPeriod.js';
import { BillingNextAt, BillingStatus } from './searchAttributes.js';
import type { SubscriptionState, SubscriptionWorkflowInput } from './types.js';

export const subscriptionStateQuery = defineQuery<SubscriptionState>('subscriptionState');

const { issuePeriodInvoice } = proxyActivities<BillingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Sleeps until an instant. Inside a workflow `Date.now()` is Temporal's replay-safe clock, not the host's. */
async function sleepUntil(instant: Date): Promise<void> {
  const remaining = instant.getTime() - Date.now();
  if (remaining > 0) await sleep(remaining);
}

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<void> {
  const period = billingPeriod(new Date(input.billingAnchor), input.cadence, input.periodIndex);
  const trialEnd = input.trialEnd ? new Date(input.trialEnd) : null;
  const state: SubscriptionState = {
    subscriptionId: input.subscriptionId,
    status: input.status,
    periodIndex: input.periodIndex,
    nextBillingAt: period.start.toISOString(),
    lastInvoiceId: null,
  };
  setHandler(subscriptionStateQuery, () => state);

  const publish = (nextBillingAt: Date) => {
    state.nextBillingAt = nextBillingAt.toISOString();
    upsertSearchAttributes([
      { key: BillingStatus, value: state.status },
      { key: BillingNextAt, value: nextBillingAt },
    ]);
  };

  // Trial: nothing is billed until the first period starts at the trial end.
  if (input.periodIndex === 0 && trialEnd) {
    publish(trialEnd);
    await sleepUntil(trialEnd);
  }

  const invoice = await issuePeriodInvoice({ subscriptionId: input.subscriptionId, periodIndex: input.periodIndex });
  state.lastInvoiceId = invoice.invoiceId;
  state.status = invoice.subscriptionStatus;
  publish(period.end);

  await sleepUntil(period.end);
  await continueAsNew<typeof subscriptionWorkflow>({
    ...input,
    periodIndex: input.periodIndex + 1,
    status: state.status,
  });
}
