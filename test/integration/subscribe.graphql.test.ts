// The thin slice end to end: GraphQL over HTTP -> Postgres -> the real Temporal dev server -> worker ->
// activity -> Postgres -> GraphQL. Only the trial is short.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Orm } from '../../src/db/orm.js';
import { BillingStatus } from '../../src/workflows/searchAttributes.js';
import { startApi, type RunningApi } from '../support/api.js';
import { adminHeaders, type Headers } from '../support/callers.js';
import { testOrm } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { uniqueEmail } from '../support/fixtures.js';
import { billingWorker, devServerEnvironment } from '../support/temporal.js';

const CREATE_PRODUCT = /* GraphQL */ `
  mutation ($input: CreateProductInput!) {
    createProduct(input: $input) {
      id
      code
    }
  }
`;
const CREATE_PLAN = /* GraphQL */ `
  mutation ($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
      name
      interval
      intervalCount
      trialDays
      status
      price {
        amount
        currency
        formatted
      }
    }
  }
`;
const CREATE_CUSTOMER = /* GraphQL */ `
  mutation ($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
      email
      name
    }
  }
`;
const SUBSCRIBE = /* GraphQL */ `
  mutation ($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
      trialEnd
      workflowId
      plan {
        id
      }
      customer {
        id
      }
    }
  }
`;
const SUBSCRIPTION = /* GraphQL */ `
  query ($id: ID!) {
    subscription(id: $id) {
      id
      status
      currentPeriodStart
      currentPeriodEnd
      invoices {
        id
        number
        status
        periodIndex
        periodStart
        periodEnd
        total {
          amount
          currency
          formatted
        }
        amountDue {
          amount
          currency
        }
        lines {
          kind
          description
          quantity
          unitAmount {
            amount
          }
          amount {
            amount
            currency
          }
        }
      }
    }
  }
`;

interface Invoice {
  number: string;
  status: string;
  periodIndex: number;
  periodStart: string;
  total: { amount: number; currency: string; formatted: string };
  amountDue: { amount: number; currency: string };
  lines: {
    kind: string;
    quantity: number;
    unitAmount: { amount: number };
    amount: { amount: number; currency: string };
  }[];
}

