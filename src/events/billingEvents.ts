// Live billing events (payment and subscription changes) travel from whoever commits them (usually an activity in
// the worker) to every API instance through Postgres NOTIFY. A NOTIFY issued inside a transaction is delivered only
// when that transaction commits, so a listener never hears about a change that was rolled back.
import type { EntityManager } from '@mikro-orm/postgresql';

export const BILLING_EVENTS_CHANNEL = 'billing_events';

/** Small on purpose: listeners reload the current row, so an event is a pointer plus who may see it. */
export type BillingEvent =
  | { kind: 'payment'; paymentId: string; invoiceId: string; customerId: string; status: string }
  | { kind: 'subscription'; subscriptionId: string; customerId: string; status: string };

/**
 * Raised by an API process's own listener, never sent over NOTIFY: it is listening again after losing its
 * connection, and events committed in between were not delivered (Postgres keeps none for absent listeners).
 */
export interface ResyncEvent {
  kind: 'resync';
}

/** What live subscribers receive: billing events, and a resync after an outage. */
export type LiveEvent = BillingEvent | ResyncEvent;

/** Queues the event on the transaction `em` belongs to (or sends it at once outside a transaction). */
export async function publishBillingEvent(em: EntityManager, event: BillingEvent): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [BILLING_EVENTS_CHANNEL, JSON.stringify(event)]);
}

/** Parses a NOTIFY payload; anything else on the channel is ignored rather than trusted. */
export function parseBillingEvent(payload: string | undefined): BillingEvent | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<Record<string, unknown>>;
    const strings = (...keys: string[]) => keys.every((key) => typeof value[key] === 'string');
    if (value.kind === 'payment' && strings('paymentId', 'invoiceId', 'customerId', 'status'))
      return value as BillingEvent;
    if (value.kind === 'subscription' && strings('subscriptionId', 'customerId', 'status'))
      return value as BillingEvent;
    return null;
  } catch {
    return null;
  }
}

/** A payment row changed (created, or moved on by its provider's answer). */
export function publishPaymentChanged(
  em: EntityManager,
  payment: { id: string; status: string; invoice: { id: string }; customer: { id: string } },
): Promise<void> {
  return publishBillingEvent(em, {
    kind: 'payment',
    paymentId: payment.id,
    invoiceId: payment.invoice.id,
    customerId: payment.customer.id,
    status: payment.status,
  });
}

/** A subscription's status changed. */
export function publishSubscriptionChanged(
  em: EntityManager,
  subscription: { id: string; status: string; customer: { id: string } },
): Promise<void> {
  return publishBillingEvent(em, {
    kind: 'subscription',
    subscriptionId: subscription.id,
    customerId: subscription.customer.id,
    status: subscription.status,
  });
}
