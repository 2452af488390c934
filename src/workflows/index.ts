// The workflow bundle's entry: every workflow type the worker runs.
export { subscriptionWorkflow, subscriptionStateQuery } from './subscription.js';
export { oneOffInvoiceWorkflow } from './oneOffInvoice.js';
export { refundWorkflow } from './refund.js';
export { standingOrderWorkflow } from './standingOrder.js';
