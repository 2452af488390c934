// Records the workflow histories that test/workflows/replay.test.ts replays. Run by hand, never by CI: the file name
// is not *.test.ts, so the suite does not pick it up. How and when to run it: README.md beside this file.
//
// Each scenario runs the real workflow code, the real activities and Postgres, then saves the history of one run
// as Temporal's JSON history format (what `temporal workflow show --output json` prints), formatted by prettier.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { format, resolveConfig } from 'prettier';
import { subscribe } from '../../src/billing/subscribe.js';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, Payment } from '../../src/entities/index.js';
import { subscriptionStateQuery } from '../../src/workflows/index.js';
import { createMpesaSandbox } from '../../sandboxes/mpesa/server.js';
import { startApi } from '../support/api.js';
import { adminHeaders } from '../support/callers.js';
import { testCipher } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { eventually, until } from '../support/eventually.js';
import { aCustomer, admin, aPlan } from '../support/fixtures.js';
import { billingWorker, devServerEnvironment, timeSkippingEnvironment } from '../support/temporal.js';
import { historyToJSON } from './historyJson.js';

const HISTORIES_DIR = process.env.HISTORIES_DIR ?? import.meta.dirname;
const DAY = 86_400_000;

async function save(name: string, history: History): Promise<void> {
  const path = join(HISTORIES_DIR, name);
  // The repository's prettier settings wherever the file goes, so a recording copied in passes `npm run lint`.
  const settings = await resolveConfig(join(import.meta.dirname, 'record.ts'));
  const text = await format(historyToJSON(history), { ...settings, parser: 'json' });
  // A history carries ids and amounts only; a phone number in it would be a leak (docs/architecture.md, "Rules").
  expect(text).not.toMatch(/2547\d{8}|\b07\d{8}\b/);
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
      { client: env.client, taskQueue },
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
});
