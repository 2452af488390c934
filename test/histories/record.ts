// Records the workflow histories that test/workflows/replay.test.ts replays. Run by hand, never by CI: the file name
// is not *.test.ts, so the suite does not pick it up. How and when to run it: README.md beside this file.
//
// Each scenario runs the real workflow code, the real activities and Postgres, then saves the history of one run
// as Temporal's JSON history format (what `temporal workflow show --output json` prints), formatted by prettier.
import { SubscriptionLifecycle } from '../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { format, resolveConfig } from 'prettier';
import { cancelSubscription, uncancelSubscription } from '../../src/billing/requests/cancelSubscription.js';
import { changePlan } from '../../src/billing/requests/changePlan.js';
import { pauseSubscription, resumeSubscription } from '../../src/billing/requests/pauseSubscription.js';
import { subscribe } from '../../src/billing/subscribe.js';
import { createPlan } from '../../src/catalog/createPlan.js';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, Payment, Subscription } from '../../src/entities/index.js';
import { collectionPolicy } from '../../src/http/apiDependencies.js';
import { subscriptionStateQuery } from '../../src/workflows/index.js';
import { createMpesaSandbox } from '../../sandboxes/mpesa/server.js';
import { createPaypalSandbox } from '../../sandboxes/paypal/server.js';
import { Refund, refundWorkflowId } from '../../src/entities/Refund.js';
import { PaypalProvider } from '../../src/payments/paypal/PaypalProvider.js';
import { requestRefund } from '../../src/refunds/requestRefund.js';
import { RefundWorkflows } from '../../src/temporal/refundWorkflows.js';
import { aPaidPayment } from '../support/refundFixtures.js';
import { startApi } from '../support/api.js';
import { adminHeaders } from '../support/callers.js';
import { testCipher, testConfig } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { eventually, until } from '../support/eventually.js';
import { aCustomer, admin, aPlan } from '../support/fixtures.js';
import { billingWorker, devServerEnvironment, timeSkippingEnvironment } from '../support/temporal.js';
import { historyToJSON } from './historyJson.js';
import { scenario } from '../support/lifecycleScenario.js';
import { registerPaybill } from '../support/paybill.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { requestStandingOrder } from '../../src/payments/ratiba/requestStandingOrder.js';
import { StandingOrderWorkflows } from '../../src/temporal/standingOrderWorkflows.js';
import { StandingOrder, standingOrderWorkflowId } from '../../src/entities/StandingOrder.js';
import { NO_TAX } from '../../src/domain/tax.js';

const HISTORIES_DIR = process.env.HISTORIES_DIR ?? import.meta.dirname;
// The commit recorded from, in the names of the lifecycle scenarios' files (an archive has no .git to ask).
const COMMIT = process.env.RECORD_COMMIT;
const DAY = 86_400_000;

async function save(name: string, history: History): Promise<void> {
  const path = join(HISTORIES_DIR, name);
  // The repository's prettier settings wherever the file goes, so a recording copied in passes `npm run lint`.
  const settings = await resolveConfig(join(import.meta.dirname, 'record.ts'));
  const text = await format(historyToJSON(history), { ...settings, parser: 'json' });
  // A history carries ids and amounts only; a phone number in it would be a leak (docs/architecture.md, "Rules").
  // Payloads are base64 in this format, so they are decoded and looked at as well.
  const payloads = [...text.matchAll(/"data": "([A-Za-z0-9+/=]*)"/g)].map(([, data]) =>
    Buffer.from(data!, 'base64').toString('utf8'),
  );
  for (const content of [text, ...payloads]) expect(content).not.toMatch(/2547\d{8}|\b07\d{8}\b/);
  // A committed history is evidence of what ran; replacing one is a decision (README.md), not a side effect.
  await writeFile(path, text, { flag: process.env.OVERWRITE_HISTORIES === '1' ? 'w' : 'wx' });
  console.log(`recorded ${path}: ${history.events?.length} events`);
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function running(
  env: TestWorkflowEnvironment,
  orm: Orm,
  taskQueue: string,
  settings?: Record<string, string>,
): Promise<Worker> {
  const worker = await billingWorker(env, orm, taskQueue, settings);
  const run = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await run;
  });
  return worker;
}

