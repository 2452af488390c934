// The admin console in a real Chromium against the real stack, as an operator uses it: log in, find a past-due
// customer, open the subscription, read the failed attempts with the provider's reasons, retry the payment and watch
// it turn paid live; create a plan with tiers and see it in the portal's catalog; create an app and a key and use
// the key against the API; and a customer who is not an administrator is refused. Every page is checked with
// axe-core and the content security policy, at a phone's width and a desktop's, and kept as a screenshot.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createAdminUser } from '../../src/accounts/register.js';
import { Payment, Subscription } from '../../src/entities/index.js';
import { parseCsv } from '../support/csv.js';
import { payFromPhone, registerPaybill } from '../support/paybill.js';
import { until } from '../support/eventually.js';
import { aCatalog, type Catalog } from './support/catalog.js';
import { launchChromium, openPage, type Viewport, type WatchedPage } from './support/chromium.js';
import { checkPage } from './support/pageChecks.js';
import { startPortalStack, type PortalStack } from './support/portalStack.js';
import { aPerson, aPhone, PASSWORD, sees, seesHeading, signUpAndLogIn } from './support/subscriber.js';
import { ensureWebBuilt } from './support/webBuild.js';

interface OverviewBucket {
  invoiced: { totals: { amount: number; currency: string }[] };
  collected: { totals: { amount: number; currency: string }[] };
  failedPayments: number;
  startedSubscriptions: number;
}

/** "Ksh 1,500.00" back to minor units, digit by digit (the currency shows two decimals). */
function minorUnits(shown: string): number {
  const [, whole, cents] = /([\d,]+)\.(\d{2})/.exec(shown) ?? [];
  if (whole === undefined || cents === undefined) throw new Error(`not an amount: ${shown}`);
  return Number.parseInt(whole.replace(/,/g, '') + cents, 10);
}

