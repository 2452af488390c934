// Live payment and subscription status over graphql-ws. Events come from Postgres NOTIFY (src/events) and carry
// only ids, so every event is turned back into the current row, read with the caller's visibility filter: what a
// subscriber sees is what the same caller would get from a query at that moment, never the event's own claims.
//
// The root type is built with graphql-js rather than TypeGraphQL's @Subscription: TypeGraphQL always names the
// subscription root `Subscription`, which is already the name of the billing type, and the schema cannot hold both.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  GraphQLError,
  GraphQLID,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  isObjectType,
  type GraphQLFieldConfig,
} from 'graphql';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import { NotFoundError, UseCaseError } from '../../kernel/errors.js';
import { Invoice, Payment, Refund, Subscription as BillingSubscription } from '../../entities/index.js';
import type { BillingEvent, LiveEvent } from '../../events/billingEvents.js';
import type { BillingEventSource } from '../../events/billingEventListener.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { createLoaders } from '../loaders.js';
import { processLog } from '../../logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireEvents(context: GraphQLContext): BillingEventSource {
  if (!context.events) {
    throw new GraphQLError('live updates are not available on this server', {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    });
  }
  return context.events;
}

/** Logged here in full; the client learns only that it should subscribe again (graphql-ws would send the raw message). */
function unavailable(what: string, error: unknown): GraphQLError {
  processLog().error(what, { error });
  return new GraphQLError('live updates are unavailable right now; subscribe again', {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
  });
}

/**
 * graphql-js runs every event of a subscription with the operation's single context, whose DataLoaders would
 * otherwise cache rows for the life of the operation: nested fields (a subscription's invoices) would keep
 * showing the first event's data. Each event gets its own identity map and loaders.
 */
function freshScope(context: GraphQLContext): EntityManager {
  const em = context.em.fork();
  Object.defineProperty(context, 'loaders', { value: createLoaders(em), configurable: true, writable: true });
  return em;
}

/**
 * One read per event for all the subscribers of this process that follow the same row with the same visibility:
 * a thousand clients watching one payment cost one query per event, not a thousand (bench/results/live-fanout-*.md).
 * Keyed by the event object, which the listener parses once and hands to every subscriber, so a read lives as long
 * as its event is being delivered; a resync is one shared object for every outage, so it is never shared here.
 */
const sharedReads = new WeakMap<BillingEvent, Map<string, Promise<unknown>>>();

function readOnce<V>(event: BillingEvent, key: string, read: () => Promise<V>): Promise<V> {
  let reads = sharedReads.get(event);
  if (!reads) {
    reads = new Map();
    sharedReads.set(event, reads);
  }
  let reading = reads.get(key) as Promise<V> | undefined;
  if (!reading) {
    reading = read();
    reads.set(key, reading);
  }
  return reading;
}

/** What an event's shared read gives each subscriber: the row, its fingerprint, and loaders for nested fields. */
interface EventScope<T> {
  row: T | null;
  fingerprint: string | null;
  loaders: ReturnType<typeof createLoaders>;
}

/** How a live field reads its rows. */
interface LiveRowReader<T> {
  /**
   * What the row and its visibility depend on, beyond the event: subscribers with equal keys read the same rows,
   * so one read per event serves them all. Must name the entity, the id followed and the caller's customer filter.
   */
  shareKey: string;
  /** Whether the caller may follow this id at all. */
  visible: (em: EntityManager) => Promise<boolean>;
  /** The row an event points at, if the caller can (still) see it. */
  load: (em: EntityManager, event: BillingEvent) => Promise<T | null>;
  /** The row as it is now: sent after a resync when it changed since the last one sent. */
  current: (em: EntityManager) => Promise<T | null>;
  /** Tells two readings of the row apart (id, status, last update, and what else the subscriber is shown). */
  fingerprint: (em: EntityManager, row: T) => Promise<string>;
}

/**
 * Registers with the event source first and checks visibility second, so nothing committed between the check
 * and the registration is missed; a refused caller is unregistered before the error goes out. After a resync
 * (the process's LISTEN connection was lost, and events with it) the current row is sent if it differs from the
 * last one the subscriber had, so a change made during the outage still arrives.
 */
