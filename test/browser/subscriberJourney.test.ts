// A subscriber's whole journey in a real Chromium against the real stack: sign up, the confirmation email, log in,
// the plans, paying by M-Pesa (the page follows the payment live), the dashboard, invoices and the PDF; a declined
// prompt retried with another phone; PayPal's approval round trip. Every page is checked with axe-core and the
// content security policy, at the width of a small phone, and kept as a screenshot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { createInvoice } from '../../src/billing/createInvoice.js';
import { NO_TAX } from '../../src/domain/tax.js';
import { Customer, Invoice, Payment } from '../../src/entities/index.js';
import { accountReference } from '../../src/payments/mpesa/chargeTexts.js';
import { testCipher } from '../support/config.js';
import { admin } from '../support/fixtures.js';
import { until } from '../support/eventually.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { aCatalog, type Catalog } from './support/catalog.js';
import { launchChromium, openPage } from './support/chromium.js';
import { checkPage, javaScriptLoaded, record } from './support/pageChecks.js';
import { startPortalStack, type PortalStack } from './support/portalStack.js';
import {
  aPerson,
  aPhone,
  PASSWORD,
  sees,
  logIn,
  seesHeading,
  signUpAndLogIn,
  subscribeWithMpesa,
} from './support/subscriber.js';
import { ensureWebBuilt } from './support/webBuild.js';