describe('the admin console', () => {
  let stack: PortalStack;
  let browser: Browser;
  let catalog: Catalog;
  const admin = { email: `operator-${Date.now()}@example.test`, password: PASSWORD };

  beforeAll(async () => {
    await ensureWebBuilt();
    [stack, browser] = await Promise.all([startPortalStack('admin'), launchChromium()]);
    catalog = await aCatalog(stack);
    await createAdminUser(stack.orm.em.fork(), admin.email, admin.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function graphql<T>(query: string, variables: Record<string, unknown>, headers = stack.admin): Promise<T> {
    const result = await stack.api.graphql<T>(query, variables, headers);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }

  async function logInAsAdmin(viewport: Viewport, path = '/admin'): Promise<WatchedPage> {
    const watched = await openPage(browser, viewport);
    const { page } = watched;
    // The console sends whoever is not signed in to log in, and back after.
    await page.goto(`${stack.url}${path}`);
    await seesHeading(page, /log in/i);
    await page.getByLabel(/^Email/).fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'visible', timeout: 15_000 });
    return watched;
  }

  /** A customer whose renewal failed: a trial of a few seconds, then M-Pesa says the balance is insufficient. */
  async function aPastDueCustomer(name: string) {
    const phone = aPhone();
    const msisdn = `254${phone.slice(1)}`;
    stack.mpesa.script(msisdn, { kind: 'result', resultCode: 1 });
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { email: `${name.split(' ')[0]!.toLowerCase()}-${Date.now()}@example.test`, name, phone } },
    );
    const { subscribe } = await graphql<{ subscribe: { id: string } }>(
      'mutation ($input: SubscribeInput!) { subscribe(input: $input) { id } }',
      {
        input: {
          customerId: createCustomer.id,
          planId: catalog.basic,
          trialEnd: new Date(Date.now() + 2_000).toISOString(),
          paymentMethod: { provider: 'MPESA', phone },
        },
      },
    );
    await until(async () => {
      const subscription = await stack.orm.em.fork().findOneOrFail(Subscription, subscribe.id);
      expect(subscription.status).toBe('PAST_DUE');
    }, 60_000);
    return { customerId: createCustomer.id, subscriptionId: subscribe.id, phone, msisdn };
  }

  async function opens(page: Page, link: string | RegExp, heading: string | RegExp) {
    await page.getByRole('link', { name: link }).first().click();
    await seesHeading(page, heading);
  }

  it('finds a past-due customer, reads the failed attempt, retries the payment and watches it turn paid', async () => {
    const pastDue = await aPastDueCustomer('Achieng Odhiambo');
    const watched = await logInAsAdmin('desktop');
    const { page } = watched;
    await seesHeading(page, 'Overview');
    // On the overview's past-due list, with the retries the workflow still has in store.
    const pastDueRow = page.getByRole('row').filter({ hasText: 'Achieng Odhiambo' });
    await pastDueRow.waitFor();
    const { pastDueSubscriptions } = await graphql<{
      pastDueSubscriptions: { subscriptionId: string; retriesLeft: number }[];
    }>('{ pastDueSubscriptions { subscriptionId retriesLeft } }', {});
    const listed = pastDueSubscriptions.find((row) => row.subscriptionId === pastDue.subscriptionId);
    expect(listed?.retriesLeft).toBeGreaterThan(0);
    expect(await pastDueRow.getByRole('cell').nth(5).innerText()).toBe(String(listed!.retriesLeft));
    await checkPage(watched, 'admin-overview');

    await opens(page, 'Customers', 'Customers');
    // By the phone number as the customer says it on a call: 07…, stored as +2547….
    await page.getByLabel('Phone').fill(pastDue.phone);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/phone=07/);
    await sees(page, '1 customer matches');
    await checkPage(watched, 'admin-customers');
    await opens(page, 'Achieng Odhiambo', 'Achieng Odhiambo');
    await sees(page, 'Past due');
    await checkPage(watched, 'admin-customer');

    await opens(page, /Basic/, /Basic for Achieng Odhiambo/);
    expect(page.url()).toContain(`/admin/subscriptions/${pastDue.subscriptionId}`);
    // The provider's answer as recorded (Daraja's ResultCode 1, in our words), with its code.
    const [failed] = await stack.orm.em.fork().find(Payment, { invoice: { subscription: pastDue.subscriptionId } });
    expect(failed!.status).toBe('FAILED');
    await sees(page, `${failed!.failureMessage} (${failed!.failureCode})`);
    await checkPage(watched, 'admin-subscription-past-due');

    // The customer topped up: the next prompt succeeds. The operator charges now instead of waiting for the retry.
    stack.mpesa.script(pastDue.msisdn, null);
    await page.getByRole('button', { name: 'Retry payment now' }).click();
    await sees(page, 'Succeeded', 30_000);
    await page.getByRole('button', { name: 'Retry payment now' }).waitFor({ state: 'detached', timeout: 30_000 });
    await sees(page, 'Active');
    await checkPage(watched, 'admin-subscription-paid');
    const payments = await stack.orm.em
      .fork()
      .find(Payment, { invoice: { subscription: pastDue.subscriptionId } }, { orderBy: { attempt: 'asc' } });
    expect(payments.map((payment) => payment.status)).toEqual(['FAILED', 'SUCCEEDED']);

    // The overview's charts say what the report API says: today's figures, read from each chart's table.
    await opens(page, 'Overview', 'Overview');
    const now = new Date();
    const { adminOverview } = await graphql<{ adminOverview: { series: OverviewBucket[] } }>(
      `
        query ($from: DateTimeISO!, $to: DateTimeISO!) {
          adminOverview(from: $from, to: $to, bucket: DAY, timeZone: "Africa/Nairobi") {
            series {
              invoiced {
                totals {
                  amount
                  currency
                }
              }
              collected {
                totals {
                  amount
                  currency
                }
              }
              failedPayments
              startedSubscriptions
            }
          }
        }
      `,
      { from: new Date(now.getTime() - 86_400_000).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() },
    );
    const today = adminOverview.series.at(-1)!;
    const kes = (totals: { amount: number; currency: string }[]) => totals.find((t) => t.currency === 'KES')?.amount;
    expect(kes(today.collected.totals)).toBeGreaterThanOrEqual(150_000);
    // As a screen reader user reads a chart: its figures as a table, opened under the drawing.
    const lastCells = async (chart: string) => {
      await page.getByRole('figure', { name: chart }).getByText('Figures as a table').click();
      const figures = page.getByRole('region', { name: `${chart}, figures` });
      return figures.getByRole('row').last().getByRole('cell').allTextContents();
    };
    expect((await lastCells('Invoiced and collected, KES')).map(minorUnits)).toEqual([
      kes(today.invoiced.totals),
      kes(today.collected.totals),
    ]);
    expect(await lastCells('Failed payments')).toEqual([String(today.failedPayments)]);
    await checkPage(watched, 'admin-overview-after');
    await page.context().close();
  }, 180_000);

  it('creates a plan with tiers that a customer then finds in the portal', async () => {
    const watched = await logInAsAdmin('desktop', '/admin/catalog');
    const { page } = watched;
    await seesHeading(page, 'Catalog');
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New plan' }) });
    await form.getByLabel('Product').selectOption({ label: 'Duka POS' });
    await form.getByLabel('Plan name').fill('Team tills');
    await form.getByLabel('Pricing').selectOption('GRADUATED');
    await form.getByLabel('Tier 1 up to (units)').fill('5');
    await form.getByLabel('Tier 1 unit price').fill('1,000');
    await form.getByLabel('Tier 2 unit price').fill('800.50');
    await form.getByLabel('Features').fill('Up to 5 tills at Ksh 1,000\nMore at Ksh 800.50');
    await form.getByLabel('Limits').fill('tills = 50\nreports per month = 12');
    await checkPage(watched, 'admin-catalog-new-plan');
    await form.getByRole('button', { name: 'Create plan' }).click();
    await sees(page, 'Plan Team tills created.');
    await sees(page, /to 5: Ksh\s?1,000\.00; rest: Ksh\s?800\.50/);

    const { plans } = await graphql<{
      plans: { edges: { node: { name: string; pricingModel: string; tiers: unknown[]; limits: unknown } }[] };
    }>('{ plans(first: 10) { edges { node { name pricingModel limits tiers { upTo unitAmount flatAmount } } } } }', {});
    expect(plans.edges.map((edge) => edge.node).find((plan) => plan.name === 'Team tills')).toEqual({
      name: 'Team tills',
      pricingModel: 'GRADUATED',
      limits: { tills: 50, 'reports per month': 12 },
      tiers: [
        { upTo: 5, unitAmount: 100_000, flatAmount: 0 },
        { upTo: null, unitAmount: 80_050, flatAmount: 0 },
      ],
    });

    const customer = await openPage(browser, 'phone');
    await signUpAndLogIn(customer, stack, aPerson('Otieno Were'));
    await customer.page.goto(`${stack.url}/plans`);
    await customer.page.getByRole('heading', { name: 'Team tills', exact: true }).waitFor();
    await page.context().close();

    // The customer, signed in, is no administrator: the console refuses them, and so does the API.
    await customer.page.goto(`${stack.url}/admin/customers`);
    await seesHeading(customer.page, 'Administrators only');
    await checkPage(customer, 'admin-refused');
    await customer.page.context().close();
  }, 180_000);

  it('creates an app and an API key, shown once, that works against the API until revoked', async () => {
    const watched = await logInAsAdmin('phone', '/admin/apps');
    const { page } = watched;
    await seesHeading(page, 'Client apps');
    await page.getByLabel('App name').fill('Duka Web');
    await page.getByRole('checkbox', { name: 'read:plans' }).check();
    await page.getByRole('button', { name: 'Create app' }).click();
    const app = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Duka Web' }) });
    await app.waitFor();
    await app.getByRole('button', { name: 'Create key' }).click();
    const key = (await app.getByTestId('new-api-key').innerText()).trim();
    expect(key.length).toBeGreaterThan(20);
    await checkPage(watched, 'admin-apps-key');

    const asApp = await stack.api.graphql<{ plans: { edges: unknown[] } }>(
      '{ plans(first: 5) { edges { node { id name } } } }',
      {},
      { 'x-api-key': key },
    );
    expect(asApp.errors).toBeUndefined();
    expect(asApp.data!.plans.edges.length).toBeGreaterThan(0);

    // Gone from the page after a reload: only its prefix is kept.
    await page.reload();
    await app.waitFor();
    expect(await page.getByText(key).count()).toBe(0);
    await app.getByRole('button', { name: /^Revoke key/ }).click();
    await app.getByText(/revoked/).waitFor();
    await until(async () => {
      const refused = await stack.api.graphql(
        '{ plans(first: 1) { edges { node { id } } } }',
        {},
        { 'x-api-key': key },
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }, 15_000);
    await page.context().close();
  }, 120_000);

  it('every list page, at a phone’s width, passes the checks', async () => {
    const watched = await logInAsAdmin('phone');
    const { page } = watched;
    await seesHeading(page, 'Overview');
    await checkPage(watched, 'admin-overview');
    // Twelve months by month: the choice is kept in the URL, and the charts have a bucket per month.
    await page.getByLabel('Range').selectOption('12m');
    await page.waitForURL(/range=12m/);
    await page.getByRole('figure', { name: 'Failed payments' }).getByText('Figures as a table').click();
    await until(async () =>
      expect(
        await page.getByRole('region', { name: 'Failed payments, figures' }).getByRole('row').count(),
      ).toBeGreaterThanOrEqual(13),
    );
    await checkPage(watched, 'admin-overview-months');
    await page.getByRole('button', { name: 'Menu' }).click();
    await checkPage(watched, 'admin-menu');
    for (const [link, name] of [
      ['Customers', 'admin-customers'],
      ['Subscriptions', 'admin-subscriptions'],
      ['Invoices', 'admin-invoices'],
      ['Payments', 'admin-payments'],
      ['Catalog', 'admin-catalog'],
      ['Operations', 'admin-operations'],
    ] as const) {
      if (!(await page.getByRole('link', { name: link, exact: true }).isVisible())) {
        await page.getByRole('button', { name: 'Menu' }).click();
      }
      await opens(page, new RegExp(`^${link}$`), link);
      await checkPage(watched, name);
      // Wide tables scroll inside their own box: the page itself never scrolls sideways on a phone.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    }
    await page.context().close();
  }, 120_000);

  it('exports the invoices a filter finds as CSV, whose totals are the ledger’s', async () => {
    const watched = await logInAsAdmin('desktop', '/admin/invoices?status=PAID');
    const { page } = watched;
    await seesHeading(page, 'Invoices');
    await sees(page, /\d+ invoices? match/);
    await checkPage(watched, 'admin-invoices');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(await readFile((await download.path())!, 'utf8'));
    const [header, ...records] = rows;
    const column = (name: string) => header!.indexOf(name);
    const fromFile = new Map<string, number>();
    for (const record of records) {
      expect(record[column('status')]).toBe('PAID');
      const currency = record[column('currency')]!;
      fromFile.set(currency, (fromFile.get(currency) ?? 0) + Number(record[column('total_minor')]));
    }
    const ledger = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ currency: string; total: string; count: string }[]>(
        "select currency, sum(total)::text as total, count(*)::text as count from invoices where status = 'PAID' group by currency",
      );
    expect(records.length).toBe(ledger.reduce((sum, row) => sum + Number(row.count), 0));
    expect(records.length).toBeGreaterThan(0);
    expect(Object.fromEntries(fromFile)).toEqual(
      Object.fromEntries(ledger.map((row) => [row.currency, Number(row.total)])),
    );
    await page.context().close();
  }, 120_000);

  it('shows a refused M-Pesa callback on the operations page, first, with its raw body', async () => {
    const body = JSON.stringify({ Body: { stkCallback: { CheckoutRequestID: 'ws_CO_not_ours', ResultCode: 0 } } });
    const sent = await fetch(`${stack.url}/webhooks/mpesa/browser-admin-callback-secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(sent.status).toBeLessThan(500);
    const watched = await logInAsAdmin('desktop', '/admin/operations');
    const { page } = watched;
    await seesHeading(page, 'Operations');
    const first = page
      .getByRole('table', { name: /Provider deliveries/ })
      .getByRole('row')
      .nth(1);
    await first.getByText(/^rejected/).waitFor();
    await first.getByText('Body and headers').click();
    await first.getByText('ws_CO_not_ours').waitFor();
    await checkPage(watched, 'admin-operations');
    await page.context().close();
  }, 120_000);
  it('assigns a paybill payment that matched nothing to the invoice the customer meant', async () => {
    await registerPaybill(stack.mpesaSettings, stack.url, stack.mpesaSettings.MPESA_CALLBACK_SECRET!);
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { email: `otieno-${Date.now()}@example.test`, name: 'Otieno Grocers', phone: aPhone() } },
    );
    const { createInvoice } = await graphql<{ createInvoice: { id: string; number: string } }>(
      'mutation ($input: CreateInvoiceInput!) { createInvoice(input: $input) { id number } }',
      {
        input: {
          customerId: createCustomer.id,
          currency: 'KES',
          description: 'Shelving',
          lines: [{ description: 'Shelving', quantity: 1, unitAmount: 250_000 }],
          collect: 'SEND',
          idempotencyKey: `paybill-invoice-${Date.now()}`,
        },
      },
    );
    // The customer typed their shop's name instead of the invoice: nothing matches, the money waits in the queue.
    const paid = await payFromPhone(stack.mpesa, stack.mpesaSettings, { shillings: 2_500, account: 'OTIENO SHOP' });

    const watched = await logInAsAdmin('phone', '/admin/operations');
    const { page } = watched;
    const queue = page.getByRole('table', { name: 'Paybill payments' });
    const row = queue.getByRole('row').filter({ hasText: paid.payload.TransID });
    await row.getByText('OTIENO SHOP').waitFor();
    await row.getByRole('button', { name: new RegExp(`^Assign ${paid.payload.TransID}`) }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign paybill payment' });
    await dialog.getByLabel(/^Invoice number/).fill(createInvoice.number.slice(-6));
    await dialog.getByRole('radio', { name: new RegExp(`^${createInvoice.number} · Otieno Grocers`) }).check();
    await checkPage(watched, 'admin-operations-assign-paybill');
    await dialog.getByRole('button', { name: 'Assign to invoice' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });

    const { invoice } = await graphql<{ invoice: { status: string; amountRemaining: { amount: number } } }>(
      'query ($id: ID!) { invoice(id: $id) { status amountRemaining { amount } } }',
      { id: createInvoice.id },
    );
    expect(invoice).toEqual({ status: 'PAID', amountRemaining: { amount: 0 } });
    await page.getByLabel('Paybill payment status').selectOption('MATCHED');
    await queue.getByRole('row').filter({ hasText: paid.payload.TransID }).getByText('Otieno Grocers').waitFor();
    await page.context().close();
  }, 120_000);
});
