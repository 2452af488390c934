// A preview answers what the change then does: previewPlanChange and changePlan over GraphQL, the real Temporal dev
// server and the worker's activities, with 16 % tax. One subscription, ten days into a 30-day period, goes through
// an upgrade (invoiced now), a downgrade now (credited), and a quantity change (invoiced, paid partly by that credit):
// each time the preview's figures are the ones the change writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { subscribe } from '../../../src/billing/subscribe.js';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, InvoiceLine, type Plan } from '../../../src/entities/index.js';
import { collectionPolicy } from '../../../src/http/apiDependencies.js';
import { SubscriptionLifecycle } from '../../../src/temporal/subscriptionLifecycle.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testCipher, testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { admin, aPlan, aProduct, uniqueEmail } from '../../support/fixtures.js';
import { billingWorker, devServerEnvironment } from '../../support/temporal.js';

const DAY = 86_400_000;
const TAX = { TAX_RATE_BASIS_POINTS: '1600', TAX_NAME: 'VAT' };

const PREVIEW = /* GraphQL */ `
  query ($input: ChangePlanInput!) {
    previewPlanChange(input: $input) {
      timing
      effectiveAt
      lines {
        kind
        description
        amount
      }
      amountDueNow
      creditApplied
      creditGranted
      nextPeriodAmount
      currency
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation ($input: ChangePlanInput!) {
    changePlan(input: $input) {
      id
      quantity
      pendingChangeAtPeriod
      plan {
        id
      }
    }
  }
`;

interface Preview {
  timing: string;
  effectiveAt: string;
  lines: { kind: string; description: string; amount: number }[];
  amountDueNow: number;
  creditApplied: number;
  creditGranted: number;
  nextPeriodAmount: number;
  currency: string;
}

