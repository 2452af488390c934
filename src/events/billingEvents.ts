// Live billing events (subscription, invoice, payment, customer and catalog changes, and API keys and client apps
// that change what a key may do) travel from the database to every API instance through Postgres NOTIFY. Triggers on
// those tables issue them (Migration20261203120000_live_event_triggers, Migration20261205100000_entitlement_events,
// Migration20261206200000_api_key_events), in the
// transaction that changes the row, so no code path can forget one; a NOTIFY issued inside a transaction is
// delivered only when that transaction commits, so a listener never hears about a change that was rolled back.
import type { EntityManager } from '@mikro-orm/postgresql';

export const BILLING_EVENTS_CHANNEL = 'billing_events';

/** Small on purpose: listeners reload the current row, so an event is a pointer plus who may see it. */
export type BillingEvent = (
  | { kind: 'payment'; paymentId: string; invoiceId: string; customerId: string; status: string }
  /** A refund was requested or changed status (Migration20261211100000_refunds). */
  | { kind: 'refund'; refundId: string; paymentId: string; invoiceId: string; customerId: string; status: string }
  | { kind: 'invoice'; invoiceId: string; subscriptionId: string | null; customerId: string; status: string }
  | { kind: 'subscription'; subscriptionId: string; customerId: string; status: string }
  | CustomerEvent
  /** A plan's name, features or limits, or a product's code, changed (by hand: plans are versioned). */
  | { kind: 'catalog' }
  /** An API key was revoked, deleted, or changed digest or app: a process holding it must look it up again. */
  | { kind: 'apiKey'; apiKeyId: string; apiClientId: string }
  /** A client app was disabled or deleted, or its scopes changed: every key of it must be looked up again. */
  | { kind: 'apiClient'; apiClientId: string }
) & {
  /** The transaction that made the change (set by the triggers): one change, one update per subscriber. */
  tx?: string;
};

/**
 * A customer was created, deleted, or changed app, externalId or deleted_at: who it is (null fields on an insert's
 * previous side and a delete's new side), and which (app, externalId) pairs named it before and after.
 */
export interface CustomerEvent {
  kind: 'customer';
  customerId: string;
  apiClientId: string | null;
  externalId: string | null;
  previousApiClientId: string | null;
  previousExternalId: string | null;
}

/**
 * Raised by an API process's own listener, never sent over NOTIFY: it is listening again after losing its
 * connection, and events committed in between were not delivered (Postgres keeps none for absent listeners).
 */
export interface ResyncEvent {
  kind: 'resync';
}

/** What live subscribers receive: billing events, and a resync after an outage. */
export type LiveEvent = BillingEvent | ResyncEvent;

/**
 * Queues an event on the transaction `em` belongs to (or sends it at once outside a transaction). Row changes are
 * announced by the triggers; this is for announcing without one (a listener's health probe, tests).
 */
export async function publishBillingEvent(em: EntityManager, event: BillingEvent): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [BILLING_EVENTS_CHANNEL, JSON.stringify(event)]);
}

/** Parses a NOTIFY payload; anything else on the channel is ignored rather than trusted. */
export function parseBillingEvent(payload: string | undefined): BillingEvent | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<Record<string, unknown>>;
    const strings = (...keys: string[]) => keys.every((key) => typeof value[key] === 'string');
    if (value.tx !== undefined && typeof value.tx !== 'string') return null;
    if (value.kind === 'payment' && strings('paymentId', 'invoiceId', 'customerId', 'status'))
      return value as BillingEvent;
    if (
      value.kind === 'invoice' &&
      strings('invoiceId', 'customerId', 'status') &&
      (value.subscriptionId === null || typeof value.subscriptionId === 'string')
    )
      return value as BillingEvent;
    if (value.kind === 'subscription' && strings('subscriptionId', 'customerId', 'status'))
      return value as BillingEvent;
    if (value.kind === 'refund' && strings('refundId', 'paymentId', 'invoiceId', 'customerId', 'status'))
      return value as BillingEvent;
    const nullableStrings = (...keys: string[]) =>
      keys.every((key) => value[key] === null || typeof value[key] === 'string');
    if (
      value.kind === 'customer' &&
      strings('customerId') &&
      nullableStrings('apiClientId', 'externalId', 'previousApiClientId', 'previousExternalId')
    )
      return value as BillingEvent;
    if (value.kind === 'apiKey' && strings('apiKeyId', 'apiClientId')) return value as BillingEvent;
    if (value.kind === 'apiClient' && strings('apiClientId')) return value as BillingEvent;
    if (value.kind === 'catalog') return { kind: 'catalog', ...(value.tx === undefined ? {} : { tx: value.tx }) };
    return null;
  } catch {
    return null;
  }
}