async function liveRows<T extends object>(
  context: GraphQLContext,
  source: AsyncIterableIterator<LiveEvent>,
  entity: string,
  id: string,
  rows: LiveRowReader<T>,
): Promise<AsyncIterableIterator<T>> {
  let lastSent: string | null = null;
  try {
    // A malformed id would reach Postgres as a uuid cast error; it names nothing, so it is not found.
    if (!UUID.test(id) || !(await rows.visible(context.em))) throw new NotFoundError(entity, id);
    // What the subscriber can already know from a query: a resync need not repeat it.
    const now = await rows.current(context.em);
    lastSent = now ? await rows.fingerprint(context.em, now) : null;
  } catch (error) {
    await source.return?.();
    if (error instanceof UseCaseError || error instanceof GraphQLError) throw error;
    throw unavailable(`live ${entity} updates could not start`, error);
  }
  let ended = false;
  let lastTx: string | undefined;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const event = await source.next();
        if (event.done || ended) return { value: undefined, done: true };
        // Several rows of one transaction (an invoice and the status it gives its subscription) are one change.
        const tx = event.value.kind === 'resync' ? undefined : event.value.tx;
        if (tx !== undefined && tx === lastTx) continue;
        lastTx = tx;
        let row: T | null;
        let fingerprint: string | null = null;
        try {
          if (event.value.kind === 'resync') {
            const em = freshScope(context);
            row = await rows.current(em);
            if (row) fingerprint = await rows.fingerprint(em, row);
            if (fingerprint === lastSent) row = null;
          } else {
            const billingEvent = event.value;
            const scope = await readOnce(billingEvent, rows.shareKey, async (): Promise<EventScope<T>> => {
              const em = context.em.fork();
              const loaders = createLoaders(em);
              const read = await rows.load(em, billingEvent);
              return { row: read, fingerprint: read ? await rows.fingerprint(em, read) : null, loaders };
            });
            // Nested fields (a subscription's invoices) through the event's loaders: read once for all of them too.
            Object.defineProperty(context, 'loaders', { value: scope.loaders, configurable: true, writable: true });
            row = scope.row;
            fingerprint = scope.fingerprint;
          }
        } catch (error) {
          await iterator.return!();
          throw unavailable(`a live ${entity} update could not be read`, error);
        }
        // Gone from the caller's view since subscribing (e.g. the customer was deleted): say nothing.
        if (row && !ended) {
          lastSent = fingerprint;
          return { value: row, done: false };
        }
      }
    },
    async return() {
      ended = true;
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

const changeFingerprint = (row: { id: string; status: string; updatedAt: Date }) =>
  `${row.id}:${row.status}:${row.updatedAt.getTime()}`;

/**
 * A subscription as its subscribers see it: its row and its invoices, whose changes it also follows, so a payment
 * committed while the server's event feed was down is still sent after the resync.
 */
async function subscriptionFingerprint(em: EntityManager, row: BillingSubscription): Promise<string> {
  // Statuses too, not only the latest update: a write that leaves updated_at alone must still count as a change.
  const [latest] = await em.execute<{ invoices: string; changed: Date | null; statuses: string | null }[]>(
    `select count(*)::text as invoices, max(updated_at) as changed, string_agg(status::text, ',' order by id) as statuses
       from invoices where subscription_id = ?`,
    [row.id],
  );
  const changed = latest?.changed ? new Date(latest.changed).getTime() : 0;
  return `${changeFingerprint(row)}:${latest?.invoices ?? 0}:${changed}:${latest?.statuses ?? ''}`;
}

async function paymentUpdates(context: GraphQLContext, invoiceId: string) {
  const { caller } = context;
  requireScope(caller, 'read:invoices');
  const source = requireEvents(context).subscribe((e) => e.kind === 'payment' && e.invoiceId === invoiceId);
  const invoice = () => ({ id: invoiceId, customer: visibleCustomers(caller) });
  return liveRows<Payment>(context, source, 'Invoice', invoiceId, {
    shareKey: `payments of invoice ${invoiceId} seen by ${JSON.stringify(visibleCustomers(caller))}`,
    visible: async (em) => (await em.count(Invoice, invoice())) > 0,
    load: async (em, event) =>
      event.kind === 'payment' ? em.findOne(Payment, { id: event.paymentId, invoice: invoice() }) : null,
    // The latest attempt: the one whose status a client following an invoice is waiting on.
    current: (em) =>
      em.findOne(Payment, { invoice: invoice() }, { orderBy: { attempt: 'desc', createdAt: 'desc', id: 'desc' } }),
    fingerprint: async (_em, row) => changeFingerprint(row),
  });
}

async function refundUpdates(context: GraphQLContext, paymentId: string) {
  const { caller } = context;
  requireScope(caller, 'read:invoices');
  const source = requireEvents(context).subscribe((e) => e.kind === 'refund' && e.paymentId === paymentId);
  const payment = () => ({ id: paymentId, customer: visibleCustomers(caller) });
  return liveRows<Refund>(context, source, 'Payment', paymentId, {
    shareKey: `refunds of payment ${paymentId} seen by ${JSON.stringify(visibleCustomers(caller))}`,
    visible: async (em) => (await em.count(Payment, payment())) > 0,
    load: async (em, event) =>
      event.kind === 'refund' ? em.findOne(Refund, { id: event.refundId, payment: payment() }) : null,
    // The latest refund: the one a client following a payment's refunds is waiting on.
    current: (em) => em.findOne(Refund, { payment: payment() }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
    fingerprint: async (_em, row) => changeFingerprint(row),
  });
}

async function subscriptionUpdates(context: GraphQLContext, subscriptionId: string) {
  const { caller } = context;
  requireScope(caller, 'read:subscriptions');
  // Its own row, and its invoices (issued, paid, voided): a client watching a subscription wants to see it paid.
  const source = requireEvents(context).subscribe(
    (e) => (e.kind === 'subscription' || e.kind === 'invoice') && e.subscriptionId === subscriptionId,
  );
  const subscription = () => ({ id: subscriptionId, customer: visibleCustomers(caller) });
  const current = (em: EntityManager) => em.findOne(BillingSubscription, subscription());
  return liveRows<BillingSubscription>(context, source, 'Subscription', subscriptionId, {
    shareKey: `subscription ${subscriptionId} seen by ${JSON.stringify(visibleCustomers(caller))}`,
    visible: async (em) => (await em.count(BillingSubscription, subscription())) > 0,
    load: current,
    current,
    fingerprint: subscriptionFingerprint,
  });
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`the schema has no object type ${name}`);
  return type;
}

/** The schema plus its subscription root: `paymentUpdated`, `refundUpdated` and `subscriptionUpdated`. */
export function withLiveUpdates(schema: GraphQLSchema): GraphQLSchema {
  const paymentUpdated: GraphQLFieldConfig<unknown, GraphQLContext, { invoiceId: string }> = {
    type: new GraphQLNonNull(objectType(schema, 'Payment')),
    description:
      'The current payment each time a payment of this invoice changes (a new attempt, a status change). ' +
      'Events are not replayed: query the invoice after (re)subscribing for the state so far. After the server ' +
      'loses its own event feed, it sends the latest payment again if it changed meanwhile.',
    args: { invoiceId: { type: new GraphQLNonNull(GraphQLID) } },
    subscribe: (_root, args, context) => paymentUpdates(context, args.invoiceId),
    // The subscribe stream yields the rows themselves.
    resolve: (payment) => payment,
  };
  const refundUpdated: GraphQLFieldConfig<unknown, GraphQLContext, { paymentId: string }> = {
    type: new GraphQLNonNull(objectType(schema, 'Refund')),
    description:
      'The current refund each time a refund of this payment is requested or changes status (PENDING, SUCCEEDED, ' +
      'FAILED). Events are not replayed: query `payment.refunds` after (re)subscribing for the state so far.',
    args: { paymentId: { type: new GraphQLNonNull(GraphQLID) } },
    subscribe: (_root, args, context) => refundUpdates(context, args.paymentId),
    resolve: (refund) => refund,
  };
  const subscriptionUpdated: GraphQLFieldConfig<unknown, GraphQLContext, { subscriptionId: string }> = {
    type: new GraphQLNonNull(objectType(schema, 'Subscription')),
    description:
      'The current subscription each time it or one of its invoices changes (status, trial end, renewal, ' +
      'payment, cancellation, pause, plan change). Events are not replayed: query it after (re)subscribing. ' +
      'After the server loses its own event feed, it sends the subscription again if it changed meanwhile.',
    args: { subscriptionId: { type: new GraphQLNonNull(GraphQLID) } },
    subscribe: (_root, args, context) => subscriptionUpdates(context, args.subscriptionId),
    resolve: (subscription) => subscription,
  };
  return new GraphQLSchema({
    ...schema.toConfig(),
    subscription: new GraphQLObjectType({
      name: 'SubscriptionRoot',
      description: 'Live updates, over graphql-ws only.',
      fields: { paymentUpdated, refundUpdated, subscriptionUpdated },
    }),
  });
}
