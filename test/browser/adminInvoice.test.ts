// The admin console's invoice page in a real Chromium against the real stack, at a phone's width: an operator opens
// an invoice, records part of it as a bank transfer and sees what remains drop, is shown the API's refusal at the
// field it names (an amount of nothing, a reference recorded before for another amount), then issues a credit note
// for the rest (pressing confirm twice issues one note) and sees the invoice PAID. The page and each open dialog are
// checked with axe-core and the content security policy, and screenshotted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { createAdminUser } from '../../src/accounts/register.js';
import { until } from '../support/eventually.js';
import { launchChromium, openPage, type WatchedPage } from './support/chromium.js';
import { checkPage } from './support/pageChecks.js';
import { startPortalStack, type PortalStack } from './support/portalStack.js';
import { aPhone, PASSWORD, sees, seesHeading } from './support/subscriber.js';
import { ensureWebBuilt } from './support/webBuild.js';

/** The page's document in functions run in the browser (serialised there: they can use nothing from this file). */
interface BrowserGlobal {
  document: { getAnimations(): { playState: string }[]; activeElement: { textContent: string | null } | null };
}

interface RefundState {
  status: string;
  failureMessage: string | null;
  amount: { amount: number };
}

interface InvoiceState {
  status: string;
  amountRemaining: { amount: number };
  offlinePayments: { reference: string; amount: { amount: number } }[];
  creditNotes: { number: string; amount: { amount: number } }[];
}

