// Workers die: an OOM kill, a node drained without notice, a deploy that does not wait. These tests kill them where
// it hurts and check the standard: never two invoices for one period, never two charges for one invoice attempt.
//
// 1. A real worker process (dist/worker.js) is SIGKILLed while two M-Pesa pushes are in flight, one held before
//    Daraja saw it and one whose answer Daraja sent but the worker never read; a second process takes over.
// 2. On the time-skipping server, a period ends while no worker runs, then two workers share the task queue across
//    another period end: every period is invoiced exactly once.
import { SubscriptionLifecycle } from '../../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../../src/activities/index.js';
import { subscribe } from '../../../src/billing/subscribe.js';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment, Subscription, WebhookEvent } from '../../../src/entities/index.js';
import { paymentServices } from '../../../src/payments/providers.js';
import { collectionPolicy } from '../../../src/http/apiDependencies.js';
import { subscriptionStateQuery } from '../../../src/workflows/index.js';
import { createMpesaSandbox, type MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testCipher, testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { eventually, until } from '../../support/eventually.js';
import { aCustomer, admin, aPlan } from '../../support/fixtures.js';
import {
  billingWorker,
  devServerEnvironment,
  timeSkippingEnvironment,
  workflowBundle,
} from '../../support/temporal.js';
import { buildWorker, killAllWorkers, WorkerProcess, type WorkerBuild } from '../../support/workerProcess.js';

const STK_PUSH = '/mpesa/stkpush/v1/processrequest';

interface Push {
  phone: string;
  at: number;
  /** 'request': Daraja never saw it; 'response': Daraja answered, the worker never got the answer. */
  held: 'request' | 'response' | null;
  checkoutRequestId: string | null;
  /** The worker's side of a held exchange went away (its process died). */
  abandoned: boolean;
}

/**
 * An HTTP relay between the worker and the Daraja sandbox that can hold the next STK push of a phone, either before
 * forwarding it or after Daraja has answered, so that a kill lands at a known point of a charge.
 */
class StkRelay {
  readonly pushes: Push[] = [];
  private readonly holds = new Map<string, 'request' | 'response'>();
  private readonly server: Server;

  constructor(private readonly target: string) {
    this.server = createServer((req, res) => void this.relay(req, res).catch(() => res.destroy()));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** The next push to this phone (2547XXXXXXXX) is held at the given point; later ones pass. */
  hold(phone: string, point: 'request' | 'response'): void {
    this.holds.set(phone, point);
  }

  pushesTo(phone: string): Push[] {
    return this.pushes.filter((push) => push.phone === phone);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const isPush = req.method === 'POST' && req.url === STK_PUSH;
    const phone = isPush ? String((JSON.parse(body.toString()) as { PhoneNumber: unknown }).PhoneNumber) : '';
    const held = isPush ? (this.holds.get(phone) ?? null) : null;
    if (held) this.holds.delete(phone);
    const push: Push | null = isPush
      ? { phone, at: Date.now(), held, checkoutRequestId: null, abandoned: false }
      : null;
    if (push) {
      this.pushes.push(push);
      res.on('close', () => void (push.abandoned = !res.writableEnded));
    }
    if (held === 'request') return; // never forwarded, never answered

    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(`${this.target}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : body,
    });
    const answer = await upstream.text();
    if (push && upstream.ok)
      push.checkoutRequestId = (JSON.parse(answer) as { CheckoutRequestID: string }).CheckoutRequestID;
    if (held === 'response') return; // Daraja accepted it; the answer goes nowhere
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(answer);
  }
}

/** One build of dist/worker.js for the whole file, made when a test first needs it. */
let built: Promise<WorkerBuild> | undefined;
const workerBuild = () => (built ??= buildWorker());

afterAll(async () => {
  await killAllWorkers();
  await (await built?.catch(() => undefined))?.remove();
});

const SUBSCRIBE = /* GraphQL */ `
  mutation ($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
    }
  }
`;
const PLAN_KES = 150_000; // KES 1,500.00
const CALLBACK_SECRET = 'killed-worker-callback-secret-0123';

describe('a worker process SIGKILLed in the middle of M-Pesa charges', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let sandbox: MpesaSandbox;
  let relay: StkRelay;
  let api: RunningApi;
  let admin: Headers;
  let build: WorkerBuild;
  let workerSettings: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const taskQueue = `killed-worker-${randomUUID()}`;

  beforeAll(async () => {
    // The Temporal dev server and the build both take seconds; neither needs the other.
    const building = workerBuild();
    orm = await testOrm();
    sandbox = createMpesaSandbox({ consumerKey: 'ck', consumerSecret: 'cs', passkey: 'pk', callbackDelayMs: 200 });
    const sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
    relay = new StkRelay(sandboxUrl);
    const relayUrl = await relay.listen();
    env = await devServerEnvironment();
    const settings = {
      MPESA_CONSUMER_KEY: 'ck',
      MPESA_CONSUMER_SECRET: 'cs',
      MPESA_PASSKEY: 'pk',
      MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
      MPESA_CALLBACK_WAIT_SECONDS: '1',
    };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: { ...settings, MPESA_BASE_URL: sandboxUrl } });
    admin = await adminHeaders(api, orm);
    workerSettings = {
      ...settings,
      MPESA_BASE_URL: relayUrl,
      PUBLIC_URL: api.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
    };
    build = await building;
    const startedAt = Date.now();
    workers.push(await WorkerProcess.start(build, workerSettings));
    console.log(`worker process ready in ${Date.now() - startedAt} ms`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.stop();
    await env?.teardown();
    await relay?.close();
    await sandbox?.close();
    await orm?.close();
  });

  let nextPhone = 0;
  /** A Kenyan mobile of its own per case: the sandbox's prompt lock and 2-minute rule are per phone. */
  const aPhone = () => `0712${String(Date.now() % 100_000).padStart(5, '0')}${nextPhone++}`;
  const darajaPhone = (local: string) => `254${local.slice(1)}`;

  async function subscribeWith(phone: string): Promise<string> {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: PLAN_KES, currency: 'KES', trialDays: 0 }),
    ]);
    const result = await api.graphql<{ subscribe: { id: string } }>(
      SUBSCRIBE,
      { input: { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone } } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.subscribe.id;
  }

  const invoicesOf = (subscriptionId: string) => orm.em.fork().find(Invoice, { subscription: subscriptionId });
  const paymentsOf = (invoiceId: string) =>
    orm.em.fork().find(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'asc' } });
  const ledgerFor = (phone: string) => sandbox.ledger().filter((entry) => entry.phone === darajaPhone(phone));

  interface Charge {
    phone: string;
    subscriptionId: string;
    invoiceId: string;
  }
  interface Crash {
    beforeDaraja: Charge;
    afterDaraja: Charge;
    killedAt: number;
  }

  /**
   * One kill for both cases (a worker crash hits whatever is in flight, and the retry after it takes a minute and a
   * half, so one kill keeps this file at half the time): the first `it` to ask runs it, the other waits for it.
   */
  let crashed: Promise<Crash> | undefined;
  const crash = () => (crashed ??= crashWhileTwoPushesAreHeld());

  async function crashWhileTwoPushesAreHeld(): Promise<Crash> {
    const [phoneA, phoneB] = [aPhone(), aPhone()];
    relay.hold(darajaPhone(phoneA), 'request');
    relay.hold(darajaPhone(phoneB), 'response');
    const [subscriptionA, subscriptionB] = await Promise.all([subscribeWith(phoneA), subscribeWith(phoneB)]);

    await until(() => {
      expect(relay.pushesTo(darajaPhone(phoneA)).map((push) => push.held)).toEqual(['request']);
      expect(relay.pushesTo(darajaPhone(phoneB)).map((push) => push.held)).toEqual(['response']);
      expect(relay.pushesTo(darajaPhone(phoneB))[0]!.checkoutRequestId).toMatch(/^ws_CO_/);
    }, 30_000);

    const [first] = workers;
    const exit = await first!.kill('SIGKILL');
    const killedAt = Date.now();
    expect(exit.signal).toBe('SIGKILL');
    // Both exchanges were cut by the process dying, not finished: the kill landed mid-charge.
    await until(() =>
      expect(relay.pushes.filter((push) => push.held).map((push) => push.abandoned)).toEqual([true, true]),
    );

    const [invoiceA] = await invoicesOf(subscriptionA);
    const [invoiceB] = await invoicesOf(subscriptionB);
    // Record first: each attempt's row was committed before its push, and the kill left it without a reference.
    // Daraja did accept B's push, so its callback may already have been adopted by B's row (never A's) under load.
    const heldB = relay.pushesTo(darajaPhone(phoneB))[0]!.checkoutRequestId;
    expect((await paymentsOf(invoiceA!.id)).map((p) => [p.attempt, p.status, p.providerReference])).toEqual([
      [1, 'PENDING', null],
    ]);
    expect((await paymentsOf(invoiceB!.id)).map((p) => [p.attempt, p.status])).toEqual([[1, 'PENDING']]);
    expect([null, heldB]).toContain((await paymentsOf(invoiceB!.id))[0]!.providerReference);

    workers.push(await WorkerProcess.start(build, workerSettings));
    console.log(`second worker process ready ${Date.now() - killedAt} ms after the kill`);
    return {
      beforeDaraja: { phone: phoneA, subscriptionId: subscriptionA, invoiceId: invoiceA!.id },
      afterDaraja: { phone: phoneB, subscriptionId: subscriptionB, invoiceId: invoiceB!.id },
      killedAt,
    };
  }

  it('a push killed before Daraja saw it is made once by the next worker, on the same row: one payment, one charge, PAID', async () => {
    const { beforeDaraja: charge, killedAt } = await crash();

    // Temporal hands the activity to the new worker once it misses its heartbeats (5 s), not after its start-to-close.
    await until(async () => {
      expect((await paymentsOf(charge.invoiceId)).map((p) => [p.attempt, p.status])).toEqual([[1, 'SUCCEEDED']]);
    }, 150_000);
    const [retried] = relay.pushesTo(darajaPhone(charge.phone)).filter((push) => !push.held);
    console.log(
      `killed before Daraja: pushed again ${retried!.at - killedAt} ms after the kill, PAID ${Date.now() - killedAt} ms after it`,
    );

    const payments = await paymentsOf(charge.invoiceId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      attempt: 1,
      idempotencyKey: `invoice-${charge.invoiceId}-attempt-1`,
      providerReference: retried!.checkoutRequestId,
      amount: PLAN_KES,
    });
    // The schema backs the code: (invoice, attempt) cannot have a second row whatever a retry does.
    const [{ count }] = (await orm.em
      .getConnection()
      .execute(
        `select count(*)::int as count from pg_constraint where conname = 'payments_invoice_attempt_unique' and contype = 'u'`,
      )) as [{ count: number }];
    expect(count).toBe(1);

    // Daraja saw one push, and the customer paid once.
    expect(relay.pushesTo(darajaPhone(charge.phone)).map((push) => push.held)).toEqual(['request', null]);
    expect(ledgerFor(charge.phone)).toEqual([
      expect.objectContaining({ amount: PLAN_KES / 100, checkoutRequestId: retried!.checkoutRequestId }),
    ]);
    const invoices = await invoicesOf(charge.subscriptionId);
    expect(invoices.map((invoice) => [invoice.periodIndex, invoice.status])).toEqual([[0, 'PAID']]);
    expect((await orm.em.fork().findOneOrFail(Subscription, { id: charge.subscriptionId })).status).toBe('ACTIVE');
  }, 240_000);

  it('a push whose answer died with the worker is recognised by its paid callback and confirmed, not pushed again: one charge, invoice PAID', async () => {
    const { afterDaraja: charge, killedAt } = await crash();

    // Daraja accepted the first push and the customer paid it, but its CheckoutRequestID died with the worker before
    // it was recorded (the residual risk in src/payments/mpesa/MpesaProvider.ts). The paid prompt's callback names
    // that unknown CheckoutRequestID; exactly one M-Pesa payment was waiting for its first answer with that phone
    // and amount, so the callback is adopted (src/payments/webhooks/adoptOrphanPush.ts): the retried activity finds
    // a reference and asks Daraja (STK Query) instead of pushing a second prompt.
    const payment = await until(async () => {
      const payments = await paymentsOf(charge.invoiceId);
      expect(payments.map((p) => [p.attempt, p.status])).toEqual([[1, 'SUCCEEDED']]);
      return payments[0]!;
    }, 150_000);
    console.log(`killed after Daraja accepted: confirmed ${Date.now() - killedAt} ms after the kill`);
    const pushes = relay.pushesTo(darajaPhone(charge.phone));
    expect(pushes).toEqual([expect.objectContaining({ held: 'response', abandoned: true })]);
    expect(payment.providerReference).toBe(pushes[0]!.checkoutRequestId);
    expect(ledgerFor(charge.phone)).toEqual([
      expect.objectContaining({ amount: PLAN_KES / 100, checkoutRequestId: pushes[0]!.checkoutRequestId }),
    ]);
    const adopted = await orm.em
      .fork()
      .findOneOrFail(WebhookEvent, { provider: 'MPESA', eventKey: `${pushes[0]!.checkoutRequestId}:0` });
    expect(adopted).toMatchObject({ status: 'ACCEPTED', paymentId: payment.id });
    const invoices = await invoicesOf(charge.subscriptionId);
    expect(invoices.map((invoice) => [invoice.periodIndex, invoice.status])).toEqual([[0, 'PAID']]);
    expect((await orm.em.fork().findOneOrFail(Subscription, { id: charge.subscriptionId })).status).toBe('ACTIVE');
  }, 240_000);
});

describe('a worker stopped mid-period and new ones started (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  const running: { worker: Worker; run: Promise<void> }[] = [];
  const taskQueue = `restarted-worker-${randomUUID()}`;
  // The test server stops skipping time while a workflow task waits for a worker, so with no worker running it can
  // only jump to the first timer of a run. Without the renewal reminder (7 days before the end) that timer is the
  // period end itself, which is the moment this test is about.
  const collection = collectionPolicy(testConfig({ RENEWAL_REMINDER_DAYS: '0' }));
  /** Past a period end, so its timer has certainly fired; spent at wall-clock speed once it has (see above). */
  const PAST_THE_END_MS = 1_000;

  beforeAll(async () => {
    [env, orm] = await Promise.all([timeSkippingEnvironment(), testOrm()]);
  }, 60_000);

  afterAll(async () => {
    await stopWorkers();
    await env?.teardown();
    await orm?.close();
  });

  async function startWorker(): Promise<void> {
    const worker = await billingWorker(env, orm, taskQueue);
    running.push({ worker, run: worker.run() });
  }

  /**
   * A worker without a workflow cache, for the one that is stopped. A cached workflow's next task goes to its
   * worker's sticky queue; the real server moves it to the shared queue when that worker shuts down or after the
   * sticky timeout (the SIGKILL test above relies on that), but the time-skipping server implements neither, and the
   * task would wait for the stopped worker for ever. Without a cache there is no sticky queue to strand it in.
   */
  async function startUncachedWorker(): Promise<void> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ em: orm.em, payments: paymentServices(testConfig().payments) }),
      maxCachedWorkflows: 0,
    });
    running.push({ worker, run: worker.run() });
  }

  async function stopWorkers(): Promise<void> {
    for (const { worker } of running) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.all(running.splice(0).map(({ run }) => run));
  }

  /** [period start, period index, invoices] per period: a missed period is absent, a doubled one counts 2. */
  async function invoicesPerPeriod(subscriptionId: string): Promise<[string, number, number][]> {
    const rows = (await orm.em.getConnection().execute(
      `select period_start, period_index, count(*)::int as count from invoices
        where subscription_id = ? group by period_start, period_index order by period_start`,
      [subscriptionId],
    )) as { period_start: Date; period_index: number; count: number }[];
    return rows.map((row) => [new Date(row.period_start).toISOString(), row.period_index, row.count]);
  }

  const serverNow = async () => Number(await env.currentTimeMs());

  it('a period that ends while no worker runs is invoiced once when one comes back, and two workers at once still invoice each period once', async () => {
    await startUncachedWorker();
    // Several subscriptions, so that two workers polling one queue actually share the work.
    const subscriptions = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const [customer, plan] = await Promise.all([
          aCustomer(orm.em),
          aPlan(orm.em, { amount: 99_900, currency: 'KES', trialDays: 0 }),
        ]);
        return subscribe(
          orm.em,
          admin,
          new SubscriptionLifecycle(env.client, taskQueue, collection),
          testCipher(),
          { customerId: customer.id, planId: plan.id },
          new Date(await serverNow()),
        );
      }),
    );
    const handles = subscriptions.map((subscription) => env.client.workflow.getHandle(subscription.workflowId));
    const stateOf = (i: number) => handles[i]!.query(subscriptionStateQuery);

    // Period 0 is invoiced and its collection waits for a payment method until the period ends.
    for (const i of subscriptions.keys()) {
      await until(async () =>
        expect(await stateOf(i)).toMatchObject({ periodIndex: 0, collection: { outcome: 'NO_PAYMENT_METHOD' } }),
      );
    }
    const periodEnd = async (index: number) => {
      const invoices = await orm.em
        .fork()
        .find(Invoice, { subscription: subscriptions.map((s) => s.id), periodIndex: index });
      return Math.max(...invoices.map((invoice) => invoice.periodEnd.getTime()));
    };
    const firstEnd = await periodEnd(0);

    // Halfway through the period the worker goes away, and the period ends while none runs.
    await env.sleep((firstEnd - (await serverNow())) / 2);
    await stopWorkers();
    await env.sleep(firstEnd - (await serverNow()) + PAST_THE_END_MS);
    for (const subscription of subscriptions) expect(await invoicesPerPeriod(subscription.id)).toHaveLength(1);

    const restartedAt = Date.now();
    await startWorker();
    for (const [i, subscription] of subscriptions.entries()) {
      await eventually('the renewal invoice', async () =>
        (await invoicesPerPeriod(subscription.id)).length === 2 ? true : undefined,
      );
      await until(async () => expect((await stateOf(i)).periodIndex).toBe(1));
    }
    console.log(`renewals issued ${Date.now() - restartedAt} ms after the new worker started`);
    for (const subscription of subscriptions) {
      const periods = await invoicesPerPeriod(subscription.id);
      expect(periods.map(([, index, count]) => [index, count])).toEqual([
        [0, 1],
        [1, 1],
      ]);
    }

    // Two workers on one queue across the next period end: this one and a dist/worker.js process.
    const other = await WorkerProcess.start(await workerBuild(), {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    await env.sleep((await periodEnd(1)) - (await serverNow()) + PAST_THE_END_MS);
    for (const [i, subscription] of subscriptions.entries()) {
      await eventually('the second renewal invoice', async () =>
        (await invoicesPerPeriod(subscription.id)).length === 3 ? true : undefined,
      );
      await until(async () => expect((await stateOf(i)).periodIndex).toBe(2));
    }
    for (const subscription of subscriptions) {
      const invoices = await orm.em
        .fork()
        .find(Invoice, { subscription: subscription.id }, { orderBy: { periodIndex: 'asc' } });
      expect(invoices.map((invoice) => invoice.periodIndex)).toEqual([0, 1, 2]);
      // Contiguous and distinct: each period starts where the previous ended, each has its own number.
      for (const [k, invoice] of invoices.entries()) {
        if (k > 0) expect(invoice.periodStart.toISOString()).toBe(invoices[k - 1]!.periodEnd.toISOString());
      }
      expect(new Set(invoices.map((invoice) => invoice.number)).size).toBe(3);
      expect((await invoicesPerPeriod(subscription.id)).map(([, , count]) => count)).toEqual([1, 1, 1]);
    }
    // Which worker ran what is the server's choice: shown, not asserted.
    const share: Record<string, number> = {};
    for (const handle of handles) {
      for (const event of (await handle.fetchHistory()).events ?? []) {
        const identity =
          event.activityTaskStartedEventAttributes?.identity ?? event.workflowTaskStartedEventAttributes?.identity;
        if (!identity) continue;
        const who = identity === `${other.pid}@${hostname()}` ? 'worker process' : 'in-process worker';
        share[who] = (share[who] ?? 0) + 1;
      }
    }
    console.log(`period 2 tasks (workflow and activity) by worker: ${JSON.stringify(share)}`);
    await other.stop();
  }, 120_000);
});
