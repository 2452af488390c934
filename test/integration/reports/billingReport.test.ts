// The billing report through the GraphQL endpoint against the real Postgres: a client app's own figures, exact in
// minor units, with what lies outside its range or belongs to another app left out.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, beforeAll } from '@jest/globals';
import { grantCredit } from '../../../src/billing/changes/customerCredit.js';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';
import type { SubscriptionStatus } from '../../../src/domain/subscriptionStatus.js';

const REPORT = /* GraphQL */ `
  query ($from: DateTimeISO!, $to: DateTimeISO!) {
    billingReport(from: $from, to: $to) {
      asOf
      subscriptionsByStatus {
        status
        count
      }
      monthlyRecurringRevenue {
        amount
        currency
        formatted
      }
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
      creditOutstanding {
        count
        totals {
          amount
          currency
        }
      }
      startedSubscriptions
      endedSubscriptions
    }
  }
`;

interface Report {
  subscriptionsByStatus: { status: string; count: number }[];
  monthlyRecurringRevenue: { amount: number; currency: string; formatted: string }[];
  invoiced: { count: number; totals: { amount: number; currency: string }[] };
  collected: { count: number; totals: { amount: number; currency: string }[] };
  creditOutstanding: { count: number; totals: { amount: number; currency: string }[] };
  startedSubscriptions: number;
  endedSubscriptions: number;
}

const DAY = 86_400_000;