describe('previewPlanChange', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let api: RunningApi;
  let app: Headers;
  let basic: Plan;
  let team: Plan;
  let subscriptionId: string;
  const taskQueue = `preview-${randomUUID()}`;

  beforeAll(async () => {
    orm = await testOrm();
    env = await devServerEnvironment();
    api = await startApi(orm, { temporal: env.client, taskQueue, env: TAX });
    worker = await billingWorker(env, orm, taskQueue, TAX);
    workerRun = worker.run();
    const appCredentials = await apiClientHeaders(api, await adminHeaders(api, orm), ALL_CLIENT_SCOPES);
    app = appCredentials.headers;
    const product = await aProduct(orm.em);
    basic = await aPlan(orm.em, { productId: product.id, name: 'Basic', amount: 100_000, trialDays: 0 });
    team = await aPlan(orm.em, { productId: product.id, name: 'Team', amount: 300_000, trialDays: 0 });
    const customer = await api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
      { i: { email: uniqueEmail('preview'), name: 'Njeri Preview' } },
      app,
    );
    // Started ten days ago (the use case takes the instant): the workflow bills period 0 at once and the changes
    // below fall a third of the way into it. No payment method: invoices stay OPEN, nothing is charged.
    const lifecycle = new SubscriptionLifecycle(env.client, taskQueue, collectionPolicy(testConfig(TAX)));
    const subscription = await subscribe(
      orm.em,
      admin,
      lifecycle,
      testCipher(),
      { customerId: customer.data!.createCustomer.id, planId: basic.id },
      new Date(Date.now() - 10 * DAY),
    );
    subscriptionId = subscription.id;
    await waitFor(async () => (await invoicesOf('PERIOD')).length === 1);
  });

  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await api?.stop();
    await env?.teardown();
    await orm?.close();
  });

  async function waitFor(done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function invoicesOf(kind: 'PERIOD' | 'PRORATION'): Promise<Invoice[]> {
    return orm.em.fork().find(Invoice, { subscription: subscriptionId, kind }, { orderBy: { createdAt: 'asc' } });
  }

  async function preview(input: Record<string, unknown>): Promise<Preview> {
    const result = await api.graphql<{ previewPlanChange: Preview }>(
      PREVIEW,
      { input: { subscriptionId, ...input } },
      app,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.previewPlanChange;
  }

  async function change(input: Record<string, unknown>) {
    const result = await api.graphql<{ changePlan: { plan: { id: string }; quantity: number } }>(
      CHANGE,
      { input: { subscriptionId, ...input } },
      app,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.changePlan;
  }

  async function linesOf(invoice: Invoice) {
    const lines = await orm.em.fork().find(InvoiceLine, { invoice: invoice.id }, { orderBy: { position: 'asc' } });
    return lines.map(({ kind, description, amount }) => ({ kind, description, amount }));
  }

  async function creditGrants(): Promise<number[]> {
    const rows = await orm.em
      .fork()
      .execute<{ amount: string }[]>(
        `select amount::text from customer_credits where subscription_id = ? and kind = 'GRANTED' order by created_at`,
        [subscriptionId],
      );
    return rows.map((row) => Number(row.amount));
  }

  it('an upgrade mid-period: the PRORATION invoice is the preview, line for line', async () => {
    const shown = await preview({ planId: team.id });
    expect(shown).toMatchObject({ timing: 'NOW', currency: 'KES', creditApplied: 0, creditGranted: 0 });
    // The next period on Team: 300,000 plus 16 % VAT.
    expect(shown.nextPeriodAmount).toBe(348_000);
    expect(shown.lines.map((line) => line.kind)).toEqual(['PRORATION_CREDIT', 'PRORATION_CHARGE', 'TAX']);
    // About two thirds of the 200,000 difference, plus tax, in whole shillings.
    expect(shown.amountDueNow).toBeGreaterThan(140_000);
    expect(shown.amountDueNow).toBeLessThan(165_000);
    expect(shown.amountDueNow % 100).toBe(0);

    const changed = await change({ planId: team.id });
    expect(changed.plan.id).toBe(team.id);
    const [proration] = await invoicesOf('PRORATION');
    expect(proration!.amountDue).toBe(shown.amountDueNow);
    expect(proration!.creditApplied).toBe(shown.creditApplied);
    expect(await linesOf(proration!)).toEqual(shown.lines);
    expect(Math.abs(proration!.periodStart.getTime() - new Date(shown.effectiveAt).getTime())).toBeLessThan(5_000);
  });

  it('a downgrade: at the period end by default; now when asked, crediting what the preview said', async () => {
    const atPeriodEnd = await preview({ planId: basic.id });
    const [period0] = await invoicesOf('PERIOD');
    expect(atPeriodEnd).toMatchObject({
      timing: 'PERIOD_END',
      effectiveAt: period0!.periodEnd.toISOString(),
      lines: [],
      amountDueNow: 0,
      creditGranted: 0,
      nextPeriodAmount: 116_000,
    });

    const now = await preview({ planId: basic.id, timing: 'NOW' });
    expect(now.timing).toBe('NOW');
    expect(now.amountDueNow).toBe(0);
    // The unused difference with the 16 % VAT it was billed with (each line's tax in whole shillings).
    const difference = -now.lines.reduce((sum, line) => sum + line.amount, 0);
    expect(difference).toBeGreaterThan(0);
    expect(Math.abs(now.creditGranted - difference * 1.16)).toBeLessThanOrEqual(200);
    expect(now.creditGranted % 100).toBe(0);
    await change({ planId: basic.id, timing: 'NOW' });
    expect(await creditGrants()).toEqual([now.creditGranted]);
    expect(await invoicesOf('PRORATION')).toHaveLength(1);
  });

  it('a quantity change: invoiced as previewed, the credit from the downgrade paying part of it', async () => {
    const [credit] = await creditGrants();
    const shown = await preview({ planId: basic.id, quantity: 3 });
    expect(shown.timing).toBe('NOW');
    expect(shown.lines[1]!.description).toBe('Remaining time on Basic × 3');
    expect(shown.creditApplied).toBe(credit);
    expect(shown.nextPeriodAmount).toBe(348_000);

    const changed = await change({ planId: basic.id, quantity: 3 });
    expect(changed.quantity).toBe(3);
    const [, proration] = await invoicesOf('PRORATION');
    expect(proration!.amountDue).toBe(shown.amountDueNow);
    expect(proration!.creditApplied).toBe(shown.creditApplied);
    expect(await linesOf(proration!)).toEqual(shown.lines);
  });

  it('a change to a plan exempt from VAT: no tax previewed, none invoiced', async () => {
    const schools = await aPlan(orm.em, {
      name: 'Schools',
      amount: 400_000,
      trialDays: 0,
      taxCategory: 'EXEMPT',
    });
    const shown = await preview({ planId: schools.id, quantity: 1 });
    expect(shown.nextPeriodAmount).toBe(400_000);
    expect(shown.lines.map((line) => line.kind)).toEqual(['PRORATION_CREDIT', 'PRORATION_CHARGE']);
    expect(shown.amountDueNow).toBe(shown.lines.reduce((sum, line) => sum + line.amount, 0));

    await change({ planId: schools.id, quantity: 1 });
    const [, , proration] = await invoicesOf('PRORATION');
    expect(proration!.amountDue).toBe(shown.amountDueNow);
    expect(await linesOf(proration!)).toEqual(shown.lines);
    await change({ planId: basic.id, quantity: 3, timing: 'NOW' }); // back, for the refusal below
  });

  it('refuses what changePlan refuses, with the same rule', async () => {
    const result = await api.graphql(PREVIEW, { input: { subscriptionId, planId: basic.id, quantity: 3 } }, app);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.planId': 'is the plan and quantity the subscription already has' },
    });
  });
});
