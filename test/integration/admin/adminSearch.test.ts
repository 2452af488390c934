// The lists' filters and sorts through the GraphQL endpoint against the real Postgres: one app's rows (the admin
// filters by apiClientId, so rows of other suites in the shared database stay out), every filter finding what it
// names, keyset pages walking a sort without gaps or repeats, and the SQL statements per page constant in its size.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Customer, Payment, Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { countingOrm, testOrm } from '../../support/db.js';
import { aPlan, aProduct, uniqueEmail } from '../../support/fixtures.js';

const DAY = 86_400_000;
const NAMES = ['Wanjiru Otieno', 'Brian Kiptoo', 'Amina Hassan', 'Kevin Mwangi', 'Zawadi Njeri', 'Otieno Odhiambo'];

interface Edge<T> {
  cursor: string;
  node: T;
}
interface Connection<T> {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Edge<T>[];
}

describe('admin lists: search, filters, sorts and keyset pages', () => {
  let setupOrm: Orm;
  let orm: Orm;
  let api: RunningApi;
  let counter: { orm: Orm; statements: number };
  let admin: Headers;
  let appId: string;
  let productId: string;
  const customers: Customer[] = [];
  const subscriptions: Subscription[] = [];
  const invoices: { invoiceId: string; number: string; total: number }[] = [];
  const receipt = `R${randomUUID().slice(0, 9).toUpperCase().replace('-', '')}`;
  const checkout = `ws_CO_${randomUUID()}`;

  async function list<T>(field: string, query: string, variables: Record<string, unknown>) {
    const result = await api.graphql<Record<string, Connection<T>>>(query, variables, admin);
    expect(result.errors).toBeUndefined();
    return result.data![field]!;
  }

  const CUSTOMERS = `query ($f: CustomerFilter, $first: Int, $after: String, $sort: CustomerSort, $dir: SortDirection) {
    customers(filter: $f, first: $first, after: $after, sort: $sort, direction: $dir) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name phone } } } }`;
  const customersWhere = (f: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    list<{ id: string; name: string }>('customers', CUSTOMERS, { f: { apiClientId: appId, ...f }, ...extra });

  beforeAll(async () => {
    setupOrm = await testOrm();
    counter = countingOrm();
    orm = counter.orm;
    api = await startApi(orm);
    admin = await adminHeaders(api, setupOrm);
    appId = (await apiClientHeaders(api, admin, ['read:customers'])).apiClientId;
    productId = (await aProduct(setupOrm.em)).id;
    const plan = await aPlan(setupOrm.em, { productId, amount: 100_000, trialDays: 0 });
    const otherPlan = await aPlan(setupOrm.em, { amount: 50_000, trialDays: 0 });
    const em = setupOrm.em.fork();
    NAMES.forEach((name, i) => {
      const customer = em.create(Customer, {
        email: uniqueEmail(name.split(' ')[0]!.toLowerCase()),
        name,
        apiClient: appId,
        externalId: `ext-${i}-${randomUUID()}`,
        phone: `+25471234567${i}`,
        status: i === 3 ? 'SUSPENDED' : 'ACTIVE',
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
      });
      customers.push(customer);
      subscriptions.push(
        em.create(Subscription, {
          customer,
          plan: i % 2 === 0 ? plan.id : otherPlan.id,
          quantity: i + 1,
          status: i === 5 ? 'PAST_DUE' : 'ACTIVE',
          billingAnchor: new Date(Date.now() - 10 * DAY),
          // Renewals 1, 2, ... 6 days from now.
          currentPeriodEnd: new Date(Date.now() + (i + 1) * DAY),
        }),
      );
    });
    await em.flush();
    for (const subscription of subscriptions) {
      const invoice = await issuePeriodInvoice(setupOrm.em, { subscriptionId: subscription.id, periodIndex: 0 });
      invoices.push({ invoiceId: invoice.invoiceId, number: invoice.number, total: invoice.total });
    }
    const sql = setupOrm.em.fork();
    for (const [i, subscription] of subscriptions.entries()) {
      // Issuing moved the period and made the subscription ACTIVE: back to what the test wants.
      await sql.execute('update subscriptions set current_period_end = ?, status = ? where id = ?', [
        new Date(Date.now() + (i + 1) * DAY),
        i === 5 ? 'PAST_DUE' : 'ACTIVE',
        subscription.id,
      ]);
      await sql.execute('update invoices set issued_at = ? where id = ?', [
        new Date(Date.UTC(2026, 1, 1 + i)),
        invoices[i]!.invoiceId,
      ]);
    }
    const payments = setupOrm.em.fork();
    invoices.forEach((invoice, i) =>
      payments.create(Payment, {
        invoice: invoice.invoiceId,
        customer: customers[i]!,
        provider: i === 4 ? 'PAYPAL' : 'MPESA',
        status: i === 5 ? 'FAILED' : 'SUCCEEDED',
        attempt: 1,
        amount: invoice.total,
        currency: 'KES',
        idempotencyKey: `search-${randomUUID()}`,
        providerReference: i === 0 ? checkout : `ref-${randomUUID()}`,
        receiptNumber: i === 1 ? receipt : null,
      }),
    );
    await payments.flush();
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([orm?.close(), setupOrm?.close()]);
  });

  it('finds customers by name or email, phone in any form, externalId and status', async () => {
    const byName = await customersWhere({ search: 'OTIENO' });
    expect(byName.edges.map((e) => e.node.name).sort()).toEqual(['Otieno Odhiambo', 'Wanjiru Otieno']);
    const byEmail = await customersWhere({ search: 'brian-' });
    expect(byEmail.edges.map((e) => e.node.name)).toEqual(['Brian Kiptoo']);
    for (const phone of ['0712345672', '+254 712 345 672', '254712345672']) {
      const byPhone = await customersWhere({ phone });
      expect(byPhone.edges.map((e) => e.node.name)).toEqual(['Amina Hassan']);
    }
    const byDigits = await customersWhere({ phone: '345 67' });
    expect(byDigits.totalCount).toBe(6);
    const external = await customersWhere({ externalId: customers[4]!.externalId });
    expect(external.edges.map((e) => e.node.name)).toEqual(['Zawadi Njeri']);
    const suspended = await customersWhere({ status: 'SUSPENDED' });
    expect(suspended.edges.map((e) => e.node.name)).toEqual(['Kevin Mwangi']);
    const tooShort = await api.graphql(CUSTOMERS, { f: { phone: '7-1' } }, admin);
    expect(tooShort.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooShort.errors?.[0]?.message).toContain('filter.phone must hold at least 3 digits');
  });

  it('walks a sort page by page without gaps or repeats, and refuses a cursor of another sort', async () => {
    for (const [sort, dir, expected] of [
      ['NAME', 'ASC', [...NAMES].sort()],
      ['NAME', 'DESC', [...NAMES].sort().reverse()],
      ['CREATED_AT', 'DESC', [...NAMES].reverse()],
    ] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const result: Connection<{ name: string }> = await customersWhere({}, { first: 4, after, sort, dir });
        seen.push(...result.edges.map((e) => e.node.name));
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    }
    const first = await customersWhere({}, { first: 2, sort: 'NAME', dir: 'ASC' });
    const mixed = await api.graphql(
      CUSTOMERS,
      { f: { apiClientId: appId }, first: 2, after: first.pageInfo.endCursor, sort: 'EMAIL', dir: 'ASC' },
      admin,
    );
    expect(mixed.errors?.[0]?.message).toContain('after must be a cursor from a page sorted by EMAIL ASC');
  });

  it('filters subscriptions by status, product and renewal date, sorted by renewal', async () => {
    const query = `query ($f: SubscriptionFilter, $sort: SubscriptionSort, $dir: SortDirection, $after: String) {
      subscriptions(filter: $f, first: 2, sort: $sort, direction: $dir, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id status currentPeriodEnd customer { name } } } } }`;
    const renewing = await list<{ id: string; customer: { name: string } }>('subscriptions', query, {
      f: {
        apiClientId: appId,
        renewsFrom: new Date(Date.now() + 1.5 * DAY),
        renewsTo: new Date(Date.now() + 4.5 * DAY),
      },
      sort: 'RENEWS_AT',
      dir: 'ASC',
    });
    expect(renewing.totalCount).toBe(3);
    expect(renewing.edges.map((e) => e.node.customer.name)).toEqual(['Brian Kiptoo', 'Amina Hassan']);
    const rest = await list<{ customer: { name: string } }>('subscriptions', query, {
      f: {
        apiClientId: appId,
        renewsFrom: new Date(Date.now() + 1.5 * DAY),
        renewsTo: new Date(Date.now() + 4.5 * DAY),
      },
      sort: 'RENEWS_AT',
      dir: 'ASC',
      after: renewing.pageInfo.endCursor,
    });
    expect(rest.edges.map((e) => e.node.customer.name)).toEqual(['Kevin Mwangi']);
    const ofProduct = await list('subscriptions', query, { f: { apiClientId: appId, productId } });
    expect(ofProduct.totalCount).toBe(3);
    const pastDue = await list<{ customer: { name: string } }>('subscriptions', query, {
      f: { apiClientId: appId, statuses: ['PAST_DUE', 'PAUSED'] },
    });
    expect(pastDue.edges.map((e) => e.node.customer.name)).toEqual(['Otieno Odhiambo']);
  });

  it('filters invoices by number, issue date and amount, sorted by total', async () => {
    const query = `query ($f: InvoiceFilter, $sort: InvoiceSort, $dir: SortDirection) {
      invoices(filter: $f, first: 10, sort: $sort, direction: $dir) {
        totalCount edges { node { id number issuedAt total { amount } customer { name } subscription { id } } } } }`;
    const byNumber = await list<{ id: string }>('invoices', query, {
      f: { apiClientId: appId, number: invoices[2]!.number.slice(-6).toLowerCase() },
    });
    expect(byNumber.edges.map((e) => e.node.id)).toContain(invoices[2]!.invoiceId);
    const totals = invoices.map((invoice) => invoice.total);
    const ranged = await list<{ total: { amount: number } }>('invoices', query, {
      f: {
        apiClientId: appId,
        from: '2026-02-02T00:00:00Z',
        to: '2026-02-05T00:00:00Z',
        minTotal: Math.min(...totals.slice(1, 4)),
        maxTotal: Math.max(...totals.slice(1, 3)),
      },
      sort: 'TOTAL',
      dir: 'DESC',
    });
    const expected = totals
      .slice(1, 4)
      .filter((t) => t <= Math.max(...totals.slice(1, 3)))
      .sort((a, b) => b - a);
    expect(ranged.edges.map((e) => e.node.total.amount)).toEqual(expected);
    const reversed = await api.graphql(
      query,
      { f: { from: '2026-02-05T00:00:00Z', to: '2026-02-01T00:00:00Z' } },
      admin,
    );
    expect(reversed.errors?.[0]?.message).toContain('filter.to must not end before it starts');
  });

  it('finds payments by provider reference or M-Pesa receipt, provider and status, sorted by amount', async () => {
    const query = `query ($f: PaymentFilter, $sort: PaymentSort, $dir: SortDirection) {
      payments(filter: $f, first: 10, sort: $sort, direction: $dir) {
        totalCount edges { node { id provider status receiptNumber providerReference amount { amount }
          invoice { id number } customer { name } } } } }`;
    type Row = { customer: { name: string }; amount: { amount: number }; invoice: { id: string } };
    const byReceipt = await list<Row>('payments', query, { f: { reference: receipt.toLowerCase() } });
    expect(byReceipt.edges.map((e) => e.node.customer.name)).toEqual(['Brian Kiptoo']);
    const byCheckout = await list<Row>('payments', query, { f: { reference: checkout } });
    expect(byCheckout.edges.map((e) => e.node.invoice.id)).toEqual([invoices[0]!.invoiceId]);
    const paypal = await list<Row>('payments', query, { f: { apiClientId: appId, provider: 'PAYPAL' } });
    expect(paypal.edges.map((e) => e.node.customer.name)).toEqual(['Zawadi Njeri']);
    const failed = await list<Row>('payments', query, { f: { apiClientId: appId, status: 'FAILED' } });
    expect(failed.edges.map((e) => e.node.customer.name)).toEqual(['Otieno Odhiambo']);
    const byAmount = await list<Row>('payments', query, { f: { apiClientId: appId }, sort: 'AMOUNT', dir: 'ASC' });
    const amounts = byAmount.edges.map((e) => e.node.amount.amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    expect(byAmount.totalCount).toBe(6);
  });

  it('sends as many SQL statements for a page of 6 as for a page of 2, relations included', async () => {
    const query = `query ($f: InvoiceFilter, $first: Int) {
      invoices(filter: $f, first: $first) { edges { node { id customer { name } subscription { id plan { name } }
        payments { status } } } } }`;
    const count = async (first: number) => {
      counter.statements = 0;
      const result = await api.graphql<{ invoices: { edges: unknown[] } }>(
        query,
        { f: { apiClientId: appId }, first },
        admin,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.invoices.edges).toHaveLength(first);
      return counter.statements;
    };
    expect(await count(6)).toBe(await count(2));
  });
});
