// Entitlement from memory against real Postgres and a real LISTEN connection: a change committed elsewhere (as the
// worker or another API instance would) reaches the cache through the table's trigger, and the very next answer
// after its event arrives reflects it, though the answer before it came from memory. While the listener is cut off
// (a proxy the test takes down) answers read through to SQL; after it reconnects the cache starts empty.
//
// "After its event arrives": a NOTIFY is delivered after the commit returns, so a request racing it may still get
// the answer from before (by at most an event's delivery). `settled` waits for a probe NOTIFY sent after the change:
// Postgres delivers notifications in commit order, so once the probe is here, so is every event before it.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createApiClient } from '../../../src/accounts/apiClients.js';
import { entitlement, entitlementLookup, type Entitlement } from '../../../src/billing/entitlement.js';
import { cachedEntitlementLookup, type EntitlementCache } from '../../../src/billing/entitlementCache.js';
import { createCustomer } from '../../../src/customers/createCustomer.js';
import { moveCustomer } from '../../../src/customers/moveCustomer.js';
import { deleteCustomer, updateCustomer } from '../../../src/customers/updateCustomer.js';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Plan, Subscription } from '../../../src/entities/index.js';
import type { SubscriptionStatus } from '../../../src/domain/subscriptionStatus.js';
import { BillingEventListener } from '../../../src/events/billingEventListener.js';
import { publishBillingEvent } from '../../../src/events/billingEvents.js';
import type { Caller, Scope } from '../../../src/kernel/caller.js';
import { TEST_DATABASE_URL } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { admin, aPlan, uniqueEmail } from '../../support/fixtures.js';
import { TcpProxy } from '../../support/tcpProxy.js';

const GRACE_DAYS = 7;
const DAY_MS = 86_400_000;
const SCOPES: Scope[] = ['read:subscriptions', 'write:customers'];

interface App {
  caller: Caller;
  apiClientId: string;
}

/** A cache fed by its own listener, as an API process has; the listener may reach Postgres through a proxy. */
async function aCache(orm: Orm, connectionString = TEST_DATABASE_URL, capacity = 1000) {
  const listener = new BillingEventListener({ connectionString, initialBackoffMs: 20, maxBackoffMs: 200 });
  await listener.start();
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  const { lookup, cache, stop } = cachedEntitlementLookup(entitlementLookup(pool), capacity, listener);
  return {
    cache: cache!,
    listener,
    ask: (app: App, externalId: string, product: string, now?: Date): Promise<Entitlement> =>
      entitlement(lookup, app.caller, externalId, product, { pastDueGraceDays: GRACE_DAYS, now }),
    close: async () => {
      await stop();
      await Promise.all([listener.close(), pool.end()]);
    },
    orm,
  };
}

