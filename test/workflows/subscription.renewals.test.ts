// A year of monthly renewals anchored on Jan 31, walked on the time-skipping test server with the real activities
// and Postgres: the month-end clamping must hold in the invoices the workflow actually issues (one per period, with
// gapless numbers), and the workflow's history must stay one period long however many periods pass.
import { SubscriptionLifecycle } from '../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { subscribe } from '../../src/billing/subscribe.js';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, Subscription } from '../../src/entities/index.js';
import { subscriptionStateQuery } from '../../src/workflows/index.js';
import { testCipher } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { aCustomer, admin, aPlan } from '../support/fixtures.js';
import { billingWorker, timeSkippingEnvironment } from '../support/temporal.js';

const UNIT_AMOUNT = 99_900; // KES 999.00
const QUANTITY = 3;
const TOTAL = UNIT_AMOUNT * QUANTITY;
/** Past each period start, so the timer that ends the previous run has certainly fired. */
const MARGIN_MS = 60_000;
/**
 * A run's history: start, the invoice, a collection that finds no payment method, notices, the wait, continue-as-new:
 * 25 to 55 events as the workflow has grown, the first run (which also waits out the trial) the longest. One history
 * for all twelve periods would be several hundred.
 */
const MAX_RUN_HISTORY = 80;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Written out rather than computed: these are the dates a customer anchored on Jan 31 must be billed on. */
function expectedStarts(year: number): string[] {
  const days: [month: string, day: number][] = [
    ['01', 31],
    ['02', isLeap(year) ? 29 : 28],
    ['03', 31],
    ['04', 30],
    ['05', 31],
    ['06', 30],
    ['07', 31],
    ['08', 31],
    ['09', 30],
    ['10', 31],
    ['11', 30],
    ['12', 31],
  ];
  return days.map(([month, day]) => `${year}-${month}-${day}T10:00:00.000Z`);
}

