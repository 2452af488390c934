// After the first payment, in a real Chromium: a plan change whose preview is what the invoice then asks for,
// cancelling at the period end and taking it back, pausing and resuming; and a client app's hosted checkout link,
// which signs its customer in without a password, once, and not after it expires.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Invoice, Subscription } from '../../src/entities/index.js';
import { until } from '../support/eventually.js';
import { apiClientHeaders } from '../support/callers.js';
import { aCatalog, type Catalog } from './support/catalog.js';
import { launchChromium, openPage } from './support/chromium.js';
import { checkPage } from './support/pageChecks.js';
import { startPortalStack, type PortalStack } from './support/portalStack.js';
import { aPerson, aPhone, sees, seesHeading, signUpAndLogIn, subscribeWithMpesa } from './support/subscriber.js';
import { ensureWebBuilt } from './support/webBuild.js';

/** "Ksh 2,000.00" or "US$25.00" back to minor units, digit by digit (both currencies show two decimals). */
function minorUnits(shown: string): number {
  const [, whole, cents] = /([\d,]+)\.(\d{2})/.exec(shown) ?? [];
  if (whole === undefined || cents === undefined) throw new Error(`not an amount: ${shown}`);
  return Number.parseInt(whole.replace(/,/g, '') + cents, 10);
}

