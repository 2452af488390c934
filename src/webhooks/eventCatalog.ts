// The events client apps can receive (docs/webhooks.md documents each). The database records them: the triggers
// in src/db/migrations/eventsOutTriggers.ts decide which row change is which event, in the change's transaction.

/**
 * The payload version: a change that is not purely additive gets a new date. The triggers write it into each event
 * (a migration's copy, frozen with it; test/integration/webhooks/webhooksApi.test.ts holds the two together).
 */
export const EVENTS_API_VERSION = '2026-12-01';

export const EVENT_TYPES = {
  'customer.created': 'A customer was created.',
  'customer.updated': "A customer's name, email, phone, addresses, locale, status or external id changed.",
  'customer.deleted': 'A customer was deleted.',
  'subscription.created': 'A subscription was created (trialing, or waiting for its first payment).',
  'subscription.trial_will_end': 'The trial ends soon: the customer was sent the trial-ending notice.',
  'subscription.activated': 'The subscription became ACTIVE: first payment, trial converted, or recovered.',
  'subscription.renewed': 'A new billing period began.',
  'subscription.past_due': 'A renewal payment failed; retries are scheduled.',
  'subscription.paused': 'Billing is paused.',
  'subscription.resumed': 'Billing resumed after a pause.',
  'subscription.plan_changed': 'The subscription moved to another plan.',
  'subscription.canceled': 'Cancellation was requested (at once, or at the end of the period).',
  'subscription.ended': 'The subscription ended: canceled, unpaid after dunning, or its first payment expired.',
  'invoice.created': 'An invoice was created.',
  'invoice.finalized': 'An invoice was issued and can be paid.',
  'invoice.paid': 'An invoice was paid in full.',
  'invoice.payment_failed': 'A payment attempt for the invoice failed (the object is the invoice).',
  'invoice.voided': 'An invoice was voided.',
  'invoice.marked_uncollectible': 'An invoice was written off.',
  'payment.succeeded': 'A payment succeeded.',
  'payment.failed': 'A payment failed (the provider answer is in failureCode and failureMessage).',
  'payment.refunded':
    'A refund of the payment succeeded (the object is the payment, with amountRefunded; its status stays SUCCEEDED).',
  'refund.created': 'A refund was requested (PENDING): its amount is held on the payment.',
  'refund.succeeded': 'A refund went through: the money is back with the customer.',
  'refund.failed': 'A refund failed (failureCode, failureMessage); its amount is refundable again.',
  'credit_note.created':
    'A credit note was issued on an invoice (reducesRemaining, creditedToBalance and refundAmount say how it is used).',
  'offline_payment.recorded':
    'Money received outside the providers (a bank transfer, cash, a cheque) was recorded against an invoice.',
  'paybill_payment.received':
    'Money the customer sent to the M-Pesa paybill from their phone was applied to their invoices or balance (invoiceIds, appliedToInvoices, creditedToBalance).',
  'entitlement.changed': 'Access changed: the subscription started or stopped granting it, or changed plan.',
} as const;

export type EventType = keyof typeof EVENT_TYPES;

export const ALL_EVENT_TYPES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value);
}

/** An endpoint listens to the types it names, or to all of them (present and future) with '*'. */
export const EVERY_EVENT = '*';