describe('subscription workflow: twelve monthly renewals from Jan 31 (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `renewals-${randomUUID()}`;

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

  /** Advances the test server's clock to `instant` (plus the margin); never backwards. */
  async function sleepUntil(instant: Date): Promise<void> {
    const now = (await env.currentTimeMs()) as number;
    await env.sleep(Math.max(0, instant.getTime() + MARGIN_MS - now));
  }

  it('bills Jan 31, Feb 28/29, Mar 31, Apr 30 ... Dec 31: one invoice each, gapless numbers, bounded history', async () => {
    const startedAt = new Date((await env.currentTimeMs()) as number);
    // The next Jan 31 that is still ahead of the server's clock becomes the anchor, by way of a trial until then.
    let year = startedAt.getUTCFullYear();
    if (Date.UTC(year, 0, 31, 10) <= startedAt.getTime()) year += 1;
    const starts = expectedStarts(year);
    const anchor = new Date(starts[0]!);

    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: UNIT_AMOUNT, currency: 'KES', interval: 'MONTH', trialDays: 0 }),
    ]);
    const subscription = await subscribe(
      orm.em,
      admin,
      new SubscriptionLifecycle(env.client, taskQueue),
      testCipher(),
      { customerId: customer.id, planId: plan.id, quantity: QUANTITY, trialEnd: anchor },
      startedAt,
    );
    expect(subscription).toMatchObject({ status: 'TRIALING', paymentProvider: null });
    expect(subscription.billingAnchor.toISOString()).toBe(anchor.toISOString());
    const handle = env.client.workflow.getHandle(subscription.workflowId);

    const runIds: string[] = [];
    for (const [index, start] of starts.entries()) {
      await sleepUntil(new Date(start));
      await eventually(
        `the invoice for period ${index} (${start})`,
        async () => {
          const rows = await invoicesOf(subscription.id);
          return rows.length === index + 1 ? rows : undefined;
        },
        30_000,
      );
      // The run that issued this period's invoice; it continues as new at the period end.
      runIds.push((await handle.describe()).runId);
    }

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map((invoice) => invoice.periodStart.toISOString())).toEqual(starts);
    expect(invoices.map((invoice) => invoice.periodEnd.toISOString())).toEqual([
      ...starts.slice(1),
      `${year + 1}-01-31T10:00:00.000Z`,
    ]);
    expect(invoices.map((invoice) => invoice.periodIndex)).toEqual(starts.map((_, index) => index));
    for (const invoice of invoices) {
      expect(invoice).toMatchObject({ currency: 'KES', subtotal: TOTAL, total: TOTAL, amountDue: TOTAL });
      expect(Number.isSafeInteger(invoice.total)).toBe(true);
      // Nothing can collect without a payment method: each invoice stays open, and each is dated by its period.
      expect(invoice.status).toBe('OPEN');
      expect(invoice.issuedAt.toISOString()).toBe(invoice.periodStart.toISOString());
    }

    // Numbers: all of the period's year, increasing with the period, and gapless across the whole year's sequence
    // (a number is taken under the counter row's lock, so every smaller one was committed before ours).
    const serials = invoices.map((invoice) => {
      const match = /^INV-(\d{4})-(\d{6})$/.exec(invoice.number);
      expect(match?.[1]).toBe(String(year));
      return Number(match![2]);
    });
    for (let i = 1; i < serials.length; i++) expect(serials[i]!).toBeGreaterThan(serials[i - 1]!);
    const connection = orm.em.fork().getConnection();
    const [taken] = await connection.execute<{ count: string; distinct_count: string }[]>(
      `select count(*) as count, count(distinct number) as distinct_count from invoices
        where number like ? and number <= ?`,
      [`INV-${year}-%`, invoices.at(-1)!.number],
    );
    expect(Number(taken!.count)).toBe(serials.at(-1));
    expect(Number(taken!.distinct_count)).toBe(serials.at(-1));

    // Exactly one row per period, counted in the table itself rather than through the ORM's view of it.
    const perPeriod = await connection.execute<{ period_start: Date; invoices: string }[]>(
      `select period_start, count(*) as invoices from invoices where subscription_id = ?
        group by period_start order by period_start`,
      [subscription.id],
    );
    expect(perPeriod.map((row) => [new Date(row.period_start).toISOString(), Number(row.invoices)])).toEqual(
      starts.map((start) => [start, 1]),
    );

    // No payment method: the first invoice ended the trial and made the subscription ACTIVE, and it stays so.
    const current = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id });
    expect(current.status).toBe('ACTIVE');
    expect(current.currentPeriodStart!.toISOString()).toBe(starts[11]);
    const state = await handle.query(subscriptionStateQuery);
    expect(state).toMatchObject({ status: 'ACTIVE', periodIndex: 11, lastInvoiceId: invoices[11]!.id });

    // One run per period, each closed by continue-as-new; the current run's history is as short as any other's.
    expect(new Set(runIds).size).toBe(12);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).toBe(runIds[11]);
    expect(description.historyLength).toBeLessThan(MAX_RUN_HISTORY);
    const closedLengths = await Promise.all(
      runIds.slice(0, 11).map(async (runId) => {
        const events = (await env.client.workflow.getHandle(subscription.workflowId, runId).fetchHistory()).events!;
        expect(events.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
        return events.length;
      }),
    );
    for (const length of closedLengths) expect(length).toBeLessThan(MAX_RUN_HISTORY);
    // Renewal runs (all but the first, which also waits out the trial) do not grow with their index; a workflow task
    // more or less is allowed, for when two completions happen to land in one task.
    const renewals = closedLengths.slice(1);
    expect(Math.max(...renewals) - Math.min(...renewals)).toBeLessThanOrEqual(3);
    expect(description.historyLength).toBeLessThan(Math.max(...renewals));
    console.log(
      `history length per run: closed runs ${closedLengths.join(', ')}; current run ${description.historyLength}`,
    );
  }, 180_000);
});
