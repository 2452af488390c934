// The transactions ledger through GraphQL on the real Postgres: a charge, an offline payment that overpays (its
// overpayment granted as credit), a credit note to the balance, and the credit spent by a later invoice all appear
// for the app that owns the customer, filtered and paged, with totals per currency exact in minor units; another
// app sees none of it.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { issueCreditNote } from '../../../src/creditNotes/issueCreditNote.js';
import { Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { recordOfflinePayment } from '../../../src/payments/offline/recordOfflinePayment.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { admin as adminCaller, aPlan, uniqueEmail } from '../../support/fixtures.js';

const LEDGER = /* GraphQL */ `
  query ($filter: TransactionFilter, $first: Int, $after: String) {
    transactions(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          kind
          method
          status
          amount {
            amount
            currency
          }
          reference
          invoiceId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    transactionTotals(filter: $filter) {
      currency
      collected {
        amount
      }
      refunded {
        amount
      }
      net {
        amount
      }
      creditGranted {
        amount
      }
      creditApplied {
        amount
      }
    }
  }
`;

interface Ledger {
  transactions: {
    edges: { cursor: string; node: { kind: string; method: string; status: string; amount: { amount: number } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  transactionTotals: Record<string, unknown>[];
}

const noWorkflow = { invoiceClosed: async () => undefined };

describe('transactions ledger', () => {
  const suite = apiForSuite();
  let app: Headers;
  let otherApp: Headers;
  let customerId: string;
  let firstInvoiceId: string;

  const ledger = async (headers: Headers, variables: Record<string, unknown>) => {
    const response = await suite.api.graphql<Ledger>(LEDGER, variables, headers);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };

  beforeAll(async () => {
    const admin = await adminHeaders(suite.api, suite.orm);
    const mine = await apiClientHeaders(suite.api, admin, ['read:invoices', 'read:reports']);
    app = mine.headers;
    otherApp = (await apiClientHeaders(suite.api, admin, ['read:invoices'])).headers;
    const plan = await aPlan(suite.orm.em, { amount: 10_000, currency: 'KES', trialDays: 0 });
    const em = suite.orm.em.fork();
    const customer = em.create(Customer, {
      email: uniqueEmail('ledger'),
      name: 'Ledger customer',
      apiClient: mine.apiClientId,
      externalId: randomUUID(),
    });
    const [first, second, third] = [0, 1, 2].map((i) =>
      em.create(Subscription, {
        customer,
        plan: plan.id,
        status: 'INCOMPLETE',
        billingAnchor: new Date(Date.now() - 3_600_000 + i),
      }),
    );
    await em.flush();
    customerId = customer.id;
    // A charge that failed, then one that succeeded, on the first invoice.
    const one = await issuePeriodInvoice(suite.orm.em, { subscriptionId: first!.id, periodIndex: 0 });
    firstInvoiceId = one.invoiceId;
    for (const [attempt, status] of [
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ] as const) {
      em.create(Payment, {
        invoice: one.invoiceId,
        customer,
        provider: 'MPESA',
        status,
        attempt,
        amount: 10_000,
        currency: 'KES',
        idempotencyKey: `ledger-${randomUUID()}`,
        receiptNumber: status === 'SUCCEEDED' ? 'QJK3X8Y2Z1' : null,
        completedAt: new Date(),
      });
    }
    await em.flush();
    // A bank transfer of 12,500 on the second: 2,500 beyond it becomes credit.
    const two = await issuePeriodInvoice(suite.orm.em, { subscriptionId: second!.id, periodIndex: 0 });
    await recordOfflinePayment(suite.orm.em, adminCaller, noWorkflow, {
      invoiceId: two.invoiceId,
      amount: 12_500,
      currency: 'KES',
      method: 'BANK_TRANSFER',
      reference: 'EQ-778812',
      receivedAt: new Date(),
    });
    // A credit note of 1,000 on the paid second invoice, to the balance.
    await issueCreditNote(suite.orm.em, adminCaller, noWorkflow, {
      invoiceId: two.invoiceId,
      reason: 'SERVICE_ISSUE',
      lines: [{ description: 'Outage', amount: 1_000 }],
      idempotencyKey: randomUUID(),
    });
    // The third invoice spends the 3,500 of credit.
    await issuePeriodInvoice(suite.orm.em, { subscriptionId: third!.id, periodIndex: 0 });
  });

  it('lists every movement of the customer with exact totals', async () => {
    const { transactions, transactionTotals } = await ledger(app, { filter: { customerId } });
    expect(
      transactions.edges.map((edge) => [edge.node.kind, edge.node.status, edge.node.amount.amount]).sort(),
    ).toEqual([
      ['CHARGE', 'FAILED', 10_000],
      ['CHARGE', 'SUCCEEDED', 10_000],
      ['CREDIT_APPLIED', 'SUCCEEDED', -3_500],
      ['CREDIT_GRANTED', 'SUCCEEDED', 1_000],
      ['CREDIT_GRANTED', 'SUCCEEDED', 2_500],
      ['OFFLINE_PAYMENT', 'SUCCEEDED', 12_500],
    ]);
    expect(transactionTotals).toEqual([
      {
        currency: 'KES',
        collected: { amount: 22_500 },
        refunded: { amount: 0 },
        net: { amount: 22_500 },
        creditGranted: { amount: 3_500 },
        creditApplied: { amount: 3_500 },
      },
    ]);
  });

  it('filters by kind, method, status, reference and invoice', async () => {
    const kinds = async (filter: Record<string, unknown>) =>
      (await ledger(app, { filter: { customerId, ...filter } })).transactions.edges.map((edge) => edge.node.kind);
    expect(await kinds({ kinds: ['OFFLINE_PAYMENT'] })).toEqual(['OFFLINE_PAYMENT']);
    expect(await kinds({ methods: ['MPESA'], statuses: ['SUCCEEDED'] })).toEqual(['CHARGE']);
    expect(await kinds({ reference: 'eq-778812' })).toEqual(['OFFLINE_PAYMENT']);
    expect(await kinds({ reference: 'qjk3x8y2z1' })).toEqual(['CHARGE']);
    expect((await kinds({ invoiceId: firstInvoiceId })).sort()).toEqual(['CHARGE', 'CHARGE']);
    expect(await kinds({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });

  it('pages newest first without repeating or skipping a row', async () => {
    const all = (await ledger(app, { filter: { customerId } })).transactions.edges.map((edge) => edge.cursor);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Ledger['transactions'] = (await ledger(app, { filter: { customerId }, first: 4, after }))
        .transactions;
      seen.push(...page.edges.map((edge) => edge.cursor));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all);
    const refused = await suite.api.graphql(LEDGER, { after: 'not-a-cursor' }, app);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts offline payments and credit notes in the billing report', async () => {
    const report = await suite.api.graphql<{
      billingReport: Record<'collected' | 'collectedOffline' | 'credited', { count: number; totals: unknown[] }>;
    }>(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { billingReport(from: $from, to: $to) {
         collected { count totals { amount currency } }
         collectedOffline { count totals { amount currency } }
         credited { count totals { amount currency } } } }`,
      { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() },
      app,
    );
    expect(report.data!.billingReport).toEqual({
      collected: { count: 1, totals: [{ amount: 10_000, currency: 'KES' }] },
      collectedOffline: { count: 1, totals: [{ amount: 12_500, currency: 'KES' }] },
      credited: { count: 1, totals: [{ amount: 1_000, currency: 'KES' }] },
    });
  });

  it("shows another app nothing of this customer's", async () => {
    const { transactions, transactionTotals } = await ledger(otherApp, { filter: { customerId } });
    expect(transactions.edges).toEqual([]);
    expect(transactionTotals).toEqual([]);
  });
});
