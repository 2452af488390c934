// The workflow bundle's entry: every workflow type the worker runs.
export { subscriptionWorkflow, subscriptionStateQuery } from './subscription.js';