describe('a subscriber in the portal', () => {
  let stack: PortalStack;
  let browser: Browser;
  let catalog: Catalog;

  beforeAll(async () => {
    await ensureWebBuilt();
    [stack, browser] = await Promise.all([startPortalStack('journey'), launchChromium()]);
    catalog = await aCatalog(stack);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The customer's invoices and each one's payments, oldest first, straight from the database. */
  async function ledger(email: string) {
    const em = stack.orm.em.fork();
    const invoices = await em.find(Invoice, { customer: { email } }, { orderBy: { createdAt: 'asc' } });
    const payments = await em.find(Payment, { invoice: invoices }, { orderBy: { attempt: 'asc', createdAt: 'asc' } });
    return invoices.map((invoice) => ({
      status: invoice.status,
      amountDue: invoice.amountDue,
      payments: payments.filter((payment) => payment.invoice.id === invoice.id).map((payment) => payment.status),
    }));
  }

  it('signs up, confirms the email, pays by M-Pesa live, and finds the invoice and its PDF', async () => {
    const watched = await openPage(browser, 'phone');
    const { page } = watched;
    const person = aPerson();
    await page.goto(`${stack.url}/signup`);
    const firstPage = await javaScriptLoaded(watched);
    await record('portal-bundle.jsonl', { page: 'signup', ...firstPage });
    // The budget: a phone on a slow network downloads this before the first page can be used.
    expect(firstPage.gzipBytes).toBeLessThan(250 * 1024);
    await signUpAndLogIn(watched, stack, person, true);

    await page.goto(`${stack.url}/plans`);
    const basic = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Basic', exact: true }) });
    // KES 150,000 minor units, in the customer's locale.
    await basic.getByText(/Ksh\s?1,500\.00/).waitFor();
    await checkPage(watched, 'plans');

    // Bad input first: a number M-Pesa cannot prompt, and a dollar plan offered to M-Pesa; nothing is created.
    await page.goto(`${stack.url}/subscribe/${catalog.basic}`);
    await page.getByRole('radio', { name: /M-Pesa/ }).check();
    await page.getByLabel('M-Pesa phone number').fill('0812 345 678');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await sees(page, 'Not an M-Pesa number.');
    await checkPage(watched, 'phone-refused');
    await page.goto(`${stack.url}/subscribe/${catalog.export}`);
    await sees(page, /M-Pesa takes Kenyan shillings \(KES\) only/);
    expect(await page.getByRole('radio', { name: /M-Pesa/ }).isDisabled()).toBe(true);
    expect(await ledger(person.email)).toEqual([]);

    await subscribeWithMpesa(page, stack, 'Basic', aPhone());
    await seesHeading(page, 'Check your phone');
    await checkPage(watched, 'check-your-phone');
    // The sandbox calls back a second later; the page hears it over graphql-ws.
    await seesHeading(page, 'Payment received', 30_000);
    await checkPage(watched, 'payment-received');

    // The dashboard's first page, timed in the browser from navigation to the subscription on screen.
    await page.goto(`${stack.url}/`);
    await page.getByText('Basic').first().waitFor();
    const shownMs = await page.evaluate(() => {
      const mark = performance.getEntriesByName('dashboard-shown')[0];
      return mark ? Math.round(mark.startTime) : null;
    });
    await record('portal-timings.jsonl', { measure: 'dashboard first page shown', ms: shownMs });
    expect(shownMs).not.toBeNull();
    await sees(page, /active/i);
    await checkPage(watched, 'dashboard');

    // From the next period on, a standing order the customer approves once on the phone pays without prompts.
    await page.getByRole('link', { name: 'Manage subscription' }).first().click();
    const standingOrder = page.getByRole('region', { name: 'Pay automatically with M-Pesa' });
    await standingOrder.getByRole('button', { name: 'Set up a standing order' }).click();
    await standingOrder.getByText(/Check your phone: approve the standing order/).waitFor();
    // The sandbox "approves" a second later and posts Daraja's result to the API; the card looks again by itself.
    await standingOrder.getByText(/each period by itself/).waitFor({ timeout: 20_000 });
    await checkPage(watched, 'standing-order');

    await page.goto(`${stack.url}/invoices`);
    await sees(page, /paid/i);
    await checkPage(watched, 'invoices');
    const pdf = await page.getByRole('link', { name: /PDF/ }).first().getAttribute('href');
    const download = await page.request.get(new URL(pdf!, stack.url).toString());
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

    expect(await ledger(person.email)).toEqual([{ status: 'PAID', amountDue: 150_000, payments: ['SUCCEEDED'] }]);

    // An invoice still to pay says how to pay it from the phone by paybill, without waiting for a prompt.
    const customer = await stack.orm.em.fork().findOneOrFail(Customer, { email: person.email });
    const open = await createInvoice(
      stack.orm.em,
      admin,
      { lifecycle: { collectOneOff: async () => undefined }, cipher: testCipher(), tax: NO_TAX },
      {
        customerId: customer.id,
        currency: 'KES',
        description: 'Onboarding',
        lines: [{ description: 'Onboarding session', quantity: 1, unitAmount: 500_000 }],
        collect: 'SEND',
        idempotencyKey: `journey-${customer.id}`,
      },
    );
    await page.goto(`${stack.url}/invoices`);
    const paybill = page.getByRole('region', { name: 'Pay by M-Pesa paybill' });
    await paybill.getByText(accountReference(open.number)).waitFor();
    await paybill.getByText(customer.accountNumber).waitFor();
    await checkPage(watched, 'invoices-paybill');
    await page.context().close();
  });

  it('shows a declined prompt in plain words, and a retry with another phone pays the same invoice once', async () => {
    const watched = await openPage(browser, 'phone');
    const { page } = watched;
    const person = aPerson('Otieno Odhiambo');
    await signUpAndLogIn(watched, stack, person);

    // 254700000032: the sandbox answers ResultCode 1032, the subscriber dismissed the prompt.
    await subscribeWithMpesa(page, stack, 'Pro', '0700000032');
    await seesHeading(page, 'Payment failed', 30_000);
    await sees(page, /cancel/i);
    await checkPage(watched, 'payment-failed');

    await page.getByLabel('M-Pesa phone number').fill(aPhone());
    const retry = page.getByRole('button', { name: 'Try again' });
    // A double tap on a slow phone: one retry, not two charges.
    await retry.dblclick();
    await seesHeading(page, 'Payment received', 30_000);

    await until(
      async () =>
        expect(await ledger(person.email)).toEqual([
          { status: 'PAID', amountDue: 450_000, payments: ['FAILED', 'SUCCEEDED'] },
        ]),
      10_000,
    );
    await page.context().close();
  });

  it('keeps following a payment across a lost connection, and a closed tab loses nothing', async () => {
    // The browser reaches the portal through a proxy the test can cut; the sandbox's callback reaches the API direct.
    const proxy = new TcpProxy(await TcpProxy.freePort(), { host: '127.0.0.1', port: Number(new URL(stack.url).port) });
    await proxy.up();
    const through = { ...stack, url: `http://127.0.0.1:${proxy.port}` };
    try {
      const watched = await openPage(browser, 'phone');
      const { page } = watched;
      const person = aPerson('Chebet Rotich');
      await signUpAndLogIn(watched, through, person);
      const phone = aPhone();
      // The subscriber takes 4 s to answer the prompt.
      stack.mpesa.script(`254${phone.slice(1)}`, { kind: 'result', resultCode: 0, delayMs: 4_000 });
      await subscribeWithMpesa(page, through, 'Basic', phone);
      await seesHeading(page, 'Check your phone');

      await proxy.down();
      await sees(page, 'Reconnecting…');
      await until(
        async () => expect(await ledger(person.email)).toEqual([expect.objectContaining({ status: 'PAID' })]),
        20_000,
      );
      await proxy.up();
      // The payment event was sent while the socket was down: the page asks again once it is back.
      await seesHeading(page, 'Payment received', 30_000);

      // Closing the tab mid-prompt: the payment goes on without it, and the next visit shows where it stands.
      await page.goto(`${through.url}/subscribe/${catalog.pro}`);
      await page.getByRole('radio', { name: /M-Pesa/ }).check();
      const second = aPhone();
      stack.mpesa.script(`254${second.slice(1)}`, { kind: 'result', resultCode: 0, delayMs: 2_000 });
      await page.getByLabel('M-Pesa phone number').fill(second);
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await seesHeading(page, 'Check your phone');
      await page.context().close();
      await until(
        async () => expect((await ledger(person.email)).map((invoice) => invoice.status)).toEqual(['PAID', 'PAID']),
        20_000,
      );
      const back = await openPage(browser, 'phone');
      await logIn(back, through, person);
      await back.page.getByText('Pro').first().waitFor();
      expect(await back.page.getByText('Past due').count()).toBe(0);
      await back.page.context().close();
    } finally {
      await proxy.down();
    }
  });

  it('pays in dollars through PayPal: approval on PayPal and back, then the status live', async () => {
    const watched = await openPage(browser, 'desktop');
    const { page } = watched;
    const person = aPerson('Amina Hassan');
    await signUpAndLogIn(watched, stack, person);

    await page.goto(`${stack.url}/subscribe/${catalog.export}`);
    await page.getByRole('radio', { name: /PayPal/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/checkoutnow\?token=/, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Pay with PayPal' }).click();

    await page.waitForURL((url) => url.toString().startsWith(stack.url), { timeout: 30_000 });
    await seesHeading(page, 'Payment received', 30_000);
    await checkPage(watched, 'paypal-returned');
    await until(
      async () =>
        expect(await ledger(person.email)).toEqual([{ status: 'PAID', amountDue: 2_500, payments: ['SUCCEEDED'] }]),
      10_000,
    );

    await page.goto(`${stack.url}/`);
    await page.getByText('Export').first().waitFor();
    await checkPage(watched, 'dashboard');
    await page.goto(`${stack.url}/plans`);
    await page.getByRole('article').first().waitFor();
    await checkPage(watched, 'plans');
    await page.goto(`${stack.url}/invoices`);
    await sees(page, /paid/i);
    await checkPage(watched, 'invoices');

    // The profile, and a new password that the next login needs.
    await page.goto(`${stack.url}/profile`);
    await page.getByLabel(/^Current password/).waitFor();
    await checkPage(watched, 'profile');
    await page.getByLabel(/^Current password/).fill(PASSWORD);
    await page.getByLabel(/^New password/).fill('jua kali kesho 2027');
    await page.getByRole('button', { name: 'Change password' }).click();
    await sees(page, 'Password changed');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${stack.url}/forgot-password`);
    await page.getByLabel(/^Email/).waitFor();
    await checkPage(watched, 'forgot-password');
    await page.goto(`${stack.url}/no-such-page`);
    await seesHeading(page, /not found/i);
    await checkPage(watched, 'not-found');
    await page.context().close();
  });
});
