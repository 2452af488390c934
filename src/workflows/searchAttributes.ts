// Custom search attributes, so an operator can find any subscription in the Temporal UI by customer, plan,
// status or next billing time. `npm start` and the tests register them on the server.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const BillingCustomerId = defineSearchAttributeKey('BillingCustomerId', SearchAttributeType.KEYWORD);
export const BillingPlanId = defineSearchAttributeKey('BillingPlanId', SearchAttributeType.KEYWORD);
export const BillingStatus = defineSearchAttributeKey('BillingStatus', SearchAttributeType.KEYWORD);
export const BillingNextAt = defineSearchAttributeKey('BillingNextAt', SearchAttributeType.DATETIME);

export const billingSearchAttributes = [BillingCustomerId, BillingPlanId, BillingStatus, BillingNextAt];
