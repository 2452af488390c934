// Walks the clock through a 14-day trial and the first renewal on the time-skipping test server, with the
// real activities writing to the real Postgres. Asserts invoices, amounts in minor units and statuses.
import { SubscriptionLifecycle } from '../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { subscribe } from '../../src/billing/subscribe.js';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, InvoiceLine, Subscription } from '../../src/entities/index.js';
import { subscriptionStateQuery } from '../../src/workflows/index.js';
import { testCipher } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { aCustomer, admin, aPlan } from '../support/fixtures.js';
import { billingWorker, timeSkippingEnvironment } from '../support/temporal.js';

const DAY = 86_400_000;

describe('subscription workflow: trial, first invoice, renewal (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `trial-${randomUUID()}`;

  beforeAll(async () => {
    [env, orm] = await Promise.all([timeSkippingEnvironment(), testOrm()]);
    worker = await billingWorker(env, orm, taskQueue);
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await orm?.close();
  });

  const invoicesOf = (subscriptionId: string) =>
    orm.em.fork().find(Invoice, { subscription: subscriptionId }, { orderBy: { periodIndex: 'asc' } });

  it('bills nothing during a 14-day trial, then issues the first invoice at its end, then renews monthly', async () => {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 250_000, currency: 'KES', trialDays: 14 }),
    ]);
    const startedAt = new Date((await env.currentTimeMs()) as number);
    const subscription = await subscribe(
      orm.em,
      admin,
      new SubscriptionLifecycle(env.client, taskQueue),
      testCipher(),
      { customerId: customer.id, planId: plan.id },
      startedAt,
    );

    expect(subscription.status).toBe('TRIALING');
    expect(subscription.trialEnd!.getTime() - startedAt.getTime()).toBe(14 * DAY);
    const handle = env.client.workflow.getHandle(subscription.workflowId);

    // Day 13: still trialing, nothing billed.
    await env.sleep('13 days');
    expect(await invoicesOf(subscription.id)).toHaveLength(0);
    expect((await handle.query(subscriptionStateQuery)).status).toBe('TRIALING');

    // Day 14: the trial ends; the first period is invoiced for the plan price.
    await env.sleep('1 day');
    const [first] = await eventually('the first invoice', async () => {
      const rows = await invoicesOf(subscription.id);
      return rows.length ? rows : undefined;
    });
    expect(first).toMatchObject({
      status: 'OPEN',
      periodIndex: 0,
      currency: 'KES',
      subtotal: 250_000,
      total: 250_000,
      amountDue: 250_000,
    });
    expect(first!.periodStart.toISOString()).toBe(subscription.trialEnd!.toISOString());
    expect(first!.number).toMatch(/^INV-\d{4}-\d{6}$/);
    const lines = await orm.em.fork().find(InvoiceLine, { invoice: first!.id });
    expect(lines.map((l) => [l.kind, l.quantity, l.unitAmount, l.amount])).toEqual([['PLAN', 1, 250_000, 250_000]]);

    const afterTrial = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id });
    expect(afterTrial.status).toBe('ACTIVE');
    expect(afterTrial.currentPeriodStart!.toISOString()).toBe(first!.periodStart.toISOString());
    expect(afterTrial.currentPeriodEnd!.toISOString()).toBe(first!.periodEnd.toISOString());

    // One month on: the workflow continued as new into period 1 and issued exactly one more invoice.
    const firstRunId = (await handle.describe()).runId;
    await env.sleep(first!.periodEnd.getTime() - first!.periodStart.getTime());
    const invoices = await eventually('the renewal invoice', async () => {
      const rows = await invoicesOf(subscription.id);
      return rows.length === 2 ? rows : undefined;
    });
    expect(invoices.map((i) => [i.periodIndex, i.total])).toEqual([
      [0, 250_000],
      [1, 250_000],
    ]);
    expect(invoices[1]!.periodStart.toISOString()).toBe(first!.periodEnd.toISOString());
    expect(invoices[1]!.number).not.toBe(first!.number);

    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).not.toBe(firstRunId);
    expect((await handle.query(subscriptionStateQuery)).periodIndex).toBe(1);
    // History is per period, so it stays small however many periods pass.
    expect(description.historyLength).toBeLessThan(30);
  });
});