describe('entitlement from memory, kept current by the event bus', () => {
  let orm: Orm;
  let live: Awaited<ReturnType<typeof aCache>>;
  const closing: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    orm = await testOrm();
    live = await aCache(orm);
  });
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });
  afterAll(async () => {
    await live?.close();
    await orm?.close();
  });

  async function anApp(): Promise<App> {
    const client = await createApiClient(orm.em.fork(), admin, {
      name: `cache-${randomUUID()}`,
      scopes: SCOPES,
    });
    return {
      apiClientId: client.id,
      caller: { kind: 'apiClient', apiClientId: client.id, apiKeyId: randomUUID(), scopes: SCOPES },
    };
  }

  /** A customer of `app` with a subscription in `status` to a product of its own; returns the ids and codes. */
  async function aSubscriber(app: App, status: SubscriptionStatus, periodStart = new Date(Date.now() - DAY_MS)) {
    const externalId = `ext-${randomUUID()}`;
    const customer = await createCustomer(orm.em.fork(), app.caller, {
      email: uniqueEmail('cache'),
      name: 'Achieng Otieno',
      externalId,
    });
    const plan = await aPlan(orm.em, { amount: 100_000, currency: 'KES', features: ['reports'] });
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status,
      billingAnchor: periodStart,
      currentPeriodStart: periodStart,
      currentPeriodEnd: new Date(periodStart.getTime() + 30 * DAY_MS),
    });
    await em.flush();
    return { customerId: customer.id, externalId, product: plan.product.code, subscriptionId: subscription.id };
  }

  /** Asks twice, after the events of the setup: the second answer must come from memory, and equal the first. */
  async function cached(app: App, externalId: string, product: string): Promise<Entitlement> {
    await settled(live.listener);
    const first = await live.ask(app, externalId, product);
    const hits = live.cache.hits;
    expect(await live.ask(app, externalId, product)).toEqual(first);
    expect(live.cache.hits).toBe(hits + 1);
    expect(live.cache.has(app.apiClientId, externalId, product)).toBe(true);
    return first;
  }

  /** Waits for every event committed so far to reach the listener's subscribers, then for them to act on it. */
  async function settled(listener: BillingEventListener): Promise<void> {
    const probe = randomUUID();
    const events = listener.subscribe((e) => e.kind === 'subscription' && e.subscriptionId === probe);
    try {
      await publishBillingEvent(orm.em.fork(), {
        kind: 'subscription',
        subscriptionId: probe,
        customerId: probe,
        status: 'PROBE',
      });
      await events.next();
    } finally {
      await events.return!();
    }
    // Subscribers consume in microtasks, all run before the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The change's event has reached the cache and dropped the answer asked about. */
  async function invalidated(app: App, externalId: string, product: string): Promise<void> {
    await settled(live.listener);
    expect(live.cache.has(app.apiClientId, externalId, product)).toBe(false);
  }

  const setStatus = (subscriptionId: string, status: SubscriptionStatus) =>
    orm.em.fork().nativeUpdate(Subscription, { id: subscriptionId }, { status });

  it('grants access once the invoice is paid (the worker makes the subscription ACTIVE in that transaction)', async () => {
    const app = await anApp();
    const s = await aSubscriber(app, 'INCOMPLETE');
    expect(await cached(app, s.externalId, s.product)).toMatchObject({ granted: false, status: 'INCOMPLETE' });

    await orm.em.fork().transactional(async (em) => {
      const invoice = em.create(Invoice, {
        number: `CACHE-${randomUUID()}`,
        subscription: s.subscriptionId,
        customer: s.customerId,
        status: 'PAID',
        periodIndex: 0,
        periodStart: new Date(),
        periodEnd: new Date(Date.now() + 30 * DAY_MS),
        currency: 'KES',
        subtotal: 100_000,
        total: 100_000,
        amountDue: 100_000,
        amountPaid: 100_000,
        issuedAt: new Date(),
        dueAt: new Date(),
      });
      em.persist(invoice);
      await em.nativeUpdate(Subscription, { id: s.subscriptionId }, { status: 'ACTIVE' });
    });
    await invalidated(app, s.externalId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({ granted: true, reason: 'SUBSCRIBED' });
  });

  it.each<[SubscriptionStatus, string]>([
    ['CANCELED', 'cancelled'],
    ['PAUSED', 'paused'],
  ])('takes access away when the subscription is %s (%s)', async (status) => {
    const app = await anApp();
    const s = await aSubscriber(app, 'ACTIVE');
    expect(await cached(app, s.externalId, s.product)).toMatchObject({ granted: true });
    await setStatus(s.subscriptionId, status);
    await invalidated(app, s.externalId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({
      granted: false,
      reason: 'SUBSCRIPTION_NOT_IN_GOOD_STANDING',
      status,
    });
  });

  it('forgets a deleted customer', async () => {
    const app = await anApp();
    const s = await aSubscriber(app, 'ACTIVE');
    await cached(app, s.externalId, s.product);
    await deleteCustomer(orm.em.fork(), app.caller, s.customerId);
    await invalidated(app, s.externalId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({
      granted: false,
      reason: 'CUSTOMER_NOT_FOUND',
    });
  });

  it('follows an externalId that moves: the old one is unknown, the new one (unknown a moment ago) granted', async () => {
    const app = await anApp();
    const s = await aSubscriber(app, 'ACTIVE');
    const newId = `ext-${randomUUID()}`;
    await cached(app, s.externalId, s.product);
    expect(await cached(app, newId, s.product)).toMatchObject({ reason: 'CUSTOMER_NOT_FOUND' });

    await updateCustomer(orm.em.fork(), app.caller, { id: s.customerId, externalId: newId });
    await invalidated(app, s.externalId, s.product);
    await invalidated(app, newId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({ reason: 'CUSTOMER_NOT_FOUND' });
    expect(await live.ask(app, newId, s.product)).toMatchObject({ granted: true });
  });

  it('follows a customer moved to another app, and one created under an externalId asked about before', async () => {
    const [app, other] = await Promise.all([anApp(), anApp()]);
    const s = await aSubscriber(app, 'ACTIVE');
    await cached(app, s.externalId, s.product);
    expect(await cached(other, s.externalId, s.product)).toMatchObject({ reason: 'CUSTOMER_NOT_FOUND' });
    await moveCustomer(orm.em.fork(), admin, { customerId: s.customerId, apiClientId: other.apiClientId });
    await invalidated(app, s.externalId, s.product);
    await invalidated(other, s.externalId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({ reason: 'CUSTOMER_NOT_FOUND' });
    expect(await live.ask(other, s.externalId, s.product)).toMatchObject({ granted: true });

    const later = `ext-${randomUUID()}`;
    expect(await cached(app, later, s.product)).toMatchObject({ reason: 'CUSTOMER_NOT_FOUND' });
    await createCustomer(orm.em.fork(), app.caller, { email: uniqueEmail('cache'), name: 'Late', externalId: later });
    await invalidated(app, later, s.product);
    expect(await live.ask(app, later, s.product)).toMatchObject({ reason: 'NO_SUBSCRIPTION' });
  });

  it('starts over when a plan is edited by hand (a catalog event names no customer)', async () => {
    const app = await anApp();
    const s = await aSubscriber(app, 'ACTIVE');
    expect(await cached(app, s.externalId, s.product)).toMatchObject({ features: ['reports'] });
    const subscription = await orm.em.fork().findOneOrFail(Subscription, s.subscriptionId);
    await orm.em.fork().nativeUpdate(Plan, { id: subscription.plan.id }, { features: ['reports', 'exports'] });
    await invalidated(app, s.externalId, s.product);
    expect(await live.ask(app, s.externalId, s.product)).toMatchObject({ features: ['reports', 'exports'] });
  });

  it('ends a grace period on time from memory: the answer is judged when asked, from the cached row', async () => {
    const app = await anApp();
    const periodStart = new Date(Date.now() - 3 * DAY_MS);
    const s = await aSubscriber(app, 'PAST_DUE', periodStart);
    expect(await cached(app, s.externalId, s.product)).toMatchObject({ granted: true, reason: 'GRACE_PERIOD' });
    const hits = live.cache.hits;
    const graceEnd = periodStart.getTime() + GRACE_DAYS * DAY_MS;
    expect(await live.ask(app, s.externalId, s.product, new Date(graceEnd - 1))).toMatchObject({ granted: true });
    expect(await live.ask(app, s.externalId, s.product, new Date(graceEnd))).toMatchObject({
      granted: false,
      reason: 'SUBSCRIPTION_NOT_IN_GOOD_STANDING',
    });
    expect(live.cache.hits).toBe(hits + 2);
  });

  it('keeps at most ENTITLEMENT_CACHE_SIZE answers', async () => {
    const small = await aCache(orm, TEST_DATABASE_URL, 2);
    closing.push(small.close);
    const app = await anApp();
    for (let i = 0; i < 5; i++) await small.ask(app, `nobody-${i}`, 'none');
    expect(small.cache.size).toBe(2);
    expect(small.cache.has(app.apiClientId, 'nobody-4', 'none')).toBe(true);
    expect(small.cache.has(app.apiClientId, 'nobody-0', 'none')).toBe(false);
  });

  it('reads through to SQL while its listener is down, and starts empty once it listens again', async () => {
    const { proxy, url: proxied } = await TcpProxy.forDatabase(TEST_DATABASE_URL);
    const cut = await aCache(orm, proxied);
    closing.push(async () => {
      await cut.close();
      await proxy.down();
    });
    const cache: EntitlementCache = cut.cache;
    const app = await anApp();
    const [a, b] = await Promise.all([aSubscriber(app, 'ACTIVE'), aSubscriber(app, 'ACTIVE')]);
    await settled(cut.listener);
    await cut.ask(app, a.externalId, a.product);
    await cut.ask(app, b.externalId, b.product);
    expect(cache.size).toBe(2);

    await proxy.down();
    await eventually('the listener to notice', async () => (cut.listener.listening ? undefined : true));
    // Announced while nobody listens: only reading through can see it.
    await setStatus(a.subscriptionId, 'CANCELED');
    await setStatus(b.subscriptionId, 'PAUSED');
    const hits = cache.hits;
    expect(await cut.ask(app, a.externalId, a.product)).toMatchObject({ granted: false, status: 'CANCELED' });
    expect(cache.hits).toBe(hits);

    await proxy.up();
    await eventually('the listener to reconnect and resync', async () =>
      cut.listener.listening && cache.size === 0 ? true : undefined,
    );
    // b's entry from before the outage is gone with the rest: its change was never announced here.
    expect(await cut.ask(app, b.externalId, b.product)).toMatchObject({ granted: false, status: 'PAUSED' });
  });
});
