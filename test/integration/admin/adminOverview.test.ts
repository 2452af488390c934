// The admin overview and the past-due list through the GraphQL endpoint against the real Postgres: one app's
// business seeded on known dates, its figures exact in minor units per bucket, the time zone moving the buckets'
// edges, and retries counted as the workflow counts them (PAYMENT_RETRY_DAYS=1,2 here).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';

const OVERVIEW = /* GraphQL */ `
  query ($from: DateTimeISO!, $to: DateTimeISO!, $bucket: ReportBucket!, $tz: String, $app: ID) {
    adminOverview(from: $from, to: $to, bucket: $bucket, timeZone: $tz, apiClientId: $app) {
      asOf
      subscriptionsByStatus {
        status
        count
      }
      monthlyRecurringRevenue {
        amount
        currency
      }
      upcomingRenewals {
        withinDays
        count
        totals {
          amount
          currency
        }
      }
      series {
        start
        end
        monthlyRecurringRevenue {
          amount
          currency
        }
        payingSubscriptions
        trialingSubscriptions
        invoiced {
          count
          totals {
            amount
            currency
          }
        }
        collected {
          count
          totals {
            amount
            currency
          }
        }
        failedPayments
        startedSubscriptions
        endedSubscriptions
      }
    }
  }
`;

const PAST_DUE = /* GraphQL */ `
  query ($app: ID) {
    pastDueSubscriptions(apiClientId: $app) {
      subscriptionId
      invoiceId
      amountDue {
        amount
        currency
      }
      attempts
      failedAttempts
      retriesLeft
      nextRetryAt
      dunningEndsAt
      lastFailureCode
      hardDecline
      subscription {
        id
        status
      }
      invoice {
        id
        status
      }
    }
  }
`;

interface Money {
  amount: number;
  currency: string;
}
interface Bucket {
  start: string;
  end: string;
  monthlyRecurringRevenue: Money[];
  payingSubscriptions: number;
  trialingSubscriptions: number;
  invoiced: { count: number; totals: Money[] };
  collected: { count: number; totals: Money[] };
  failedPayments: number;
  startedSubscriptions: number;
  endedSubscriptions: number;
}
interface Overview {
  subscriptionsByStatus: { status: string; count: number }[];
  monthlyRecurringRevenue: Money[];
  upcomingRenewals: { withinDays: number; count: number; totals: Money[] }[];
  series: Bucket[];
}

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

