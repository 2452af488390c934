// Live payment and subscription status end to end: a change committed on a connection of its own (as the worker
// would) -> the table's trigger NOTIFYs in that transaction -> each API instance's LISTEN connection -> graphql-ws
// subscribers allowed to see it.
//
// graphql-ws does not acknowledge a subscription, so a test cannot know when the server has registered it: each
// subscriber is first "warmed up" with probe events (for payments, about a payment that no test changes)
// until one arrives, and only then are the changes under test committed.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, subscribe } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Orm } from '../../../src/db/orm.js';
import { Customer, Invoice, Payment, Subscription } from '../../../src/entities/index.js';
import type { PaymentStatus } from '../../../src/entities/Payment.js';
import { publishBillingEvent, type BillingEvent } from '../../../src/events/billingEvents.js';
import { BillingEventListener, LISTENER_APPLICATION_NAME } from '../../../src/events/billingEventListener.js';
import type { GraphQLContext } from '../../../src/graphql/context.js';
import { buildBillingSchema } from '../../../src/graphql/schema.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { TcpProxy } from '../../support/tcpProxy.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { TEST_DATABASE_URL } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aCustomer, admin as adminCaller, aPlan, uniqueEmail } from '../../support/fixtures.js';

const PAYMENT_UPDATED = /* GraphQL */ `
  subscription ($invoiceId: ID!) {
    paymentUpdated(invoiceId: $invoiceId) {
      id
      status
      attempt
      providerReference
      amount {
        amount
        currency
      }
    }
  }
`;
const SUBSCRIPTION_UPDATED = /* GraphQL */ `
  subscription ($id: ID!) {
    subscriptionUpdated(subscriptionId: $id) {
      id
      status
      plan {
        id
      }
      invoices {
        id
        status
      }
    }
  }
`;

interface LivePayment {
  id: string;
  status: PaymentStatus;
  attempt: number;
  providerReference: string | null;
  amount: { amount: number; currency: string };
}
interface LiveSubscription {
  id: string;
  status: string;
  plan: { id: string };
  invoices: { id: string; status: string }[];
}
interface Received<T> {
  /** The subscription field's value, when the message carries data. */
  value?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  at: number;
}

