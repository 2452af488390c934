// What a client app watching one subscription over graphql-ws sees through its lifecycle, end to end: the app's key
// in `connectionParams`, the real API, the Temporal dev server, the worker's activities and the M-Pesa sandbox
// (whose callback reaches the API). Every change the subscription or its invoices go through arrives once, in order:
// the trial ending (invoice issued, ACTIVE), the payment, cancel at the period end and taking it back, cancel now.
// Live events come from the tables' triggers, so none of these paths can forget to announce itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Orm } from '../../../src/db/orm.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { until } from '../../support/eventually.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';
import { billingWorker, devServerEnvironment } from '../../support/temporal.js';

const SUBSCRIPTION_UPDATED = /* GraphQL */ `
  subscription ($id: ID!) {
    subscriptionUpdated(subscriptionId: $id) {
      status
      cancelAtPeriodEnd
      invoices {
        status
      }
    }
  }
`;

interface Seen {
  status: string;
  cancelAtPeriodEnd: boolean;
  invoices: { status: string }[];
}

/** One line per event, easy to read in a failing assertion. */
const describeEvent = (event: Seen) =>
  `${event.status}${event.cancelAtPeriodEnd ? ' (ends at period end)' : ''} invoices=[${event.invoices
    .map((invoice) => invoice.status)
    .join(',')}]`;

describe('live events through a whole subscription lifecycle', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let api: RunningApi;
  let sandbox: MpesaSandbox;
  let app: Headers;
  let socket: WsClient | undefined;
  const taskQueue = `live-lifecycle-${randomUUID()}`;

  beforeAll(async () => {
    orm = await testOrm();
    const local = await listeningMpesaSandbox({ callbackDelayMs: 50 });
    sandbox = local.sandbox;
    env = await devServerEnvironment();
    const settings = {
      ...local.settings,
      MPESA_CALLBACK_SECRET: 'live-lifecycle-callback-secret-01',
      MPESA_CALLBACK_WAIT_SECONDS: '5',
    };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    worker = await billingWorker(env, orm, taskQueue, { ...settings, PUBLIC_URL: api.url });
    workerRun = worker.run();
    app = (await apiClientHeaders(api, await adminHeaders(api, orm), ALL_CLIENT_SCOPES)).headers;
  });

  afterAll(async () => {
    await socket?.dispose();
    worker?.shutdown();
    await workerRun;
    await api?.stop();
    await env?.teardown();
    await sandbox?.close();
    await orm?.close();
  });

  async function call<T>(query: string, input: Record<string, unknown>): Promise<T> {
    const result = await api.graphql<T>(query, { input }, app);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  it('sends the trial end, the payment, cancel at period end, its undoing and the cancel, each once and in order', async () => {
    const phone = '0712999301';
    // The customer takes 2 s to answer the prompt, so the issued invoice is seen OPEN before it is PAID.
    sandbox.script('254712999301', { kind: 'result', resultCode: 0, delayMs: 2_000 });
    const plan = await aPlan(orm.em, { amount: 150_000, currency: 'KES', trialDays: 0 });
    const { createCustomer } = await call<{ createCustomer: { id: string } }>(
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { email: uniqueEmail('live'), name: 'Achieng Live' },
    );
    const { subscribe } = await call<{ subscribe: { id: string; status: string } }>(
      'mutation ($input: SubscribeInput!) { subscribe(input: $input) { id status } }',
      {
        customerId: createCustomer.id,
        planId: plan.id,
        trialEnd: new Date(Date.now() + 8_000).toISOString(),
        paymentMethod: { provider: 'MPESA', phone },
      },
    );
    expect(subscribe.status).toBe('TRIALING');
    const subscriptionId = subscribe.id;

    const seen: Seen[] = [];
    const failures: unknown[] = [];
    socket = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: app['x-api-key'] },
    });
    socket.subscribe<{ subscriptionUpdated: Seen }>(
      { query: SUBSCRIPTION_UPDATED, variables: { id: subscriptionId } },
      {
        next: (message) => {
          if (message.data) seen.push(message.data.subscriptionUpdated);
          else failures.push(message.errors);
        },
        error: (error) => failures.push(error),
        complete: () => undefined,
      },
    );

    // graphql-ws does not say when the server has registered the subscription: give the same payment method again
    // (a new sealed value, so a real change of the row) until the change is seen.
    const updateMethod = () =>
      call('mutation ($input: UpdatePaymentMethodInput!) { updatePaymentMethod(input: $input) { id } }', {
        subscriptionId,
        paymentMethod: { provider: 'MPESA', phone },
      });
    for (let tries = 0; seen.length === 0 && tries < 20; tries++) {
      await updateMethod();
      await until(() => expect(seen.length).toBeGreaterThan(0), 500).catch(() => undefined);
    }
    const warmUp = seen.length;
    expect(seen.map(describeEvent)).toEqual(Array<string>(warmUp).fill('TRIALING invoices=[]'));

    // The trial ends on its own: the invoice is issued (ACTIVE), charged, and paid.
    await until(() => expect(seen.map(describeEvent)).toContain('ACTIVE invoices=[PAID]'), 30_000);

    const cancel = 'mutation ($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { id } }';
    await call(cancel, { subscriptionId, atPeriodEnd: true });
    await until(() => expect(seen.length).toBe(warmUp + 3));
    await call('mutation ($input: UncancelSubscriptionInput!) { uncancelSubscription(input: $input) { id } }', {
      subscriptionId,
    });
    await until(() => expect(seen.length).toBe(warmUp + 4));
    await call(cancel, { subscriptionId });
    await until(() => expect(seen.map(describeEvent)).toContain('CANCELED invoices=[PAID]'));
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing else follows

    expect(failures).toEqual([]);
    expect(seen.slice(warmUp).map(describeEvent)).toEqual([
      'ACTIVE invoices=[OPEN]', // the trial ended: the first invoice was issued
      'ACTIVE invoices=[PAID]', // the customer paid it on their phone
      'ACTIVE (ends at period end) invoices=[PAID]',
      'ACTIVE invoices=[PAID]',
      'CANCELED invoices=[PAID]',
    ]);
  });
});
