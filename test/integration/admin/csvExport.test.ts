// CSV exports through the real HTTP server and Postgres: the file parses (quoted names, formulas defused), money is
// exact in both columns and adds up to the invoices' totals, a list longer than one cursor batch arrives whole and in
// order, filters and sorts are the list's own, and only an administrator's bearer token opens it.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { Customer, Subscription } from '../../../src/entities/index.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { csvRecords } from '../../support/csv.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';

const TRICKY_NAME = 'Mwangi, "Kevo" & Sons\nLtd';
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';

describe('CSV export of the admin lists', () => {
  const suite = apiForSuite();
  let admin: Headers;
  let appId: string;
  const totals: { total: number; currency: string; number: string }[] = [];

  const get = (path: string, headers: Headers = admin) => fetch(`${suite.api.url}${path}`, { headers });

  beforeAll(async () => {
    admin = await adminHeaders(suite.api, suite.orm);
    appId = (await apiClientHeaders(suite.api, admin, ['read:customers'])).apiClientId;
    const kes = await aPlan(suite.orm.em, { amount: 150_050, currency: 'KES', trialDays: 0 });
    const usd = await aPlan(suite.orm.em, { amount: 1_999, currency: 'USD', trialDays: 0 });
    const em = suite.orm.em.fork();
    const subscriptions = [TRICKY_NAME, FORMULA_NAME, 'Achieng Atieno'].map((name, i) =>
      em.create(Subscription, {
        customer: em.create(Customer, {
          email: uniqueEmail('csv'),
          name,
          apiClient: appId,
          externalId: randomUUID(),
        }),
        plan: i === 2 ? usd.id : kes.id,
        quantity: i + 1,
        status: 'ACTIVE',
        billingAnchor: new Date(Date.now() - 86_400_000),
      }),
    );
    await em.flush();
    for (const subscription of subscriptions) {
      const invoice = await issuePeriodInvoice(suite.orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
      totals.push({ total: invoice.total, currency: invoice.currency, number: invoice.number });
    }
    // More customers than one cursor batch (500), for the streaming test.
    await suite.orm.em.fork().execute(
      `insert into customers (id, email, name, api_client_id, external_id, created_at, updated_at, locale, preferences, status)
       select gen_random_uuid(), 'bulk-' || n || '-' || ? || '@example.test', 'Bulk ' || lpad(n::text, 5, '0'), ?, null,
              now(), now(), 'en-KE', '{}'::jsonb, 'ACTIVE'
       from generate_series(1, 1234) n`,
      [randomUUID(), appId],
    );
  });

  it('writes invoices with quoted names, defused formulas and money both as decimals and minor units', async () => {
    const response = await get(`/admin/export/invoices.csv?apiClientId=${appId}&sort=TOTAL&direction=ASC`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="invoices-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = csvRecords(await response.text());
    expect(rows.map((row) => row.number).sort()).toEqual(totals.map((t) => t.number).sort());
    // Sorted by total, ascending, as the list would be.
    const minor = rows.map((row) => Number(row.total_minor));
    expect(minor).toEqual([...minor].sort((a, b) => a - b));
    for (const currency of ['KES', 'USD']) {
      const expected = totals.filter((t) => t.currency === currency).reduce((sum, t) => sum + t.total, 0);
      const mine = rows.filter((row) => row.currency === currency);
      expect(mine.reduce((sum, row) => sum + Number(row.total_minor), 0)).toBe(expected);
      for (const row of mine) {
        // The decimal column says the same amount, in the currency's two decimals.
        expect(row.total).toMatch(/^\d+\.\d{2}$/);
        expect(Math.round(Number(row.total) * 100)).toBe(Number(row.total_minor));
      }
    }
    expect(rows.map((row) => row.customer_name)).toEqual(
      expect.arrayContaining([TRICKY_NAME, `'${FORMULA_NAME}`, 'Achieng Atieno']),
    );
    const usd = rows.find((row) => row.currency === 'USD')!;
    expect(usd).toMatchObject({ subtotal: '59.97', subtotal_minor: '5997', status: 'OPEN' });
  });

  it('streams a list longer than a cursor batch whole and in the list’s order, with its filters', async () => {
    const response = await get(`/admin/export/customers.csv?apiClientId=${appId}&search=Bulk&sort=NAME&direction=ASC`);
    expect(response.status).toBe(200);
    const rows = csvRecords(await response.text());
    expect(rows).toHaveLength(1234);
    expect(rows[0]!.name).toBe('Bulk 00001');
    expect(rows[1233]!.name).toBe('Bulk 01234');
    expect(new Set(rows.map((row) => row.id)).size).toBe(1234);
    const payments = await get(`/admin/export/payments.csv?apiClientId=${appId}`);
    expect(csvRecords(await payments.text())).toEqual([]);
  });

  it('refuses anyone but an administrator, and filters it does not know or cannot read, by name', async () => {
    expect((await get('/admin/export/invoices.csv', {})).status).toBe(401);
    expect((await get('/admin/export/invoices.csv', { authorization: 'Bearer nonsense' })).status).toBe(401);
    const app = await apiClientHeaders(suite.api, admin, ['read:invoices']);
    expect((await get('/admin/export/invoices.csv', app.headers)).status).toBe(401);
    const email = uniqueEmail('csv-user');
    await suite.api.graphql('mutation ($i: RegisterInput!) { register(input: $i) { id } }', {
      i: { email, password: 'acacia-tree-at-noon-9', name: 'Customer' },
    });
    const login = await suite.api.graphql<{ login: { accessToken: string } }>(
      'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
      { i: { email, password: 'acacia-tree-at-noon-9' } },
    );
    const customer = await get('/admin/export/invoices.csv', {
      authorization: `Bearer ${login.data!.login.accessToken}`,
    });
    expect(customer.status).toBe(403);

    const bad = await get('/admin/export/invoices.csv?status=LATE&from=yesterday&colour=red&sort=NAME');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: Record<string, string> };
    expect(body.fields).toEqual({
      status: 'must be one of DRAFT, OPEN, PAID, VOID, UNCOLLECTIBLE',
      from: 'must be an ISO 8601 date-time',
      colour: expect.stringContaining('is not a filter of this list'),
      sort: 'must be one of CREATED_AT, ISSUED_AT, DUE_AT, NUMBER, TOTAL',
    });
    expect((await get('/admin/export/coupons.csv')).status).toBe(400);
  });
});