describe('subscribe through GraphQL against Postgres and the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let worker: Worker;
  let running: Promise<void>;
  let api: RunningApi;
  let admin: Headers;
  let productId: string;
  const taskQueue = `graphql-${randomUUID()}`;

  beforeAll(async () => {
    [env, orm] = await Promise.all([devServerEnvironment(), testOrm()]);
    worker = await billingWorker(env, orm, taskQueue);
    running = worker.run();
    api = await startApi(orm, { temporal: env.client, taskQueue });
    admin = await adminHeaders(api, orm);
    const product = await api.graphql<{ createProduct: { id: string } }>(
      CREATE_PRODUCT,
      { input: { code: `team-${randomUUID().slice(0, 8)}`, name: 'Team workspace' } },
      admin,
    );
    productId = product.data!.createProduct.id;
  });

  afterAll(async () => {
    await api?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await orm?.close();
  });

  it('reports itself live and ready', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });

  it('creates a plan, subscribes with a short trial, and shows the first invoice once the trial ends', async () => {
    const plan = await api.graphql<{ createPlan: { id: string; price: unknown; status: string } }>(
      CREATE_PLAN,
      { input: { productId, name: 'Team', amount: 150_000, currency: 'KES', interval: 'MONTH', trialDays: 14 } },
      admin,
    );
    expect(plan.errors).toBeUndefined();
    expect(plan.data!.createPlan).toMatchObject({ status: 'ACTIVE', price: { amount: 150_000, currency: 'KES' } });
    expect((plan.data!.createPlan.price as { formatted: string }).formatted).toMatch(/1,500\.00/);

    const customer = await api.graphql<{ createCustomer: { id: string } }>(
      CREATE_CUSTOMER,
      { input: { email: uniqueEmail('graphql'), name: 'Otieno Odhiambo' } },
      admin,
    );
    expect(customer.errors).toBeUndefined();

    const trialEnd = new Date(Date.now() + 2_000).toISOString();
    const idempotencyKey = `subscribe-${randomUUID()}`;
    const input = { customerId: customer.data!.createCustomer.id, planId: plan.data!.createPlan.id, trialEnd };
    const subscribed = await api.graphql<{ subscribe: { id: string; status: string; workflowId: string } }>(
      SUBSCRIBE,
      { input },
      { ...admin, 'Idempotency-Key': idempotencyKey },
    );
    expect(subscribed.errors).toBeUndefined();
    const { id, status, workflowId } = subscribed.data!.subscribe;
    expect(status).toBe('TRIALING');
    expect(workflowId).toBe(`subscription-${id}`);

    // A retried request with the same key gets the same subscription, not a second one.
    const retried = await api.graphql<{ subscribe: { id: string } }>(
      SUBSCRIBE,
      { input },
      { ...admin, 'Idempotency-Key': idempotencyKey },
    );
    expect(retried.data!.subscribe.id).toBe(id);

    const invoices = await eventually(
      'the first invoice through GraphQL',
      async () => {
        const result = await api.graphql<{ subscription: { status: string; invoices: Invoice[] } }>(
          SUBSCRIPTION,
          {
            id,
          },
          admin,
        );
        expect(result.errors).toBeUndefined();
        // Status and invoices are read by separate statements, so one response can fall between the activity's
        // commit and the next read: wait until both show the committed state.
        const { subscription } = result.data!;
        return subscription.invoices.length && subscription.status === 'ACTIVE' ? subscription : undefined;
      },
      30_000,
    );
    expect(invoices.status).toBe('ACTIVE');
    expect(invoices.invoices).toHaveLength(1);
    const [invoice] = invoices.invoices;
    expect(invoice).toMatchObject({
      status: 'OPEN',
      periodIndex: 0,
      periodStart: trialEnd,
      total: { amount: 150_000, currency: 'KES' },
      amountDue: { amount: 150_000, currency: 'KES' },
      lines: [
        { kind: 'PLAN', quantity: 1, unitAmount: { amount: 150_000 }, amount: { amount: 150_000, currency: 'KES' } },
      ],
    });

    // Operators find it in the Temporal UI by its search attributes.
    // The workflow upserts them after the activity has committed, so they trail the database by a moment.
    const handle = env.client.workflow.getHandle(workflowId);
    await eventually('BillingStatus = ACTIVE', async () =>
      (await handle.describe()).typedSearchAttributes.get(BillingStatus) === 'ACTIVE' ? true : undefined,
    );
    // A workflow task taken by a worker that then dies goes to another after 4 s, not Temporal's 10 (WORKFLOW_TASK_TIMEOUT).
    const { executionConfig } = (await handle.describe()).raw;
    expect(Number(executionConfig?.defaultWorkflowTaskTimeout?.seconds)).toBe(4);
  });

  it('answers bad input with BAD_USER_INPUT naming each field and rule, and writes nothing', async () => {
    const name = `Broken ${randomUUID()}`;
    const result = await api.graphql(
      CREATE_PLAN,
      { input: { productId, name, amount: -5, currency: 'kes', interval: 'MONTH', intervalCount: 0 } },
      admin,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: {
        'input.amount': 'must not be negative',
        'input.currency': 'must be an ISO 4217 currency code in capitals, e.g. KES or USD',
        'input.intervalCount': 'must be at least 1',
      },
    });
    const plans = await api.graphql<{ plans: { edges: { node: { name: string } }[] } }>(
      '{ plans(first: 100) { edges { node { name } } } }',
      {},
      admin,
    );
    expect(plans.errors).toBeUndefined();
    expect(plans.data!.plans.edges.map((e) => e.node.name)).not.toContain(name);
  });

  it('answers unknown ids with NOT_FOUND and a reused customer email with CONFLICT', async () => {
    const missing = await api.graphql(SUBSCRIPTION, { id: randomUUID() }, admin);
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const email = uniqueEmail('conflict');
    await api.graphql(CREATE_CUSTOMER, { input: { email, name: 'First' } }, admin);
    const again = await api.graphql(CREATE_CUSTOMER, { input: { email, name: 'Second' } }, admin);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
  });

  it('serves GraphQL over graphql-ws on the same path', async () => {
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: admin.authorization },
    });
    try {
      const result = await new Promise<{ data?: { plans: { edges: unknown[] } } }>((resolve, reject) => {
        let value: { data?: { plans: { edges: unknown[] } } } = {};
        client.subscribe(
          { query: '{ plans { edges { node { id } } } }' },
          { next: (v) => (value = v as never), error: reject, complete: () => resolve(value) },
        );
      });
      expect((result as { errors?: unknown }).errors).toBeUndefined();
      expect(result.data!.plans.edges.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a WebSocket connection with a bad API key at connection_init', async () => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: `${api.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { apiKey: 'bk_AAAAAAAA_' + 'A'.repeat(43) },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: '{ plans { edges { node { id } } } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    expect(closed).toBe(4403);
  });

  it('serves an offline GraphiQL to browsers, assets included', async () => {
    const page = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'graphql-ws.js']) {
      expect((await fetch(`${api.url}/_graphiql/${asset}`)).status).toBe(200);
    }
  });
});