describe('the admin console invoice page', () => {
  let stack: PortalStack;
  let browser: Browser;
  const admin = { email: `invoices-${Date.now()}@example.test`, password: PASSWORD };

  beforeAll(async () => {
    await ensureWebBuilt();
    [stack, browser] = await Promise.all([startPortalStack('admin_invoice'), launchChromium()]);
    await createAdminUser(stack.orm.em.fork(), admin.email, admin.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const result = await stack.api.graphql<T>(query, variables, stack.admin);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }

  /** A one-off invoice of KES 10,000.00 sent to a new customer to pay, or of KES 1,500.00 paid by M-Pesa at once. */
  async function anInvoice(paidByMpesa = false): Promise<{ id: string; number: string }> {
    const phone = aPhone();
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { email: `wafula-${Date.now()}@example.test`, name: 'Wafula Hardware Ltd', phone } },
    );
    const { createInvoice } = await graphql<{ createInvoice: { id: string; number: string } }>(
      'mutation ($input: CreateInvoiceInput!) { createInvoice(input: $input) { id number } }',
      {
        input: {
          customerId: createCustomer.id,
          currency: 'KES',
          description: 'Till installation',
          lines: [{ description: 'Till installation', quantity: 1, unitAmount: paidByMpesa ? 150_000 : 1_000_000 }],
          ...(paidByMpesa
            ? { collect: 'AUTOMATIC', paymentMethod: { provider: 'MPESA', phone } }
            : { collect: 'SEND' }),
          idempotencyKey: `invoice-${Date.now()}`,
        },
      },
    );
    return createInvoice;
  }

  function invoiceState(id: string): Promise<{ invoice: InvoiceState }> {
    return graphql(
      `
        query ($id: ID!) {
          invoice(id: $id) {
            status
            amountRemaining {
              amount
            }
            offlinePayments {
              reference
              amount {
                amount
              }
            }
            creditNotes {
              number
              amount {
                amount
              }
            }
          }
        }
      `,
      { id },
    );
  }

  /** The figure the settlement lists under a label, as the page writes it. */
  function figure(page: Page, label: string): Promise<string> {
    return page
      .locator('dl dt', { hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]')
      .innerText();
  }

  async function opensDialog(page: Page, button: string, title = button): Promise<Locator> {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor({ state: 'visible' });
    // Checked once it has faded in: mid-transition its text is lighter than it will be.
    await page.waitForFunction(() =>
      (globalThis as unknown as BrowserGlobal).document
        .getAnimations()
        .every((animation) => animation.playState !== 'running'),
    );
    return dialog;
  }

  /** The field's error, as a screen reader hears it: the input is invalid and described by the message. */
  async function fieldError(dialog: Locator, label: RegExp, message: RegExp): Promise<void> {
    await dialog.getByText(message).first().waitFor({ state: 'visible', timeout: 15_000 });
    const field = dialog.getByLabel(label);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => dialog.locator(`[id="${id}"]`).innerText()),
    );
    expect(descriptions.join(' ')).toMatch(message);
  }

  async function logInAt(path: string): Promise<WatchedPage> {
    const watched = await openPage(browser, 'phone');
    const { page } = watched;
    await page.goto(`${stack.url}${path}`);
    await seesHeading(page, /log in/i);
    await page.getByLabel(/^Email/).fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'visible', timeout: 15_000 });
    return watched;
  }

  it('records a partial bank transfer, refuses a bad amount and a reused reference, and credits the rest', async () => {
    const invoice = await anInvoice();
    const watched = await logInAt(`/admin/invoices/${invoice.id}`);
    const { page } = watched;
    await seesHeading(page, `Invoice ${invoice.number}`);
    expect(await figure(page, 'Remaining')).toMatch(/10,000\.00/);
    await sees(page, 'One-off');
    await checkPage(watched, 'admin-invoice-open');

    // KES 4,000 arrives by bank transfer.
    const reference = `FT${Date.now()}`;
    let dialog = await opensDialog(page, 'Record offline payment');
    await checkPage(watched, 'admin-invoice-offline-payment');
    await dialog.getByLabel(/^Amount received/).fill('4,000');
    await dialog.getByLabel(/^Reference/).fill(reference);
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByText(/6,000\.00/)
      .first()
      .waitFor();
    expect(await figure(page, 'Remaining')).toMatch(/6,000\.00/);
    expect(await figure(page, 'Paid')).toMatch(/4,000\.00/);
    await sees(page, reference);

    // Nothing received is refused by the API, at the amount; the same reference for another amount, at the reference.
    dialog = await opensDialog(page, 'Record offline payment');
    await dialog.getByLabel(/^Amount received/).fill('0');
    await dialog.getByLabel(/^Reference/).fill(`${reference}-2`);
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await fieldError(dialog, /^Amount received/, /must be above 0/i);
    await dialog.getByLabel(/^Amount received/).fill('1,000');
    await dialog.getByLabel(/^Reference/).fill(reference);
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await fieldError(dialog, /^Reference/, /already recorded/);
    await checkPage(watched, 'admin-invoice-offline-payment-refused');
    // Keeping it as it is closes the dialog and gives the focus back to the button that opened it.
    await dialog.getByRole('button', { name: 'Keep as it is' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(
      () => (globalThis as unknown as BrowserGlobal).document.activeElement?.textContent === 'Record offline payment',
    );
    expect((await invoiceState(invoice.id)).invoice.offlinePayments).toHaveLength(1);

    // A credit note for the rest; confirm pressed twice still issues one note (one idempotency key per opening).
    dialog = await opensDialog(page, 'Issue credit note');
    await dialog.getByLabel('Line 1 description').fill('Installation delayed a week');
    expect(await dialog.getByLabel(/^Line 1 amount/).inputValue()).toBe('6000.00');
    await checkPage(watched, 'admin-invoice-credit-note');
    await dialog.getByRole('button', { name: 'Issue credit note' }).dblclick();
    await dialog.waitFor({ state: 'hidden' });
    await sees(page, 'Paid');
    expect(await figure(page, 'Remaining')).toMatch(/0\.00/);
    expect(await figure(page, 'Credit notes')).toMatch(/6,000\.00/);
    const { invoice: settled } = await invoiceState(invoice.id);
    expect(settled.status).toBe('PAID');
    expect(settled.amountRemaining.amount).toBe(0);
    expect(settled.creditNotes.map((note) => note.amount.amount)).toEqual([600_000]);
    const note = settled.creditNotes[0]!.number;
    expect(await page.getByRole('link', { name: note, exact: true }).getAttribute('href')).toMatch(/\/credit-notes\//);
    expect(await page.getByRole('link', { name: `${note} as PDF` }).getAttribute('href')).toMatch(/\.pdf\?/);
    // Nothing is owed now: money can no longer be recorded against it, nor can it be voided.
    expect(await page.getByRole('button', { name: 'Record offline payment' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Void' }).count()).toBe(0);
    await checkPage(watched, 'admin-invoice-paid');

    // The invoice list links its number here.
    await page.goto(`${stack.url}/admin/invoices?number=${encodeURIComponent(invoice.number)}`);
    await page.getByRole('link', { name: invoice.number, exact: true }).click();
    await seesHeading(page, `Invoice ${invoice.number}`);
    await page.context().close();
  }, 120_000);

  it('refunds an M-Pesa payment whole, refusing a part too small to send, and voids an open invoice', async () => {
    const paid = await anInvoice(true);
    await until(async () => expect((await invoiceState(paid.id)).invoice.status).toBe('PAID'), 60_000);
    const watched = await logInAt(`/admin/invoices/${paid.id}`);
    const { page } = watched;
    await seesHeading(page, `Invoice ${paid.number}`);
    await sees(page, 'Succeeded');

    // A part goes back to the phone by B2C, which sends KES 10 at least: less is refused at the amount; left empty,
    // the whole is refunded (a reversal).
    const dialog = await opensDialog(page, 'Refund a payment');
    await dialog.getByLabel(/^Amount/).fill('5');
    await dialog.getByLabel(/^Reason/).fill('Charged twice');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await fieldError(dialog, /^Amount/, /at least KES 10/i);
    await checkPage(watched, 'admin-invoice-refund-refused');
    await dialog.getByLabel(/^Amount/).fill('');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const refundRow = page
      .getByRole('region', { name: `Refunds on ${paid.number}` })
      .getByRole('row', { name: /Charged twice/ });
    await refundRow.waitFor();
    // Daraja's result arrives a second later; the page follows refundUpdated and shows it without a reload.
    await refundRow.getByText('succeeded').waitFor({ timeout: 30_000 });
    // The whole payment, given back by the provider.
    const { invoice } = await graphql<{ invoice: { payments: { refunds: RefundState[] }[] } }>(
      'query ($id: ID!) { invoice(id: $id) { payments { refunds { status failureMessage amount { amount } } } } }',
      { id: paid.id },
    );
    const refunds = invoice.payments.flatMap((payment) => payment.refunds);
    expect(refunds.map((refund) => refund.amount.amount)).toEqual([150_000]);
    expect(refunds[0]!.status).toBe('SUCCEEDED');

    // An invoice issued by mistake is voided, and nothing is offered on it after.
    const mistaken = await anInvoice();
    await page.goto(`${stack.url}/admin/invoices/${mistaken.id}`);
    await seesHeading(page, `Invoice ${mistaken.number}`);
    const voiding = await opensDialog(page, 'Void', 'Void invoice');
    await voiding.getByLabel(/^Reason/).fill('Issued twice');
    await voiding.getByRole('button', { name: 'Void invoice' }).click();
    await sees(page, 'Nothing can be corrected on a void invoice.');
    expect((await invoiceState(mistaken.id)).invoice.status).toBe('VOID');
    await checkPage(watched, 'admin-invoice-void');
    await page.context().close();
  }, 120_000);
});