/** One graphql-ws subscription and everything it has received, with arrival times. */
class Live<T> {
  readonly received: Received<T>[] = [];
  private readonly waiters: (() => void)[] = [];
  private failure: unknown = null;
  completed = false;

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (result) =>
          this.push(() =>
            this.received.push({
              value: result.data ? Object.values(result.data)[0] : undefined,
              errors: result.errors as Received<T>['errors'],
              at: performance.now(),
            }),
          ),
        error: (error) => this.push(() => (this.failure = error)),
        complete: () => this.push(() => (this.completed = true)),
      },
    );
  }

  private push(change: () => void): void {
    change();
    for (const wake of this.waiters.splice(0)) wake();
  }

  values(since = 0): T[] {
    return this.received.slice(since).flatMap((m) => (m.value ? [m.value] : []));
  }

  /** Waits for a value matching `match` (received at index `since` or later); resolves with its index. */
  async until(what: string, match: (value: T) => boolean, timeoutMs = 10_000, since = 0): Promise<number> {
    return this.untilMessage(what, (m, index) => index >= since && m.value !== undefined && match(m.value), timeoutMs);
  }

  /** The outcome of a subscription the server refuses: one result with errors, then completion. */
  async refusal(): Promise<Received<T>> {
    return this.received[await this.untilMessage('a refusal', (m) => Boolean(m.errors), 10_000)]!;
  }

  private async untilMessage(
    what: string,
    match: (message: Received<T>, index: number) => boolean,
    timeoutMs: number,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return index;
      if (this.failure) throw new Error(`subscription failed waiting for ${what}: ${JSON.stringify(this.failure)}`);
      if (this.completed) throw new Error(`subscription completed waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

type Credentials = { authorization?: string; apiKey?: string };

interface Scene {
  customerId: string;
  subscriptionId: string;
  invoiceId: string;
  /** A payment of the invoice that no test changes, named by the warm-up probes. */
  probePaymentId: string;
}

describe('live billing events over graphql-ws', () => {
  let orm: Orm;
  let api: RunningApi;
  let secondApi: RunningApi;
  let admin: Headers;
  let ourListeners: number[] = [];
  const clients: Client[] = [];

  const listenerPids = async (): Promise<number[]> => {
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<{ pid: number }[]>(
        'select pid from pg_stat_activity where application_name = ? and datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
    return rows.map((row) => row.pid);
  };

  beforeAll(async () => {
    orm = await testOrm();
    const before = new Set(await listenerPids());
    [api, secondApi] = await Promise.all([startApi(orm), startApi(orm)]);
    admin = await adminHeaders(api, orm);
    // Other suites may run their own APIs against this database: remember which listeners are this suite's.
    ourListeners = await eventually('both APIs listening', async () => {
      const mine = (await listenerPids()).filter((pid) => !before.has(pid));
      return mine.length >= 2 ? mine : undefined;
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await api?.stop();
    await secondApi?.stop();
    await orm?.close();
  });

  function live<T>(
    on: RunningApi,
    credentials: Credentials,
    query: string,
    variables: Record<string, unknown>,
  ): Live<T> {
    const client = createClient({
      url: `${on.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: credentials,
    });
    clients.push(client);
    return new Live<T>(client, query, variables);
  }

  const asAdmin = (): Credentials => ({ authorization: admin.authorization! });
  const paymentsOf = (on: RunningApi, invoiceId: string, credentials = asAdmin()) =>
    live<LivePayment>(on, credentials, PAYMENT_UPDATED, { invoiceId });

  async function aScene(customerId?: string): Promise<Scene> {
    const [customer, plan] = await Promise.all([
      customerId ? Promise.resolve({ id: customerId }) : aCustomer(orm.em),
      aPlan(orm.em, { amount: 150_000, currency: 'KES' }),
    ]);
    const em = orm.em.fork();
    const start = new Date();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'TRIALING',
      billingAnchor: start,
    });
    const invoice = em.create(Invoice, {
      // The test database outlives runs: a number no run can repeat.
      number: `LIVE-${randomUUID()}`,
      subscription,
      customer: customer.id,
      status: 'OPEN',
      periodIndex: 0,
      periodStart: start,
      periodEnd: new Date(start.getTime() + 30 * 86_400_000),
      currency: 'KES',
      subtotal: 150_000,
      total: 150_000,
      amountDue: 150_000,
      issuedAt: start,
      dueAt: start,
    });
    const probe = em.create(Payment, {
      invoice,
      customer: customer.id,
      provider: 'MPESA',
      status: 'FAILED',
      attempt: 1,
      amount: 150_000,
      currency: 'KES',
      idempotencyKey: `${invoice.id}:1`,
    });
    await em.flush();
    return {
      customerId: customer.id,
      subscriptionId: subscription.id,
      invoiceId: invoice.id,
      probePaymentId: probe.id,
    };
  }

  function paymentEvent(scene: Scene, paymentId: string, status: string): BillingEvent {
    return { kind: 'payment', paymentId, invoiceId: scene.invoiceId, customerId: scene.customerId, status };
  }

  /** Publishes `probe` (outside any transaction) until `subscriber` shows that it receives events again. */
  async function warmUp<T>(subscriber: Live<T>, probe: BillingEvent, arrived: (value: T) => boolean): Promise<void> {
    const since = subscriber.received.length;
    const deadline = Date.now() + 15_000;
    while (!subscriber.values(since).some(arrived)) {
      if (Date.now() > deadline) throw new Error(`no probe event arrived; got ${JSON.stringify(subscriber.received)}`);
      await publishBillingEvent(orm.em.fork(), probe);
      await subscriber.until('a probe', arrived, 200, since).catch(() => undefined);
    }
  }

  const warmUpPayments = (subscriber: Live<LivePayment>, scene: Scene) =>
    warmUp(subscriber, paymentEvent(scene, scene.probePaymentId, 'FAILED'), (p) => p.id === scene.probePaymentId);

  /** As the worker would: change the payment in a transaction on a connection of its own (the table announces it). */
  async function commitPayment(paymentId: string, change: Partial<Payment>): Promise<number> {
    await orm.em.fork().transactional(async (tx) => {
      const payment = await tx.findOneOrFail(Payment, paymentId);
      Object.assign(payment, change);
      await tx.flush();
    });
    return performance.now();
  }

  /** A new charge attempt, recorded (and so announced) in one transaction. */
  async function recordPendingPayment(scene: Scene, attempt: number): Promise<string> {
    const id = randomUUID();
    await orm.em.fork().transactional(async (tx) => {
      tx.create(Payment, {
        id,
        invoice: scene.invoiceId,
        customer: scene.customerId,
        provider: 'MPESA',
        status: 'PENDING',
        attempt,
        amount: 150_000,
        currency: 'KES',
        idempotencyKey: `${scene.invoiceId}:${attempt}`,
      });
      await tx.flush();
    });
    return id;
  }

  const forPayment = (id: string, status?: string) => (p: LivePayment) =>
    p.id === id && (!status || p.status === status);

  const statusesOf = (subscriber: Live<LivePayment>, paymentId: string) =>
    subscriber
      .values()
      .filter((p) => p.id === paymentId)
      .map((p) => p.status);

  it('pushes a payment as PENDING, then SUCCEEDED, each read back after its transaction commits', async () => {
    const scene = await aScene();
    const subscriber = paymentsOf(api, scene.invoiceId);
    await warmUpPayments(subscriber, scene);

    const paymentId = await recordPendingPayment(scene, 2);
    await subscriber.until('PENDING', forPayment(paymentId, 'PENDING'));
    await commitPayment(paymentId, { status: 'SUCCEEDED', completedAt: new Date() });
    await subscriber.until('SUCCEEDED', forPayment(paymentId, 'SUCCEEDED'));

    expect(statusesOf(subscriber, paymentId)).toEqual(['PENDING', 'SUCCEEDED']);
    expect(subscriber.values().find((p) => p.id === paymentId)).toMatchObject({
      attempt: 2,
      amount: { amount: 150_000, currency: 'KES' },
    });
    expect(subscriber.received.every((m) => !m.errors)).toBe(true);

    // Commit to arrival, one event at a time (printed for the record, not asserted: machines differ).
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reference = `latency-${i}`;
      const committed = await commitPayment(paymentId, { providerReference: reference });
      const index = await subscriber.until(reference, (p) => p.providerReference === reference);
      latencies.push(subscriber.received[index]!.at - committed);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `live payment latency, commit -> graphql-ws client, over ${latencies.length} events: ` +
        `median ${latencies[latencies.length >> 1]!.toFixed(1)} ms, ` +
        `min ${latencies[0]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
  });

  it('delivers nothing for a rolled-back transaction, nor for another invoice', async () => {
    const [scene, other] = await Promise.all([aScene(), aScene()]);
    const subscriber = paymentsOf(api, scene.invoiceId);
    await warmUpPayments(subscriber, scene);
    const paymentId = await recordPendingPayment(scene, 2);
    await subscriber.until('PENDING', forPayment(paymentId, 'PENDING'));

    await expect(
      orm.em.fork().transactional(async (tx) => {
        const payment = await tx.findOneOrFail(Payment, paymentId);
        payment.status = 'FAILED';
        await tx.flush(); // the trigger has queued its NOTIFY: the rollback must drop it
        throw new Error('the charge activity failed after publishing');
      }),
    ).rejects.toThrow('the charge activity failed after publishing');
    await commitPayment(other.probePaymentId, { providerReference: 'someone else' });
    // NOTIFY is delivered in commit order: had the rolled-back event gone out, it would arrive before this one.
    await commitPayment(paymentId, { status: 'SUCCEEDED' });
    await subscriber.until('SUCCEEDED', forPayment(paymentId, 'SUCCEEDED'));

    expect(statusesOf(subscriber, paymentId)).toEqual(['PENDING', 'SUCCEEDED']);
    expect(subscriber.values().some((p) => p.id === other.probePaymentId)).toBe(false);
  });

  it('reaches subscribers of every API instance, each through its own LISTEN connection', async () => {
    const scene = await aScene();
    const first = paymentsOf(api, scene.invoiceId);
    const second = paymentsOf(secondApi, scene.invoiceId);
    await Promise.all([warmUpPayments(first, scene), warmUpPayments(second, scene)]);

    const paymentId = await recordPendingPayment(scene, 2);
    await Promise.all([first, second].map((s) => s.until('PENDING', forPayment(paymentId, 'PENDING'))));
    expect(statusesOf(first, paymentId)).toEqual(['PENDING']);
    expect(statusesOf(second, paymentId)).toEqual(['PENDING']);
  });

  it('pushes a subscription status change with its relations read fresh', async () => {
    const scene = await aScene();
    const subscriber = live<LiveSubscription>(api, asAdmin(), SUBSCRIPTION_UPDATED, { id: scene.subscriptionId });
    const event = (status: string): BillingEvent => ({
      kind: 'subscription',
      subscriptionId: scene.subscriptionId,
      customerId: scene.customerId,
      status,
    });
    await warmUp(subscriber, event('TRIALING'), (s) => s.status === 'TRIALING');
    expect(subscriber.values()[0]!.invoices).toEqual([{ id: scene.invoiceId, status: 'OPEN' }]);

    await orm.em.fork().transactional(async (tx) => {
      await tx.nativeUpdate(Subscription, { id: scene.subscriptionId }, { status: 'ACTIVE' });
      await tx.execute(`update invoices set status = 'PAID', amount_paid = amount_due where id = ?`, [scene.invoiceId]);
    });
    const index = await subscriber.until('ACTIVE', (s) => s.status === 'ACTIVE');

    const statuses = subscriber.values().map((s) => s.status);
    expect(statuses.slice(0, index).every((status) => status === 'TRIALING')).toBe(true);
    // The same operation's earlier events loaded the invoice as OPEN: each event must read it again.
    expect(subscriber.values()[index]).toEqual({
      id: scene.subscriptionId,
      status: 'ACTIVE',
      plan: { id: expect.any(String) },
      invoices: [{ id: scene.invoiceId, status: 'PAID' }],
    });
  });

  it('skips events about rows the caller can no longer see', async () => {
    const scene = await aScene();
    const subscriber = paymentsOf(api, scene.invoiceId);
    await warmUpPayments(subscriber, scene);
    const paymentId = await recordPendingPayment(scene, 2);
    await subscriber.until('PENDING', forPayment(paymentId, 'PENDING'));
    const before = subscriber.received.length;

    await orm.em.fork().nativeUpdate(Customer, { id: scene.customerId }, { deletedAt: new Date() });
    await commitPayment(paymentId, { providerReference: 'while deleted' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(subscriber.received.length).toBe(before);

    await orm.em.fork().nativeUpdate(Customer, { id: scene.customerId }, { deletedAt: null });
    await commitPayment(paymentId, { providerReference: 'restored' });
    await subscriber.until('restored', (p) => p.providerReference === 'restored');
    expect(subscriber.values().map((p) => p.providerReference)).not.toContain('while deleted');
  });

  it("shares an event's read among subscribers with the same view only: one who loses sight of the row gets nothing", async () => {
    const scene = await aScene();
    const [app, otherApp] = await Promise.all([
      apiClientHeaders(api, admin, ['read:invoices']),
      apiClientHeaders(api, admin, ['read:invoices']),
    ]);
    const move = (apiClientId: string) =>
      api.graphql(
        'mutation ($input: MoveCustomerInput!) { moveCustomer(input: $input) { id } }',
        {
          input: { customerId: scene.customerId, apiClientId },
        },
        admin,
      );
    expect((await move(app.apiClientId)).errors).toBeUndefined();
    const asApp = { apiKey: app.headers['x-api-key']! };
    // Two of each caller with the same document (one execution each per event), and one with a document of its own.
    const admins = [paymentsOf(api, scene.invoiceId), paymentsOf(api, scene.invoiceId)];
    const apps = [paymentsOf(api, scene.invoiceId, asApp), paymentsOf(api, scene.invoiceId, asApp)];
    const narrow = live<{ id: string; providerReference: string | null }>(
      api,
      asAdmin(),
      'subscription ($invoiceId: ID!) { paymentUpdated(invoiceId: $invoiceId) { id providerReference } }',
      { invoiceId: scene.invoiceId },
    );
    await Promise.all([...admins, ...apps].map((s) => warmUpPayments(s, scene)));
    await warmUp(narrow, paymentEvent(scene, scene.probePaymentId, 'FAILED'), (p) => p.id === scene.probePaymentId);

    const paymentId = await recordPendingPayment(scene, 2);
    await commitPayment(paymentId, { providerReference: 'seen by all' });
    const seen = (p: { providerReference: string | null }) => p.providerReference === 'seen by all';
    await Promise.all([...admins, ...apps].map((s) => s.until('seen by all', seen)));
    await narrow.until('seen by all', seen);
    const [first, ...rest] = [...admins, ...apps].map((s) => s.values().find(seen));
    for (const value of rest) expect(value).toEqual(first);
    expect(narrow.values().find(seen)).toEqual({ id: paymentId, providerReference: 'seen by all' });

    expect((await move(otherApp.apiClientId)).errors).toBeUndefined();
    const before = apps.map((s) => s.received.length);
    await commitPayment(paymentId, { providerReference: 'admins only' });
    await Promise.all(admins.map((s) => s.until('admins only', (p) => p.providerReference === 'admins only')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(apps.map((s) => s.received.length)).toEqual(before);
  });

  describe('authorization at subscribe time', () => {
    let scene: Scene;
    let customerUser: { authorization: string };
    let ownScene: Scene;

    beforeAll(async () => {
      scene = await aScene();
      const email = uniqueEmail('live');
      const password = 'acacia-tree-at-noon-9';
      await api.graphql('mutation ($i: RegisterInput!) { register(input: $i) { id } }', {
        i: { email, password, name: 'Live Viewer' },
      });
      const login = await api.graphql<{ login: { accessToken: string; user: { customer: { id: string } } } }>(
        'mutation ($i: LoginInput!) { login(input: $i) { accessToken user { customer { id } } } }',
        { i: { email, password } },
      );
      customerUser = { authorization: `Bearer ${login.data!.login.accessToken}` };
      ownScene = await aScene(login.data!.login.user.customer.id);
    });

    const codeOf = async <T>(subscriber: Live<T>) => (await subscriber.refusal()).errors![0]!.extensions!.code;

    it("answers NOT_FOUND for another customer's invoice or subscription, as for one that does not exist", async () => {
      expect(await codeOf(paymentsOf(api, scene.invoiceId, customerUser))).toBe('NOT_FOUND');
      expect(await codeOf(live(api, customerUser, SUBSCRIPTION_UPDATED, { id: scene.subscriptionId }))).toBe(
        'NOT_FOUND',
      );
      expect(await codeOf(paymentsOf(api, randomUUID()))).toBe('NOT_FOUND');
      expect(await codeOf(paymentsOf(api, 'not-a-uuid'))).toBe('NOT_FOUND');
    });

    it("answers NOT_FOUND to an app for another app's customer, and FORBIDDEN without read:invoices", async () => {
      const reader = await apiClientHeaders(api, admin, ['read:invoices', 'read:subscriptions']);
      expect(await codeOf(paymentsOf(api, scene.invoiceId, { apiKey: reader.headers['x-api-key']! }))).toBe(
        'NOT_FOUND',
      );
      const plansOnly = await apiClientHeaders(api, admin, ['read:plans']);
      const key = { apiKey: plansOnly.headers['x-api-key']! };
      expect(await codeOf(live(api, key, PAYMENT_UPDATED, { invoiceId: scene.invoiceId }))).toBe('FORBIDDEN');
      expect(await codeOf(live(api, key, SUBSCRIPTION_UPDATED, { id: scene.subscriptionId }))).toBe('FORBIDDEN');
    });

    it('lets a customer user follow their own invoice', async () => {
      const subscriber = paymentsOf(api, ownScene.invoiceId, customerUser);
      await warmUpPayments(subscriber, ownScene);
      const paymentId = await recordPendingPayment(ownScene, 2);
      await subscriber.until('PENDING', forPayment(paymentId, 'PENDING'));
      expect(subscriber.received.every((m) => !m.errors)).toBe(true);
    });
  });

  it('keeps delivering after its LISTEN connection is terminated', async () => {
    const scene = await aScene();
    const subscriber = paymentsOf(api, scene.invoiceId);
    await warmUpPayments(subscriber, scene);

    const terminated = new Set(ourListeners);
    const others = new Set((await listenerPids()).filter((pid) => !terminated.has(pid)));
    await orm.em
      .fork()
      .getConnection()
      .execute('select pg_terminate_backend(pid) from pg_stat_activity where pid = any(?::int[])', [
        `{${ourListeners.join(',')}}`,
      ]);
    ourListeners = await eventually('both listeners back on new connections', async () => {
      const now = await listenerPids();
      const back = now.filter((pid) => !terminated.has(pid) && !others.has(pid));
      return back.length >= 2 && now.every((pid) => !terminated.has(pid)) ? back : undefined;
    });

    // Probe until one arrives again: the listener is back.
    await warmUpPayments(subscriber, scene);
    const paymentId = await recordPendingPayment(scene, 2);
    await subscriber.until('PENDING after reconnecting', forPayment(paymentId, 'PENDING'));
    expect(subscriber.completed).toBe(false);
  });

  it('sends a change committed while its LISTEN connection was down once it is back, and nothing when none was', async () => {
    // An API whose listener reaches Postgres through a proxy the test can cut; its queries go direct.
    const { proxy, url: proxied } = await TcpProxy.forDatabase(TEST_DATABASE_URL);
    const cutOff = await startApi(orm, { env: { DATABASE_URL: proxied } });
    try {
      const scene = await aScene();
      const subscriber = paymentsOf(cutOff, scene.invoiceId);
      await warmUpPayments(subscriber, scene);

      await proxy.down();
      // Announced while nobody in that process listens: the NOTIFY is lost for it.
      const paymentId = await recordPendingPayment(scene, 2);
      await proxy.up();
      await subscriber.until('the missed PENDING, after the reconnect', forPayment(paymentId, 'PENDING'), 15_000);

      // A second outage in which nothing changes: the reconnect sends nothing new.
      await proxy.down();
      await proxy.up();
      await warmUpPayments(subscriber, scene);
      expect(statusesOf(subscriber, paymentId)).toEqual(['PENDING']);
      expect(subscriber.received.every((m) => !m.errors)).toBe(true);
    } finally {
      await cutOff.stop();
      await proxy.down();
    }
  });

  it('resends a subscription whose invoice was paid while its LISTEN connection was down (its row unchanged)', async () => {
    const { proxy, url: proxied } = await TcpProxy.forDatabase(TEST_DATABASE_URL);
    const cutOff = await startApi(orm, { env: { DATABASE_URL: proxied } });
    try {
      const scene = await aScene();
      const subscriber = live<LiveSubscription>(cutOff, asAdmin(), SUBSCRIPTION_UPDATED, { id: scene.subscriptionId });
      const probe: BillingEvent = {
        kind: 'subscription',
        subscriptionId: scene.subscriptionId,
        customerId: scene.customerId,
        status: 'TRIALING',
      };
      await warmUp(subscriber, probe, (s) => s.id === scene.subscriptionId);

      await proxy.down();
      // Only the invoice changes: the subscription's own row (status, last update) stays as it was.
      await orm.em
        .fork()
        .execute(`update invoices set status = 'PAID', amount_paid = amount_due where id = ?`, [scene.invoiceId]);
      await proxy.up();
      await subscriber.until(
        'the subscription again, its invoice PAID',
        (s) => s.invoices.some((invoice) => invoice.status === 'PAID'),
        15_000,
      );
    } finally {
      await cutOff.stop();
      await proxy.down();
    }
  });

  it('answers SERVICE_UNAVAILABLE where the process has no event source', async () => {
    const schema = await buildBillingSchema();
    const context = { caller: adminCaller } as GraphQLContext;
    const result = await subscribe({
      schema,
      document: parse(PAYMENT_UPDATED),
      variableValues: { invoiceId: randomUUID() },
      contextValue: context,
    });
    expect((result as { errors?: { extensions: unknown }[] }).errors?.[0]?.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});

describe('BillingEventListener', () => {
  let orm: Orm;

  beforeAll(async () => {
    orm = await testOrm();
  });
  afterAll(async () => {
    await orm?.close();
  });

  it('keeps the newest events for a subscriber that falls behind and then resyncs it, ignores foreign payloads, and ends on return()', async () => {
    const listener = new BillingEventListener({ connectionString: TEST_DATABASE_URL, bufferSize: 5 });
    try {
      await listener.start();
      expect(listener.listening).toBe(true);
      const tag = randomUUID();
      let offered = 0;
      const events = listener.subscribe((e) => {
        const mine = e.kind === 'subscription' && e.subscriptionId === tag;
        if (mine) offered += 1;
        return mine;
      });
      // This test's events only: other suites share the database and announce their own rows meanwhile.
      const other = listener.subscribe((e) => e.kind === 'subscription' && e.subscriptionId === tag);
      await orm.em.fork().getConnection().execute("select pg_notify('billing_events', 'not an event')");
      for (let i = 0; i < 8; i++) {
        await publishBillingEvent(orm.em.fork(), {
          kind: 'subscription',
          subscriptionId: tag,
          customerId: tag,
          status: `S${i}`,
        });
      }
      await eventually('all eight offered', async () => (offered === 8 ? true : undefined));

      const statuses: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { value } = await events.next();
        statuses.push((value as Extract<BillingEvent, { kind: 'subscription' }>).status);
      }
      expect(statuses).toEqual(['S3', 'S4', 'S5', 'S6', 'S7']);
      // Three were dropped: a resync follows, so the consumer reads the current state.
      expect(await events.next()).toEqual({ value: { kind: 'resync' }, done: false });
      const waiting = events.next();
      await events.return!();
      expect(await waiting).toEqual({ value: undefined, done: true });

      // The other subscriber is unaffected by the first one's return, and then by close().
      expect((await other.next()).value).toMatchObject({ kind: 'subscription' });
      const pending = (async () => {
        for (;;) {
          const result = await other.next();
          if (result.done) return result;
        }
      })();
      await listener.close();
      expect(await pending).toEqual({ value: undefined, done: true });
      expect(listener.listening).toBe(false);
      expect(await listener.subscribe(() => true).next()).toEqual({ value: undefined, done: true });
    } finally {
      await listener.close();
    }
  });

  it('retries a database it cannot reach, warning once per outage without printing the connection string', async () => {
    const warnings: string[] = [];
    const log = { warn: (m: string, f?: unknown) => warnings.push(m + JSON.stringify(f)), info: () => undefined };
    const listener = new BillingEventListener({
      connectionString: 'postgres://billing:s3cret-password@127.0.0.1:1/billing',
      log,
      initialBackoffMs: 20,
    });
    try {
      await expect(listener.start()).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(warnings).toHaveLength(1);
      expect(warnings.join()).not.toContain('s3cret-password');
      expect(listener.listening).toBe(false);
    } finally {
      await listener.close();
    }
  });
});