describe('billingReport', () => {
  const suite = apiForSuite();
  let app: Headers;
  let otherApp: Headers;
  let admin: Headers;
  const range = () => ({
    from: new Date(Date.now() - DAY).toISOString(),
    to: new Date(Date.now() + DAY).toISOString(),
  });

  /** A customer of `apiClientId` with one subscription per entry. */
  async function subscriptions(
    apiClientId: string,
    entries: { planId: string; status: SubscriptionStatus; quantity?: number; endedAt?: Date }[],
  ): Promise<Subscription[]> {
    const em = suite.orm.em.fork();
    const customer = em.create(Customer, {
      email: uniqueEmail('report'),
      name: 'Report customer',
      apiClient: apiClientId,
      externalId: randomUUID(),
    });
    const created = entries.map((entry, i) =>
      em.create(Subscription, {
        customer,
        plan: entry.planId,
        status: entry.status,
        quantity: entry.quantity ?? 1,
        // Invoices are issued at their period's start: an hour ago, inside the report's range.
        billingAnchor: new Date(Date.now() - 3_600_000 + i),
        endedAt: entry.endedAt ?? null,
      }),
    );
    await em.flush();
    return created;
  }

  async function payment(
    invoice: { invoiceId: string; total: number; currency: string },
    customerId: string,
    status: 'SUCCEEDED' | 'FAILED',
    completedAt: Date,
  ) {
    const em = suite.orm.em.fork();
    em.create(Payment, {
      invoice: invoice.invoiceId,
      customer: customerId,
      provider: 'MPESA',
      status,
      attempt: 1,
      amount: invoice.total,
      currency: invoice.currency,
      idempotencyKey: `report-${randomUUID()}`,
      completedAt,
    });
    await em.flush();
  }

  beforeAll(async () => {
    admin = await adminHeaders(suite.api, suite.orm);
    const mine = await apiClientHeaders(suite.api, admin, ['read:reports']);
    const theirs = await apiClientHeaders(suite.api, admin, ['read:reports']);
    app = mine.headers;
    otherApp = theirs.headers;
    const kesMonthly = await aPlan(suite.orm.em, { amount: 150_000, currency: 'KES', interval: 'MONTH', trialDays: 0 });
    const usdYearly = await aPlan(suite.orm.em, { amount: 120_000, currency: 'USD', interval: 'YEAR', trialDays: 0 });
    const kesWeekly = await aPlan(suite.orm.em, { amount: 1_200, currency: 'KES', interval: 'WEEK', trialDays: 0 });

    const [paid, pastDue, , yearly] = await subscriptions(mine.apiClientId, [
      { planId: kesMonthly.id, status: 'ACTIVE' },
      { planId: kesMonthly.id, status: 'PAST_DUE', quantity: 2 },
      { planId: kesMonthly.id, status: 'ACTIVE' },
      { planId: usdYearly.id, status: 'ACTIVE' },
      { planId: usdYearly.id, status: 'TRIALING' },
      { planId: kesWeekly.id, status: 'CANCELED', endedAt: new Date() },
      { planId: kesWeekly.id, status: 'PAUSED' },
    ]);
    // Invoices: KES 1,500.00 and 3,000.00 and USD 1,200.00 issued now; the first is paid now, the USD one was
    // paid last year (outside the range), and a failed attempt counts for nothing.
    const first = await issuePeriodInvoice(suite.orm.em, { subscriptionId: paid!.id, periodIndex: 0 });
    const second = await issuePeriodInvoice(suite.orm.em, { subscriptionId: pastDue!.id, periodIndex: 0 });
    const usd = await issuePeriodInvoice(suite.orm.em, { subscriptionId: yearly!.id, periodIndex: 0 });
    // Issuing an invoice makes a subscription ACTIVE; this one's charge then failed.
    await suite.orm.em.fork().execute(`update subscriptions set status = 'PAST_DUE' where id = ?`, [pastDue!.id]);
    await payment(first, paid!.customer.id, 'SUCCEEDED', new Date());
    await payment(second, pastDue!.customer.id, 'FAILED', new Date());
    await payment(usd, yearly!.customer.id, 'SUCCEEDED', new Date(Date.now() - 400 * DAY));
    // An old invoice, outside the range.
    const old = await issuePeriodInvoice(suite.orm.em, { subscriptionId: paid!.id, periodIndex: 1 });
    await suite.orm.em
      .fork()
      .execute('update invoices set issued_at = ? where id = ?', [new Date(Date.now() - 400 * DAY), old.invoiceId]);

    // KES 250.00 of credit owed to the first app's customer.
    await suite.orm.em.fork().transactional((tx) =>
      grantCredit(tx, {
        customerId: paid!.customer.id,
        subscriptionId: paid!.id,
        currency: 'KES',
        amount: 25_000,
        description: 'Downgrade',
        dedupeKey: `report-${randomUUID()}`,
      }),
    );

    // Another app's business must not show in the first app's report.
    const [foreign] = await subscriptions(theirs.apiClientId, [
      { planId: kesMonthly.id, status: 'ACTIVE', quantity: 10 },
    ]);
    const foreignInvoice = await issuePeriodInvoice(suite.orm.em, { subscriptionId: foreign!.id, periodIndex: 0 });
    await payment(foreignInvoice, foreign!.customer.id, 'SUCCEEDED', new Date());
  });

  it('gives a client app its own figures, exact in minor units', async () => {
    const result = await suite.api.graphql<{ billingReport: Report }>(REPORT, range(), app);
    expect(result.errors).toBeUndefined();
    const report = result.data!.billingReport;
    // In the order of the lifecycle (the enum's), not alphabetical.
    expect(report.subscriptionsByStatus).toEqual([
      { status: 'TRIALING', count: 1 },
      { status: 'ACTIVE', count: 3 },
      { status: 'PAST_DUE', count: 1 },
      { status: 'PAUSED', count: 1 },
      { status: 'CANCELED', count: 1 },
    ]);
    // KES: 150,000 x (1 + 2 + 1); the canceled and paused weekly plans count for nothing. USD: 120,000 / 12.
    expect(report.monthlyRecurringRevenue.map(({ amount, currency }) => ({ amount, currency }))).toEqual([
      { amount: 600_000, currency: 'KES' },
      { amount: 10_000, currency: 'USD' },
    ]);
    expect(report.monthlyRecurringRevenue[0]!.formatted).toBe('Ksh\u00a06,000.00');
    expect(report.invoiced).toEqual({
      count: 3,
      totals: [
        { amount: 450_000, currency: 'KES' },
        { amount: 120_000, currency: 'USD' },
      ],
    });
    expect(report.collected).toEqual({ count: 1, totals: [{ amount: 150_000, currency: 'KES' }] });
    expect(report.creditOutstanding).toEqual({ count: 1, totals: [{ amount: 25_000, currency: 'KES' }] });
    expect(report.startedSubscriptions).toBe(7);
    expect(report.endedSubscriptions).toBe(1);
  });

  it('gives another app only its own, and an administrator everything', async () => {
    const theirs = (await suite.api.graphql<{ billingReport: Report }>(REPORT, range(), otherApp)).data!.billingReport;
    expect(theirs.monthlyRecurringRevenue.map(({ amount, currency }) => ({ amount, currency }))).toEqual([
      { amount: 1_500_000, currency: 'KES' },
    ]);
    expect(theirs.collected).toEqual({ count: 1, totals: [{ amount: 1_500_000, currency: 'KES' }] });

    const everything = (await suite.api.graphql<{ billingReport: Report }>(REPORT, range(), admin)).data!.billingReport;
    const kes = (report: Report) => report.monthlyRecurringRevenue.find((m) => m.currency === 'KES')!.amount;
    expect(kes(everything)).toBeGreaterThanOrEqual(600_000 + 1_500_000);
  });

  it('refuses a range that is empty, reversed or longer than 366 days, naming the argument', async () => {
    const at = (offsetDays: number) => new Date(Date.UTC(2026, 5, 1) + offsetDays * DAY).toISOString();
    const reversed = await suite.api.graphql(REPORT, { from: at(1), to: at(0) }, app);
    expect(reversed.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { to: 'must be after from' },
    });
    const long = await suite.api.graphql(REPORT, { from: at(0), to: at(367) }, app);
    expect(long.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { to: 'must be at most 366 days after from' },
    });
  });
});