describe('managing a subscription in the portal', () => {
  let stack: PortalStack;
  let browser: Browser;
  let catalog: Catalog;
  /** A client app's own site, where hosted pages send their customers back. */
  let appSite: Server;
  let appUrl: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    [stack, browser] = await Promise.all([startPortalStack('manage'), launchChromium()]);
    catalog = await aCatalog(stack);
    appSite = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><html lang="en"><title>Duka</title><h1>Back at Duka: ${request.url}</h1></html>`);
    });
    await new Promise<void>((resolve) => appSite.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(appSite.address() as AddressInfo).port}`;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await new Promise((resolve) => appSite?.close(resolve));
  });

  async function subscriptionOf(email: string) {
    return stack.orm.em.fork().findOneOrFail(Subscription, { customer: { email } });
  }

  async function paidSubscriber(page: Page, plan: string) {
    await subscribeWithMpesa(page, stack, plan, aPhone());
    await seesHeading(page, 'Payment received', 30_000);
  }

  it('previews a plan change, and the invoice issued asks exactly the amount previewed', async () => {
    const watched = await openPage(browser, 'phone');
    const { page } = watched;
    const person = aPerson('Kipchoge Keino');
    await signUpAndLogIn(watched, stack, person);
    await paidSubscriber(page, 'Basic');
    const subscription = await subscriptionOf(person.email);

    await page.goto(`${stack.url}/subscriptions/${subscription.id}`);
    await checkPage(watched, 'subscription');
    await page.getByRole('button', { name: 'Change plan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /Pro/ }).check();
    const dueNow = dialog.getByTestId('due-now');
    await dueNow.waitFor();
    await checkPage(watched, 'change-plan-preview');
    const previewed = minorUnits(await dueNow.innerText());
    expect(previewed).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Confirm change' }).click();

    const proration = await until(async () => {
      const invoice = await stack.orm.em.fork().findOne(Invoice, { subscription: subscription.id, kind: 'PRORATION' });
      expect(invoice).not.toBeNull();
      return invoice!;
    }, 20_000);
    expect(proration.amountDue).toBe(previewed);
    await page.context().close();
  });

  it('cancels at the period end and takes it back; pauses and resumes', async () => {
    const watched = await openPage(browser, 'desktop');
    const { page } = watched;
    const person = aPerson('Njeri Mwangi');
    await signUpAndLogIn(watched, stack, person);
    await paidSubscriber(page, 'Basic');
    const { id } = await subscriptionOf(person.email);
    await page.goto(`${stack.url}/subscriptions/${id}`);

    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await page
      .getByRole('dialog')
      .getByRole('radio', { name: /end of the period|period end/i })
      .check();
    await checkPage(watched, 'cancel-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel subscription' }).click();
    await page.getByRole('button', { name: 'Undo cancellation' }).waitFor();
    await until(async () => expect((await subscriptionOf(person.email)).cancelAtPeriodEnd).toBe(true));

    await page.getByRole('button', { name: 'Undo cancellation' }).click();
    await page.getByRole('button', { name: 'Cancel subscription' }).waitFor();
    await until(async () => expect((await subscriptionOf(person.email)).cancelAtPeriodEnd).toBe(false));

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 15_000 });
    await until(async () => expect((await subscriptionOf(person.email)).status).toBe('PAUSED'));
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await checkPage(watched, 'paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 15_000 });
    await until(async () => expect((await subscriptionOf(person.email)).status).toBe('ACTIVE'));
    await page.context().close();
  });

  it("signs an app's customer in from a checkout link once, pays, and sends them back; a used or expired link is refused; the portal link later", async () => {
    const app = await apiClientHeaders(stack.api, stack.admin, [
      'write:customers',
      'write:subscriptions',
      'read:subscriptions',
    ]);
    const origins = await stack.api.graphql(
      'mutation ($input: SetApiClientReturnOriginsInput!) { setApiClientReturnOrigins(input: $input) { id } }',
      { input: { apiClientId: app.apiClientId, origins: [appUrl] } },
      stack.admin,
    );
    expect(origins.errors).toBeUndefined();
    const person = aPerson('Baraka Otieno');
    const customer = await stack.api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { email: person.email, name: person.name } },
      app.headers,
    );
    const checkoutLink = async () => {
      const result = await stack.api.graphql<{ createCheckoutSession: { url: string } }>(
        'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { url expiresAt } }',
        {
          input: {
            customerId: customer.data!.createCustomer.id,
            planId: catalog.basic,
            successUrl: `${appUrl}/welcome`,
            cancelUrl: `${appUrl}/pricing`,
          },
        },
        app.headers,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.createCheckoutSession.url;
    };

    const link = await checkoutLink();
    expect(link.startsWith(`${stack.url}/hosted/`)).toBe(true);
    const watched = await openPage(browser, 'phone');
    const { page } = watched;
    await page.goto(link);
    await sees(page, 'Basic');
    await checkPage(watched, 'hosted-checkout');
    await page.getByRole('radio', { name: /M-Pesa/ }).check();
    await page.getByLabel('M-Pesa phone number').fill(aPhone());
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await seesHeading(page, 'Payment received', 30_000);
    await page.getByRole('link', { name: /Back to/ }).click();
    await page.waitForURL(`${appUrl}/welcome`);

    // The same link again, in another browser: already used.
    const again = await openPage(browser, 'phone');
    await again.page.goto(link);
    await sees(again.page, /already been used/);
    await checkPage(again, 'hosted-link-used');

    // A fresh link whose time has passed.
    const expired = await checkoutLink();
    const token = decodeURIComponent(new URL(expired).pathname.split('/').at(-1)!);

    await stack.orm.em
      .fork()
      .getConnection()
      .execute(
        "update hosted_sessions set expires_at = now() - interval '1 minute' where token_hash = decode(?, 'hex')",
        [createHash('sha256').update(token).digest('hex')],
      );
    await again.page.goto(expired);
    await sees(again.page, /expired/);

    // Later the app sends the same customer to manage what they bought: the portal link, no password either.
    const portal = await stack.api.graphql<{ createPortalSession: { url: string } }>(
      'mutation ($input: CreatePortalSessionInput!) { createPortalSession(input: $input) { url } }',
      { input: { customerId: customer.data!.createCustomer.id, returnUrl: `${appUrl}/account` } },
      app.headers,
    );
    expect(portal.errors).toBeUndefined();
    const manage = await openPage(browser, 'desktop');
    await manage.page.goto(portal.data!.createPortalSession.url);
    await manage.page.getByText('Basic').first().waitFor();
    // Only this customer's things, and the token no longer in the address bar.
    expect(manage.page.url()).not.toContain('/hosted/');
    await checkPage(manage, 'hosted-portal');
    await manage.page
      .getByRole('link', { name: /Back to/ })
      .first()
      .click();
    await manage.page.waitForURL(`${appUrl}/account`);
    await page.context().close();
    await again.page.context().close();
    await manage.page.context().close();
  });
});
