// No N+1: a nested query issues the same number of SQL statements for 2 customers as for 50, because every
// relation goes through a per-request DataLoader. Statements are counted at the ORM (every query it sends).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { recordAudit } from '../../../src/audit/recordAudit.js';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { countingOrm, testOrm } from '../../support/db.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';

/** Names this run's customers, so queries that see every customer can pick out this run's. */
const RUN = randomUUID().slice(0, 8);

const NESTED = /* GraphQL */ `
  query ($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          subscriptions {
            id
            status
            plan {
              id
              name
              product {
                code
              }
              price {
                amount
              }
            }
          }
          invoices {
            id
            number
            total {
              amount
              currency
            }
            lines {
              kind
              amount {
                amount
              }
            }
            payments {
              status
              attempt
              amount {
                amount
              }
            }
          }
          payments {
            id
            provider
            status
          }
        }
      }
    }
  }
`;

describe('DataLoaders', () => {
  let setupOrm: Orm;
  let orm: Orm;
  let api: RunningApi;
  let counter: { orm: Orm; statements: number };
  const apps: Headers[] = [];
  /** A subscription of the first app's customers. */
  let appSubscriptionId: string;

  beforeAll(async () => {
    setupOrm = await testOrm();
    counter = countingOrm();
    orm = counter.orm;
    api = await startApi(orm);
    const admin = await adminHeaders(api, setupOrm);
    // Two apps, so each sees exactly its own customers: one with 2, one with 50.
    for (const count of [2, 50]) {
      const app = await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES);
      apps.push(app.headers);
      const plan = await aPlan(setupOrm.em, { trialDays: 0 });
      const em = setupOrm.em.fork();
      const subscriptions: Subscription[] = [];
      for (let i = 0; i < count; i++) {
        const customer = em.create(Customer, {
          email: uniqueEmail('n1'),
          name: `N+1 ${RUN} ${i}`,
          apiClient: app.apiClientId,
          externalId: randomUUID(),
        });
        subscriptions.push(
          em.create(Subscription, {
            customer,
            plan: plan.id,
            status: 'INCOMPLETE',
            billingAnchor: new Date(Date.UTC(2030, 0, 1 + i)),
          }),
        );
      }
      await em.flush();
      if (count === 2) appSubscriptionId = subscriptions[0]!.id;
      const payments = setupOrm.em.fork();
      for (const subscription of subscriptions) {
        const invoice = await issuePeriodInvoice(setupOrm.em, { subscriptionId: subscription.id, periodIndex: 0 });
        payments.create(Payment, {
          invoice: invoice.invoiceId,
          customer: subscription.customer.id,
          provider: 'MPESA',
          status: 'SUCCEEDED',
          attempt: 1,
          amount: invoice.total,
          currency: invoice.currency,
          idempotencyKey: `${invoice.invoiceId}:1`,
        });
      }
      await payments.flush();
    }
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([orm?.close(), setupOrm?.close()]);
  });

  async function statementsFor(headers: Headers, expectedCustomers: number): Promise<number> {
    counter.statements = 0;
    const result = await api.graphql<{
      customers: {
        edges: {
          node: {
            subscriptions: unknown[];
            payments: unknown[];
            invoices: { lines: unknown[]; payments: unknown[] }[];
          };
        }[];
      };
    }>(NESTED, { first: 100 }, headers);
    expect(result.errors).toBeUndefined();
    const edges = result.data!.customers.edges;
    expect(edges).toHaveLength(expectedCustomers);
    for (const { node } of edges) {
      expect(node.subscriptions).toHaveLength(1);
      expect(node.invoices).toHaveLength(1);
      expect(node.invoices[0]!.lines).toHaveLength(1);
      expect(node.invoices[0]!.payments).toHaveLength(1);
      expect(node.payments).toHaveLength(1);
    }
    return counter.statements;
  }

  it('issues the same number of statements for 2 customers as for 50', async () => {
    const forTwo = await statementsFor(apps[0]!, 2);
    const forFifty = await statementsFor(apps[1]!, 50);
    expect(forFifty).toBe(forTwo);
    // One per relation: API key lookup (first request of each app), customers, subscriptions, plans, products,
    // invoices, lines, invoice payments, customer payments.
    expect(forFifty).toBeLessThanOrEqual(10);
    console.log(`nested customers query: ${forTwo} SQL statements for 2 customers, ${forFifty} for 50`);
  });

  it('reads audit trails of customers and their subscriptions without N+1, and only with read:audit', async () => {
    const admin = await adminHeaders(api, setupOrm);
    const subscription = { id: appSubscriptionId };

    const em = setupOrm.em.fork();
    recordAudit(
      em,
      { kind: 'user', userId: randomUUID(), role: 'ADMIN', customerId: null },
      'subscription.paused',
      'Subscription',
      subscription.id,
      { periods: 2 },
    );
    await em.flush();

    // An administrator sees every customer in the database; this run's (each with a subscription) are found by name.
    const trails = `query ($first: Int!, $run: String!) { customers(first: $first, filter: { search: $run }) { edges { node { auditTrail { action } subscriptions { auditTrail { action } } } } } }`;
    const countFor = async (first: number) => {
      counter.statements = 0;
      const result = await api.graphql<{ customers: { edges: unknown[] } }>(trails, { first, run: RUN }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data!.customers.edges).toHaveLength(first);
      return counter.statements;
    };
    expect(await countFor(50)).toBe(await countFor(2));

    const one = await api.graphql<{
      subscription: { auditTrail: { action: string; actorType: string; changes: unknown }[] };
    }>(
      'query ($id: ID!) { subscription(id: $id) { auditTrail { action actorType changes } } }',
      { id: subscription.id },
      admin,
    );
    expect(one.data?.subscription.auditTrail.at(-1)).toEqual({
      action: 'subscription.paused',
      actorType: 'USER',
      changes: { periods: 2 },
    });
    // The apps here hold every client scope except read:audit.
    const app = await api.graphql(
      'query ($id: ID!) { subscription(id: $id) { auditTrail { action } } }',
      { id: subscription.id },
      apps[0]!,
    );
    expect(app.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  // Apollo copies each request's context; the identity map must still be made once, and only when used.
  it('forks one identity map for a request that reads entities, and none for entitlement', async () => {
    const fork = jest.spyOn(orm.em, 'fork');
    try {
      const entitlement = await api.graphql<{ entitlement: { granted: boolean } }>(
        `{ entitlement(customerExternalId: "${randomUUID()}", product: "no-such-product") { granted } }`,
        {},
        apps[0]!,
      );
      expect(entitlement.data?.entitlement.granted).toBe(false);
      expect(fork).not.toHaveBeenCalled();

      await statementsFor(apps[0]!, 2);
      expect(fork).toHaveBeenCalledTimes(1);
    } finally {
      fork.mockRestore();
    }
  });
});