describe('adminOverview and pastDueSubscriptions', () => {
  const suite = apiForSuite({ PAYMENT_RETRY_DAYS: '1,2' });
  let admin: Headers;
  let appId: string;
  let pastDue: { subscriptionId: string; invoiceId: string };
  let hardDeclined: { subscriptionId: string; invoiceId: string };
  const firstFailure = new Date(Date.now() - 3 * 3_600_000);
  const secondFailure = new Date(Date.now() - 3_600_000);

  async function overview(variables: Record<string, unknown>, headers: Headers = admin) {
    return suite.api.graphql<{ adminOverview: Overview }>(OVERVIEW, { app: appId, ...variables }, headers);
  }

  beforeAll(async () => {
    admin = await adminHeaders(suite.api, suite.orm);
    appId = (await apiClientHeaders(suite.api, admin, ['read:reports'])).apiClientId;
    const kes = await aPlan(suite.orm.em, { amount: 100_000, currency: 'KES', interval: 'MONTH', trialDays: 0 });
    const usd = await aPlan(suite.orm.em, { amount: 120_000, currency: 'USD', interval: 'YEAR', trialDays: 0 });

    const em = suite.orm.em.fork();
    const customer = em.create(Customer, {
      email: uniqueEmail('overview'),
      name: 'Overview customer',
      apiClient: appId,
      externalId: randomUUID(),
    });
    const subscription = (data: Record<string, unknown>) =>
      em.create(Subscription, { customer, quantity: 1, billingAnchor: data.createdAt as Date, ...data } as never);
    const a = subscription({ plan: kes.id, status: 'ACTIVE', createdAt: at('2026-03-01T10:00:00Z') });
    const b = subscription({
      plan: kes.id,
      quantity: 2,
      status: 'ACTIVE',
      createdAt: at('2026-03-01T12:00:00Z'),
      trialStart: at('2026-03-01T12:00:00Z'),
      trialEnd: at('2026-03-02T12:00:00Z'),
      billingAnchor: at('2026-03-02T12:00:00Z'),
    });
    subscription({
      plan: usd.id,
      status: 'CANCELED',
      createdAt: at('2026-02-20T00:00:00Z'),
      endedAt: at('2026-03-02T08:00:00Z'),
    });
    subscription({
      plan: kes.id,
      status: 'PAUSED',
      createdAt: at('2026-02-01T00:00:00Z'),
      pausedAt: at('2026-03-03T01:00:00Z'),
    });
    // Renewals coming: a trial ending in 3 days (KES, both windows), a period ending in 20 days (USD, 30 days only).
    subscription({
      plan: kes.id,
      status: 'TRIALING',
      createdAt: new Date(Date.now() - DAY),
      trialStart: new Date(Date.now() - DAY),
      trialEnd: new Date(Date.now() + 3 * DAY),
    });
    subscription({
      plan: usd.id,
      status: 'ACTIVE',
      createdAt: at('2025-12-01T00:00:00Z'),
      currentPeriodStart: new Date(Date.now() - 10 * DAY),
      currentPeriodEnd: new Date(Date.now() + 20 * DAY),
    });
    // Past due: two soft declines; and one hard decline.
    const late = subscription({ plan: kes.id, status: 'ACTIVE', createdAt: at('2025-11-01T00:00:00Z') });
    const hard = subscription({ plan: kes.id, status: 'ACTIVE', createdAt: at('2025-11-02T00:00:00Z') });
    await em.flush();

    const invoiceA = await issuePeriodInvoice(suite.orm.em, { subscriptionId: a.id, periodIndex: 0 });
    const invoiceB = await issuePeriodInvoice(suite.orm.em, { subscriptionId: b.id, periodIndex: 0 });
    const lateInvoice = await issuePeriodInvoice(suite.orm.em, { subscriptionId: late.id, periodIndex: 0 });
    const hardInvoice = await issuePeriodInvoice(suite.orm.em, { subscriptionId: hard.id, periodIndex: 0 });
    const sql = suite.orm.em.fork();
    await sql.execute(`update invoices set issued_at = ? where id = ?`, [
      at('2026-03-01T11:00:00Z'),
      invoiceA.invoiceId,
    ]);
    await sql.execute(`update invoices set issued_at = ? where id = ?`, [
      at('2026-03-02T13:00:00Z'),
      invoiceB.invoiceId,
    ]);
    // The last two are being collected (issuing makes a subscription ACTIVE, and their current period is long over).
    await sql.execute(`update invoices set issued_at = ?, status = 'OPEN' where id in (?, ?)`, [
      at('2025-11-01T00:00:00Z'),
      lateInvoice.invoiceId,
      hardInvoice.invoiceId,
    ]);
    await sql.execute(`update subscriptions set status = 'PAST_DUE', current_period_end = ? where id in (?, ?)`, [
      new Date(Date.now() - DAY),
      late.id,
      hard.id,
    ]);

    const pay = suite.orm.em.fork();
    const payment = (invoice: { invoiceId: string; total: number }, data: Record<string, unknown>) =>
      pay.create(Payment, {
        invoice: invoice.invoiceId,
        customer,
        provider: 'MPESA',
        amount: invoice.total,
        currency: 'KES',
        idempotencyKey: `overview-${randomUUID()}`,
        ...data,
      } as never);
    payment(invoiceA, { status: 'FAILED', attempt: 1, completedAt: at('2026-03-01T11:05:00Z') });
    payment(invoiceA, { status: 'SUCCEEDED', attempt: 2, completedAt: at('2026-03-02T09:00:00Z') });
    payment(lateInvoice, { status: 'FAILED', attempt: 1, completedAt: firstFailure, failureCode: '1' });
    payment(lateInvoice, { status: 'FAILED', attempt: 2, completedAt: secondFailure, failureCode: '1032' });
    payment(hardInvoice, { status: 'FAILED', attempt: 1, completedAt: secondFailure, hardDecline: true });
    await pay.flush();
    pastDue = { subscriptionId: late.id, invoiceId: lateInvoice.invoiceId };
    hardDeclined = { subscriptionId: hard.id, invoiceId: hardInvoice.invoiceId };
  });

  it('gives each day its flows and the levels at its end, exact in minor units', async () => {
    const result = await overview({ from: '2026-03-01T00:00:00Z', to: '2026-03-04T00:00:00Z', bucket: 'DAY' });
    expect(result.errors).toBeUndefined();
    const series = result.data!.adminOverview.series;
    expect(series.map((bucket) => [bucket.start, bucket.end])).toEqual([
      ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'],
      ['2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z'],
    ]);
    const [first, second, third] = series as [Bucket, Bucket, Bucket];
    // Mar 1: A, the paused one and the two (later past due) from 2025 pay KES 1,000.00 each; two yearly USD ones a
    // twelfth of 1,200.00 each; B is in its trial.
    expect(first).toMatchObject({
      monthlyRecurringRevenue: [
        { amount: 400_000, currency: 'KES' },
        { amount: 20_000, currency: 'USD' },
      ],
      payingSubscriptions: 6,
      trialingSubscriptions: 1,
      invoiced: { count: 1, totals: [{ amount: 100_000, currency: 'KES' }] },
      collected: { count: 0, totals: [] },
      failedPayments: 1,
      startedSubscriptions: 2,
      endedSubscriptions: 0,
    });
    // Mar 2: the USD one ended, B's trial ended (2 seats), A's retry was paid.
    expect(second).toMatchObject({
      monthlyRecurringRevenue: [
        { amount: 600_000, currency: 'KES' },
        { amount: 10_000, currency: 'USD' },
      ],
      payingSubscriptions: 6,
      trialingSubscriptions: 0,
      invoiced: { count: 1, totals: [{ amount: 200_000, currency: 'KES' }] },
      collected: { count: 1, totals: [{ amount: 100_000, currency: 'KES' }] },
      failedPayments: 0,
      startedSubscriptions: 0,
      endedSubscriptions: 1,
    });
    // Mar 3: paused.
    expect(third).toMatchObject({
      monthlyRecurringRevenue: [
        { amount: 500_000, currency: 'KES' },
        { amount: 10_000, currency: 'USD' },
      ],
      payingSubscriptions: 5,
      invoiced: { count: 0, totals: [] },
      startedSubscriptions: 0,
      endedSubscriptions: 0,
    });
  });

  it('gives the figures of now: statuses, recurring revenue (as the last bucket rebuilds it) and renewals coming', async () => {
    const from = new Date(Date.now() - 2 * DAY).toISOString();
    const to = new Date(Date.now() + DAY).toISOString();
    const result = await overview({ from, to, bucket: 'DAY' });
    expect(result.errors).toBeUndefined();
    const now = result.data!.adminOverview;
    expect(now.subscriptionsByStatus).toEqual([
      { status: 'TRIALING', count: 1 },
      { status: 'ACTIVE', count: 3 },
      { status: 'PAST_DUE', count: 2 },
      { status: 'PAUSED', count: 1 },
      { status: 'CANCELED', count: 1 },
    ]);
    // A, B (2 seats) and the two past due in KES; the USD yearly one.
    expect(now.monthlyRecurringRevenue).toEqual([
      { amount: 500_000, currency: 'KES' },
      { amount: 10_000, currency: 'USD' },
    ]);
    const today = now.series.find((bucket) => Date.parse(bucket.end) > Date.now())!;
    expect(today.monthlyRecurringRevenue).toEqual(now.monthlyRecurringRevenue);
    expect(today.trialingSubscriptions).toBe(1);
    expect(now.upcomingRenewals).toEqual([
      { withinDays: 7, count: 1, totals: [{ amount: 100_000, currency: 'KES' }] },
      {
        withinDays: 30,
        count: 2,
        totals: [
          { amount: 100_000, currency: 'KES' },
          { amount: 120_000, currency: 'USD' },
        ],
      },
    ]);
  });

  it('cuts months at the range and moves day edges with the time zone', async () => {
    const months = await overview({ from: '2026-02-15T00:00:00Z', to: '2026-03-04T00:00:00Z', bucket: 'MONTH' });
    expect(months.errors).toBeUndefined();
    expect(months.data!.adminOverview.series.map((b) => ({ start: b.start, started: b.startedSubscriptions }))).toEqual(
      [
        // February from the 15th: the USD one (the paused one started on the 1st, before the range).
        { start: '2026-02-01T00:00:00.000Z', started: 1 },
        { start: '2026-03-01T00:00:00.000Z', started: 2 },
      ],
    );
    const nairobi = await overview({
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-02T00:00:00Z',
      bucket: 'DAY',
      tz: 'Africa/Nairobi',
    });
    expect(nairobi.errors).toBeUndefined();
    // 00:00 UTC is 03:00 in Nairobi, on a day that began at 21:00 UTC the evening before.
    expect(nairobi.data!.adminOverview.series.map((b) => b.start)).toEqual([
      '2026-02-28T21:00:00.000Z',
      '2026-03-01T21:00:00.000Z',
    ]);
  });

  it('refuses a bad range or zone naming the argument, and anyone but an administrator', async () => {
    const reversed = await overview({ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z', bucket: 'DAY' });
    expect(reversed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reversed.errors?.[0]?.message).toContain('to must be after from');
    const zone = await overview({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', bucket: 'DAY', tz: "x'" });
    expect(zone.errors?.[0]?.message).toContain('timeZone must be an IANA time zone');
    const long = await overview({ from: '2025-01-01T00:00:00Z', to: '2026-03-02T00:00:00Z', bucket: 'DAY' });
    expect(long.errors?.[0]?.message).toContain('to must be at most 400 days');
    const app = await apiClientHeaders(suite.api, admin, ['read:reports']);
    const refused = await overview(
      { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', bucket: 'DAY' },
      app.headers,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists past-due subscriptions with the retries the schedule leaves', async () => {
    const result = await suite.api.graphql<{ pastDueSubscriptions: Record<string, unknown>[] }>(
      PAST_DUE,
      { app: appId },
      admin,
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data!.pastDueSubscriptions;
    expect(rows).toHaveLength(2);
    const soft = rows.find((row) => row.subscriptionId === pastDue.subscriptionId)!;
    expect(soft).toMatchObject({
      invoiceId: pastDue.invoiceId,
      amountDue: { amount: 100_000, currency: 'KES' },
      attempts: 2,
      failedAttempts: 2,
      // Schedule 1,2 days: attempt 2 was the first retry, one is left, 2 days after it; dunning ends 3 days after
      // the first failure.
      retriesLeft: 1,
      nextRetryAt: new Date(secondFailure.getTime() + 2 * DAY).toISOString(),
      dunningEndsAt: new Date(firstFailure.getTime() + 3 * DAY).toISOString(),
      lastFailureCode: '1032',
      hardDecline: false,
      subscription: { id: pastDue.subscriptionId, status: 'PAST_DUE' },
      invoice: { id: pastDue.invoiceId, status: 'OPEN' },
    });
    expect(rows.find((row) => row.subscriptionId === hardDeclined.subscriptionId)).toMatchObject({
      attempts: 1,
      retriesLeft: 0,
      nextRetryAt: null,
      hardDecline: true,
    });
  });
});