describe('record workflow histories', () => {
  it('subscription-trial-renewal.json and subscription-renewal.json: a trial, its first invoice, one renewal', async () => {
    const [env, orm] = await Promise.all([timeSkippingEnvironment(), testOrm()]);
    cleanups.push(
      () => orm.close(),
      () => env.teardown(),
    );
    const taskQueue = `record-trial-${randomUUID()}`;
    await running(env, orm, taskQueue);

    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 250_000, currency: 'KES', trialDays: 14 }),
    ]);
    const subscription = await subscribe(
      orm.em,
      admin,
      new SubscriptionLifecycle(env.client, taskQueue),
      testCipher(),
      { customerId: customer.id, planId: plan.id },
      new Date((await env.currentTimeMs()) as number),
    );
    const handle = env.client.workflow.getHandle(subscription.workflowId);
    const invoiceCount = (count: number) =>
      eventually(`${count} invoices`, async () => {
        const rows = await orm.em.fork().count(Invoice, { subscription: subscription.id });
        return rows === count ? rows : undefined;
      });

    // Run 0: the trial, period 0's invoice, a collection without a payment method, continue-as-new.
    await env.sleep(14 * DAY + 60_000);
    await invoiceCount(1);
    const trialRun = (await handle.describe()).runId;
    // Run 1: period 1's invoice and its wait, until it continues as new in turn.
    await env.sleep(31 * DAY);
    await invoiceCount(2);
    const renewalRun = (await handle.describe()).runId;
    await env.sleep(31 * DAY);
    await invoiceCount(3);

    await save(
      'subscription-trial-renewal.json',
      await env.client.workflow.getHandle(subscription.workflowId, trialRun).fetchHistory(),
    );
    await save(
      'subscription-renewal.json',
      await env.client.workflow.getHandle(subscription.workflowId, renewalRun).fetchHistory(),
    );
  }, 120_000);

  it('subscription-mpesa-soft-decline.json: STK Push declined (1032), retried on the schedule, paid', async () => {
    const orm = await testOrm();
    cleanups.push(() => orm.close());
    const sandbox = createMpesaSandbox({ consumerKey: 'ck', consumerSecret: 'cs', passkey: 'pk', callbackDelayMs: 50 });
    const sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
    cleanups.push(() => sandbox.close());
    const env = await devServerEnvironment();
    cleanups.push(() => env.teardown());
    const taskQueue = `record-mpesa-${randomUUID()}`;
    const settings = {
      MPESA_BASE_URL: sandboxUrl,
      MPESA_CONSUMER_KEY: 'ck',
      MPESA_CONSUMER_SECRET: 'cs',
      MPESA_PASSKEY: 'pk',
      MPESA_CALLBACK_SECRET: 'record-callback-secret-0123456789',
      MPESA_CALLBACK_WAIT_SECONDS: '1',
      // About two seconds between a decline and its retry, so the recording takes seconds rather than a day.
      PAYMENT_RETRY_DAYS: '0.00002,0.00002',
    };
    // The API receives the sandbox's callbacks and signals the workflow, as in production.
    const api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    cleanups.push(() => api.stop());
    await running(env, orm, taskQueue, { ...settings, PUBLIC_URL: api.url });

    const phone = `0711${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const darajaPhone = `254${phone.slice(1)}`;
    sandbox.script(darajaPhone, { kind: 'result', resultCode: 1032 });
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 150_000, currency: 'KES', trialDays: 0 }),
    ]);
    const subscribed = await api.graphql<{ subscribe: { id: string } }>(
      `mutation ($input: SubscribeInput!) { subscribe(input: $input) { id } }`,
      { input: { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone } } },
      await adminHeaders(api, orm),
    );
    expect(subscribed.errors).toBeUndefined();
    const subscriptionId = subscribed.data!.subscribe.id;

    const payments = () =>
      orm.em.fork().find(Payment, { invoice: { subscription: subscriptionId } }, { orderBy: { attempt: 'asc' } });
    await until(async () => expect((await payments()).map((p) => p.status)).toEqual(['FAILED']), 15_000);
    sandbox.script(darajaPhone, null);
    await until(async () => expect((await payments()).map((p) => p.status)).toEqual(['FAILED', 'SUCCEEDED']), 20_000);

    const handle = env.client.workflow.getHandle(`subscription-${subscriptionId}`);
    // Recorded once the workflow has taken the success in and gone back to waiting for the period end.
    await until(async () => {
      expect((await handle.query(subscriptionStateQuery)).collection).toMatchObject({
        attempt: 2,
        outcome: 'SUCCEEDED',
      });
      const events = (await handle.fetchHistory()).events!;
      expect(events.at(-1)!.timerStartedEventAttributes).toBeTruthy();
    }, 15_000);
    await save('subscription-mpesa-soft-decline.json', await handle.fetchHistory());
  }, 120_000);

  describe('lifecycle (RECORD_COMMIT names the files)', () => {
    interface Lifecycle {
      env: TestWorkflowEnvironment;
      orm: Orm;
      starter: SubscriptionLifecycle;
      sandbox: ReturnType<typeof createMpesaSandbox>;
      now(): Promise<Date>;
      /** A new customer subscribed, at the server's time, to a new plan with these terms. */
      subscribeTo(
        plan: Parameters<typeof aPlan>[1],
        extra?: Partial<Parameters<typeof subscribe>[4]>,
      ): Promise<Subscription>;
      invoices(subscriptionId: string): Promise<Invoice[]>;
      status(subscriptionId: string): Promise<string>;
    }

    /** Like the lifecycle tests' scenario(): its own time-skipping server (the clock is shared), worker and sandbox. */
    async function lifecycle(settings: Record<string, string>, run: (s: Lifecycle) => Promise<void>): Promise<void> {
      if (!COMMIT) throw new Error('set RECORD_COMMIT to the short hash recorded from (README.md)');
      const sandbox = createMpesaSandbox({
        consumerKey: 'ck',
        consumerSecret: 'cs',
        passkey: 'pk',
        callbackDelayMs: 20,
        // Daraja refuses a second charge of the same phone and amount within minutes of wall-clock time; renewals a
        // skipped month apart come seconds apart here.
        duplicateWindowSeconds: 0,
      });
      const sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
      cleanups.push(() => sandbox.close());
      const config = {
        MPESA_BASE_URL: sandboxUrl,
        MPESA_CONSUMER_KEY: 'ck',
        MPESA_CONSUMER_SECRET: 'cs',
        MPESA_PASSKEY: 'pk',
        MPESA_CALLBACK_SECRET: 'record-callback-secret-0123456789',
        ...settings,
      };
      const [env, orm] = await Promise.all([timeSkippingEnvironment(), testOrm()]);
      cleanups.push(
        () => orm.close(),
        () => env.teardown(),
      );
      const taskQueue = `record-lifecycle-${randomUUID()}`;
      await running(env, orm, taskQueue, config);
      const starter = new SubscriptionLifecycle(env.client, taskQueue, collectionPolicy(testConfig(config)));
      const now = async () => new Date((await env.currentTimeMs()) as number);
      await run({
        env,
        orm,
        starter,
        sandbox,
        now,
        subscribeTo: async (terms, extra = {}) => {
          const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, terms)]);
          return subscribe(
            orm.em,
            admin,
            starter,
            testCipher(),
            { customerId: customer.id, planId: plan.id, ...extra },
            await now(),
          );
        },
        invoices: (subscriptionId) =>
          orm.em.fork().find(Invoice, { subscription: subscriptionId }, { orderBy: { createdAt: 'asc' } }),
        status: async (subscriptionId) =>
          (await orm.em.fork().findOneOrFail(Subscription, { id: subscriptionId })).status,
      });
    }

    it('cancel-at-period-end: cancel at the period end, uncancel, cancel again, ends at the period end', async () => {
      await lifecycle({}, async ({ env, orm, starter, now, subscribeTo, invoices, status }) => {
        const subscription = await subscribeTo({ amount: 250_000, currency: 'KES', trialDays: 0, interval: 'MONTH' });
        await until(async () => expect(await status(subscription.id)).toBe('ACTIVE'));
        const subscriptionId = subscription.id;
        await cancelSubscription(orm.em, admin, starter, { subscriptionId, atPeriodEnd: true });
        await uncancelSubscription(orm.em, admin, starter, { subscriptionId });
        await cancelSubscription(orm.em, admin, starter, { subscriptionId, atPeriodEnd: true });

        const periodEnd = (await invoices(subscriptionId))[0]!.periodEnd;
        await env.sleep(periodEnd.getTime() - (await now()).getTime() + 60_000);
        const handle = env.client.workflow.getHandle(subscription.workflowId);
        await until(async () => {
          expect(await status(subscriptionId)).toBe('CANCELED');
          expect((await handle.describe()).status.name).toBe('COMPLETED');
        });
        expect(await invoices(subscriptionId)).toHaveLength(1);
        await save(`subscription-${COMMIT}-cancel-at-period-end.json`, await handle.fetchHistory());
      });
    }, 120_000);

    it('pause-resume: paused until resumed, resumed in the same period, continue-as-new', async () => {
      await lifecycle({}, async ({ env, orm, starter, now, subscribeTo, invoices, status }) => {
        const subscription = await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 0, interval: 'MONTH' });
        const subscriptionId = subscription.id;
        await until(async () => expect(await status(subscriptionId)).toBe('ACTIVE'));
        // Refused (and not recorded) while period 0's invoice is still being issued: asked again until taken.
        await until(() => pauseSubscription(orm.em, admin, starter, { subscriptionId }));
        expect(await status(subscriptionId)).toBe('PAUSED');
        const handle = env.client.workflow.getHandle(subscription.workflowId);
        const firstRun = (await handle.describe()).runId;
        await env.sleep(10 * DAY);
        expect((await resumeSubscription(orm.em, admin, starter, { subscriptionId })).status).toBe('ACTIVE');

        const periodEnd = (await invoices(subscriptionId))[0]!.periodEnd;
        await env.sleep(periodEnd.getTime() - (await now()).getTime() + 60_000);
        await until(async () => expect(await invoices(subscriptionId)).toHaveLength(2));
        const history = await env.client.workflow.getHandle(subscription.workflowId, firstRun).fetchHistory();
        expect(history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
        await save(`subscription-${COMMIT}-pause-resume.json`, history);
      });
    }, 120_000);

    it('plan-change-now: an upgrade now, mid-period, prorated, without a payment method', async () => {
      await lifecycle({}, async ({ env, orm, starter, now, subscribeTo, invoices, status }) => {
        const subscription = await subscribeTo({ amount: 300_000, currency: 'KES', trialDays: 0, interval: 'MONTH' });
        const subscriptionId = subscription.id;
        await until(async () => expect(await status(subscriptionId)).toBe('ACTIVE'));
        await until(async () => expect(await invoices(subscriptionId)).toHaveLength(1));
        const product = (
          await orm.em.fork().findOneOrFail(Subscription, { id: subscriptionId }, { populate: ['plan'] })
        ).plan.product.id;
        const larger = await createPlan(orm.em.fork(), admin, {
          productId: product,
          name: 'Larger',
          amount: 500_000,
          currency: 'KES',
          interval: 'MONTH',
        });
        const handle = env.client.workflow.getHandle(subscription.workflowId);
        const firstRun = (await handle.describe()).runId;
        await env.sleep(10 * DAY);
        // Refused (and not recorded) until period 0's invoice is in the workflow's state: asked again until taken.
        await until(() => changePlan(orm.em, admin, starter, { subscriptionId, planId: larger.id, timing: 'NOW' }));
        await until(async () =>
          expect((await invoices(subscriptionId)).map((invoice) => invoice.kind)).toEqual(['PERIOD', 'PRORATION']),
        );

        const periodEnd = (await invoices(subscriptionId))[0]!.periodEnd;
        await env.sleep(periodEnd.getTime() - (await now()).getTime() + 60_000);
        await until(async () => expect(await invoices(subscriptionId)).toHaveLength(3));
        const history = await env.client.workflow.getHandle(subscription.workflowId, firstRun).fetchHistory();
        expect(history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
        await save(`subscription-${COMMIT}-plan-change-now.json`, history);
      });
    }, 120_000);

    it('lean-mpesa: a trial, its invoice and first charge in one activity, paid, two renewals (lean-renewal)', async () => {
      await lifecycle({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ env, subscribeTo, invoices }) => {
        const subscription = await subscribeTo(
          { amount: 150_000, currency: 'KES', trialDays: 7 },
          { paymentMethod: { provider: 'MPESA', phone: '0712999012' } },
        );
        const handle = env.client.workflow.getHandle(subscription.workflowId);
        const paid = (count: number) =>
          until(async () => {
            const all = await invoices(subscription.id);
            expect(all.map((invoice) => invoice.status)).toEqual(Array<string>(count).fill('PAID'));
          }, 20_000);
        const runs: string[] = [];
        // Run 0: the trial, invoice and first charge, STK Query after the callback wait, paid; run 1: a renewal.
        for (const [count, sleepMs] of [
          [1, 7 * DAY + 60_000],
          [2, 31 * DAY],
          [3, 31 * DAY],
        ] as const) {
          await env.sleep(sleepMs);
          await paid(count);
          runs.push((await handle.describe()).runId);
        }
        const [trialRun, renewalRun] = runs;
        await save(
          `subscription-${COMMIT}-lean-mpesa-trial.json`,
          await env.client.workflow.getHandle(subscription.workflowId, trialRun).fetchHistory(),
        );
        await save(
          `subscription-${COMMIT}-lean-mpesa-renewal.json`,
          await env.client.workflow.getHandle(subscription.workflowId, renewalRun).fetchHistory(),
        );
      });
    }, 120_000);

    it('dunning-canceled: every M-Pesa charge fails (ResultCode 1) until dunning ends CANCELED', async () => {
      await lifecycle(
        { AFTER_LAST_RETRY: 'CANCELED', MPESA_CALLBACK_WAIT_SECONDS: '1' },
        async ({ env, orm, sandbox, subscribeTo, status }) => {
          sandbox.script('254712999011', { kind: 'result', resultCode: 1 }); // insufficient funds, every time
          const subscription = await subscribeTo(
            { amount: 150_000, currency: 'KES', trialDays: 7 },
            { paymentMethod: { provider: 'MPESA', phone: '0712999011' } },
          );
          const subscriptionId = subscription.id;
          await env.sleep(7 * DAY + 60_000);
          await until(async () => expect(await status(subscriptionId)).toBe('PAST_DUE'), 20_000);
          for (const days of [1, 3, 5, 7]) await env.sleep(days * DAY + 60_000);
          const handle = env.client.workflow.getHandle(subscription.workflowId);
          await until(async () => {
            expect(await status(subscriptionId)).toBe('CANCELED');
            expect((await handle.describe()).status.name).toBe('COMPLETED');
          }, 30_000);
          const payments = await orm.em.fork().find(Payment, { invoice: { subscription: subscriptionId } });
          expect(payments.map((payment) => payment.status)).toEqual(Array<string>(5).fill('FAILED'));
          await save(`subscription-${COMMIT}-dunning-canceled.json`, await handle.fetchHistory());
        },
      );
    }, 120_000);
  });

  it('ratiba: a standing order approved, a renewal it collects, and one it does not (cancelled from the phone)', async () => {
    if (!COMMIT) throw new Error('set RECORD_COMMIT to the short hash recorded from (README.md)');
    const port = await TcpProxy.freePort();
    const settings = {
      MPESA_CALLBACK_WAIT_SECONDS: '1',
      MPESA_CALLBACK_SECRET: 'record-callback-secret-0123456789',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      RATIBA_COLLECTION_WAIT_HOURS: '2',
    };
    await scenario(settings, async ({ orm, env, starter, sandbox, sandboxSettings, now, advance }) => {
      const api = await startApi(orm, {
        temporal: env.client,
        taskQueue: starter.taskQueue,
        env: { ...sandboxSettings, ...settings },
        port,
      });
      cleanups.push(() => api.stop());
      await registerPaybill(sandboxSettings, api.url, settings.MPESA_CALLBACK_SECRET);
      const plan = await aPlan(orm.em, { amount: 10_000, currency: 'KES', interval: 'DAY', trialDays: 0 });
      const customer = await aCustomer(orm.em);
      const subscription = await subscribe(
        orm.em,
        admin,
        starter,
        testCipher(),
        { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone: '0712999321' } },
        await now(),
      );
      const handle = env.client.workflow.getHandle(subscription.workflowId);
      const invoiceOf = (period: number) =>
        until(async () => {
          const invoice = (
            await orm.em.fork().find(Invoice, { subscription: subscription.id, periodIndex: period })
          )[0];
          expect(invoice?.status).toBe('PAID');
          return invoice!;
        }, 20_000);
      await invoiceOf(0);
      const order = await requestStandingOrder(
        orm.em,
        admin,
        { workflows: new StandingOrderWorkflows(env.client, starter.taskQueue), tax: NO_TAX },
        { subscriptionId: subscription.id },
      );
      await until(async () => {
        expect((await orm.em.fork().findOneOrFail(StandingOrder, { id: order.id })).status).toBe('ACTIVE');
      }, 20_000);
      const [onPhone] = sandbox.standingOrders();
      // Period 1: collected by the order, no prompt.
      await advance(DAY);
      await until(async () => expect(await orm.em.fork().count(Invoice, { subscription: subscription.id })).toBe(2));
      const collectedRun = (await handle.describe()).runId;
      sandbox.collectStandingOrder(onPhone!.refId);
      await invoiceOf(1);
      // Period 2: cancelled from the phone; the wait runs out, the order lapses, one prompt pays it.
      sandbox.cancelStandingOrderFromPhone(onPhone!.refId);
      await advance(DAY);
      await until(async () => expect(await orm.em.fork().count(Invoice, { subscription: subscription.id })).toBe(3));
      const lapsedRun = (await handle.describe()).runId;
      await advance(2 * 60 * 60 * 1000 + 60_000);
      await invoiceOf(2);
      await advance(DAY); // both runs continue as new
      await until(async () => expect(await orm.em.fork().count(Invoice, { subscription: subscription.id })).toBe(4));
      await save(
        `subscription-${COMMIT}-ratiba-collected.json`,
        await env.client.workflow.getHandle(subscription.workflowId, collectedRun).fetchHistory(),
      );
      await save(
        `subscription-${COMMIT}-ratiba-lapsed.json`,
        await env.client.workflow.getHandle(subscription.workflowId, lapsedRun).fetchHistory(),
      );
      await save(
        `standing-order-${COMMIT}-approved.json`,
        await env.client.workflow.getHandle(standingOrderWorkflowId(order.id)).fetchHistory(),
      );
    });
  }, 180_000);

  it('refund-paypal-held: a PayPal refund held PENDING, looked up after the wait, COMPLETED', async () => {
    const orm = await testOrm();
    cleanups.push(() => orm.close());
    const env = await timeSkippingEnvironment();
    cleanups.push(() => env.teardown());
    const sandbox = createPaypalSandbox({ clientId: 'record-client', clientSecret: 'record-secret' });
    const base = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
    cleanups.push(() => sandbox.close());
    const settings = {
      PAYPAL_BASE_URL: base,
      PAYPAL_CLIENT_ID: 'record-client',
      PAYPAL_CLIENT_SECRET: 'record-secret',
    };
    const taskQueue = `record-refund-${randomUUID()}`;
    await running(env, orm, taskQueue, settings);
    const paypal = new PaypalProvider({ baseUrl: base, clientId: 'record-client', clientSecret: 'record-secret' });
    const placed = await paypal.placeOrder({
      idempotencyKey: randomUUID(),
      invoiceId: randomUUID(),
      invoiceNumber: 'INV-RECORD',
      amount: { amount: 2_000, currency: 'USD' },
      description: 'record',
      method: { kind: 'paypalApproval', returnUrl: 'http://127.0.0.1/r', cancelUrl: 'http://127.0.0.1/c' },
    });
    if (placed.outcome.kind !== 'pending') throw new Error('order not placed');
    sandbox.approve(placed.outcome.providerReference);
    const captured = await paypal.captureApprovedOrder(placed.outcome.providerReference, randomUUID());
    if (captured.outcome.kind !== 'succeeded') throw new Error('not captured');
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 2_000,
      currency: 'USD',
      providerReference: captured.outcome.providerReference,
    });
    const workflows = new RefundWorkflows(env.client, taskQueue);
    // 5.00: the sandbox holds the refund PENDING, then completes it; the workflow looks it up after its wait.
    const refund = await requestRefund({ em: orm.em, workflows }, admin, {
      paymentId: payment.id,
      amount: 500,
      reason: 'record',
      idempotencyKey: `record-${randomUUID()}`,
    });
    const handle = env.client.workflow.getHandle(refundWorkflowId(refund.id));
    await until(async () =>
      expect((await orm.em.fork().findOneOrFail(Refund, { id: refund.id })).providerReference).toBeTruthy(),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await env.sleep(2 * 60_000);
    expect(await handle.result()).toBe('SUCCEEDED');
    await save(`refund-${COMMIT}-paypal-held.json`, await handle.fetchHistory());
  }, 120_000);
});
