// Invoice documents end to end: a real invoice (coupon and VAT lines) on the real Postgres, its signed links asked
// for through GraphQL, and the page and PDF fetched from the real API server over HTTP. Links are refused alike
// whether they were tampered with, expired, or made for another invoice, and an invoice that does not exist is a 404.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { createCoupon } from '../../../src/catalog/coupons.js';
import { createCustomer } from '../../../src/customers/createCustomer.js';
import type { Orm } from '../../../src/db/orm.js';
import { formatMoney } from '../../../src/domain/money.js';
import { Invoice, InvoiceLine, Payment, Subscription } from '../../../src/entities/index.js';
import { escapeHtml } from '../../../src/invoices/invoiceHtml.js';
import {
  INVOICE_LINK_LIFETIME_MS,
  invoiceLinkSettings,
  invoiceLinkToken,
  type InvoiceLinkSettings,
} from '../../../src/invoices/invoiceLinks.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { admin, aPlan, uniqueEmail } from '../../support/fixtures.js';

const VAT = { rateBasisPoints: 1600, name: 'VAT' };
const CUSTOMER_NAME = 'Njeri & Otieno "Duka" Ltd';

interface InvoiceLinksResult {
  invoice: { number: string; htmlUrl: string; pdfUrl: string; total: { amount: number; currency: string } };
}

/** Text as a reader sees it: the no-break spaces Intl puts in amounts read as spaces, runs of space as one. */
function readable(text: string): string {
  return text.replace(/[\u00a0\u202f\s]+/g, ' ');
}

async function pdfTextOf(bytes: ArrayBuffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe('invoice documents', () => {
  let orm: Orm;
  let running: RunningApi;
  let adminAuth: Headers;
  let links: InvoiceLinkSettings;

  beforeAll(async () => {
    orm = await testOrm();
    running = await startApi(orm);
    adminAuth = await adminHeaders(running, orm);
    // The same configuration startApi builds the server from, so the same derived secret and PUBLIC_URL.
    links = invoiceLinkSettings(testConfig());
  });
  afterAll(async () => {
    await running?.stop();
    await orm?.close();
  });

  /** A link as GraphQL hands it out (on PUBLIC_URL), sent to the test server instead. */
  function onTestServer(link: string): string {
    const url = new URL(link);
    return `${running.url}${url.pathname}${url.search}`;
  }

  function invoicePath(invoiceId: string, token: string, pdf = false): string {
    return `${running.url}/invoices/${invoiceId}${pdf ? '.pdf' : ''}?token=${token}`;
  }

  async function anInvoice(options: { coupon?: boolean; anchor: Date }) {
    const [customer, plan] = await Promise.all([
      createCustomer(orm.em.fork(), admin, {
        email: uniqueEmail('invoice'),
        name: CUSTOMER_NAME,
        billingAddress: { line1: 'Moi Avenue 12', city: 'Nairobi', postalCode: '00100', country: 'KE' },
      }),
      aPlan(orm.em, { name: 'Pro monthly', amount: 250_000, currency: 'KES', trialDays: 0 }),
    ]);
    const coupon = options.coupon
      ? await createCoupon(orm.em.fork(), admin, {
          code: `DOC${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
          name: 'Ten off',
          percentOffBasisPoints: 1_000,
          duration: 'FOREVER',
        })
      : null;
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'TRIALING',
      trialEnd: options.anchor,
      billingAnchor: options.anchor,
      coupon: coupon?.id ?? null,
      couponRedeemedAtPeriod: coupon ? 0 : null,
    });
    await em.flush();
    const issued = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 }, VAT);
    const lines = await orm.em
      .fork()
      .find(InvoiceLine, { invoice: issued.invoiceId }, { orderBy: { position: 'asc' } });
    return { issued, lines, customerId: customer.id };
  }

  async function linksFor(invoiceId: string) {
    const result = await running.graphql<InvoiceLinksResult>(
      'query ($id: ID!) { invoice(id: $id) { number htmlUrl pdfUrl total { amount currency } } }',
      { id: invoiceId },
      adminAuth,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.invoice;
  }

  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

  describe('an open invoice with a coupon and VAT', () => {
    let invoice: Awaited<ReturnType<typeof anInvoice>>;
    let served: InvoiceLinksResult['invoice'];

    beforeAll(async () => {
      invoice = await anInvoice({ coupon: true, anchor: new Date('2031-06-01T09:00:00Z') });
      served = await linksFor(invoice.issued.invoiceId);
    });

    it('is priced as expected: KES 2,500 less 10 %, plus 16 % VAT', () => {
      expect(invoice.lines.map((line) => [line.kind, line.amount])).toEqual([
        ['PLAN', 250_000],
        ['DISCOUNT', -25_000],
        ['TAX', 36_000],
      ]);
      expect(served.total).toEqual({ amount: 261_000, currency: 'KES' });
    });

    it('hands out page and PDF links on PUBLIC_URL, signed for seven days', () => {
      const { publicUrl } = testConfig().payments;
      const id = invoice.issued.invoiceId;
      expect(served.htmlUrl).toMatch(new RegExp(`^${publicUrl}/invoices/${id}\\?token=[\\w-]+\\.[\\w-]{43}$`));
      expect(served.pdfUrl).toMatch(new RegExp(`^${publicUrl}/invoices/${id}\\.pdf\\?token=[\\w-]+\\.[\\w-]{43}$`));
      const payload = JSON.parse(Buffer.from(tokenOf(served.htmlUrl).split('.')[0]!, 'base64url').toString('utf8'));
      const lifetime = payload.exp * 1000 - Date.now();
      expect(payload.inv).toBe(id);
      expect(lifetime).toBeGreaterThan(INVOICE_LINK_LIFETIME_MS - 60_000);
      expect(lifetime).toBeLessThanOrEqual(INVOICE_LINK_LIFETIME_MS);
    });

    it('serves the page: number, buyer, every line, exact totals, styled under its own policy', async () => {
      const response = await fetch(onTestServer(served.htmlUrl));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const html = await response.text();
      expect(html).toContain(invoice.issued.number);
      expect(html).toContain(escapeHtml(CUSTOMER_NAME));
      expect(html).not.toContain(CUSTOMER_NAME);
      expect(html).toContain('Moi Avenue 12');
      expect(html).toContain('Karibu Billing');
      for (const line of invoice.lines) {
        expect(html).toContain(escapeHtml(line.description));
        expect(html).toContain(formatMoney({ amount: line.amount, currency: 'KES' }));
      }
      expect(html).toContain('VAT 16 %');
      expect(html).toContain(formatMoney({ amount: 261_000, currency: 'KES' }));
      expect(readable(html)).toContain('Ksh 2,610.00');
      expect(html).toContain('Amount due');
      expect(html).toContain('>Open<');
      expect(html).toContain('Billing period');

      // The one inline stylesheet is allowed by its hash, and nothing else is.
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const hash = createHash('sha256').update(css, 'utf8').digest('base64');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain(`style-src 'sha256-${hash}'`);
      expect(policy).toContain("default-src 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(html).not.toContain('<script');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(html).toContain(`href="${invoice.issued.invoiceId}.pdf?token=${tokenOf(served.htmlUrl)}"`);
    });

    it('serves the PDF as a download named after the invoice, with the number and exact total in its text', async () => {
      const response = await fetch(onTestServer(served.pdfUrl));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      // Quoted or not, as the header needs: invoice numbers have nothing to quote.
      expect(response.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="?${invoice.issued.number}\\.pdf"?$`),
      );
      const bytes = await response.arrayBuffer();
      expect(Buffer.from(bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = readable(await pdfTextOf(bytes));
      expect(text).toContain(invoice.issued.number);
      expect(text).toContain(readable(formatMoney({ amount: 261_000, currency: 'KES' })));
      expect(text).toContain('Ksh 2,610.00');
      expect(text).toContain('Ksh 2,500.00'); // the subtotal
      expect(text).toContain('-Ksh 250.00'); // the coupon
      expect(text).toContain('Ksh 360.00'); // the VAT
      expect(text).toContain(CUSTOMER_NAME);
      expect(text).toContain('Karibu Billing');
      for (const line of invoice.lines) expect(text).toContain(readable(line.description));
    });

    /** The one refusal page: every cause (no token, tampered, expired, other invoice) gets the same bytes. */
    async function expectRefused(url: string) {
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const body = await response.text();
      const plain = await (await fetch(`${running.url}/invoices/${invoice.issued.invoiceId}`)).text();
      expect(body).toBe(plain);
      expect(body).not.toContain(invoice.issued.number);
    }

    it('refuses a tampered token with a 403 page that tells nothing', async () => {
      const token = tokenOf(served.htmlUrl);
      const [payload, signature] = token.split('.') as [string, string];
      const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      for (const tampered of [`${flip(payload, 5)}.${signature}`, `${payload}.${flip(signature, 10)}`, `${payload}.`]) {
        await expectRefused(invoicePath(invoice.issued.invoiceId, tampered));
        await expectRefused(invoicePath(invoice.issued.invoiceId, tampered, true));
      }
    });

    it('refuses a missing token', async () => {
      for (const url of [
        `${running.url}/invoices/${invoice.issued.invoiceId}`,
        `${running.url}/invoices/${invoice.issued.invoiceId}.pdf`,
        invoicePath(invoice.issued.invoiceId, ''),
      ]) {
        expect((await fetch(url)).status).toBe(403);
      }
    });

    it('refuses an expired token', async () => {
      const expired = invoiceLinkToken(invoice.issued.invoiceId, new Date(Date.now() - 1_000), links.secret);
      await expectRefused(invoicePath(invoice.issued.invoiceId, expired));
      await expectRefused(invoicePath(invoice.issued.invoiceId, expired, true));
      // The same link, still valid, opens the invoice: the refusal was the expiry alone.
      const fresh = invoiceLinkToken(invoice.issued.invoiceId, new Date(Date.now() + 60_000), links.secret);
      expect((await fetch(invoicePath(invoice.issued.invoiceId, fresh))).status).toBe(200);
    });

    it("refuses a token signed with another secret (another deployment's links)", async () => {
      const foreign = invoiceLinkToken(invoice.issued.invoiceId, new Date(Date.now() + 60_000), 'another secret');
      await expectRefused(invoicePath(invoice.issued.invoiceId, foreign));
    });

    it('is a 404 for an unknown invoice, even with a valid link for that id', async () => {
      const unknown = randomUUID();
      const token = invoiceLinkToken(unknown, new Date(Date.now() + 60_000), links.secret);
      for (const pdf of [false, true]) {
        const response = await fetch(invoicePath(unknown, token, pdf));
        expect(response.status).toBe(404);
        expect(await response.text()).toContain('Document not found');
      }
      // Not a UUID: no database error, just not found.
      const odd = invoiceLinkToken('not-a-uuid', new Date(Date.now() + 60_000), links.secret);
      expect((await fetch(invoicePath('not-a-uuid', odd))).status).toBe(404);
    });
  });

  describe('a paid invoice', () => {
    let invoice: Awaited<ReturnType<typeof anInvoice>>;
    let served: InvoiceLinksResult['invoice'];
    const receipt = `NL${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
    const paidAt = new Date('2031-08-01T10:15:00Z');

    beforeAll(async () => {
      invoice = await anInvoice({ anchor: new Date('2031-08-01T09:00:00Z') });
      // What recordChargeOutcome leaves behind after a confirmed M-Pesa callback.
      const em = orm.em.fork();
      const row = await em.findOneOrFail(Invoice, { id: invoice.issued.invoiceId });
      em.create(Payment, {
        invoice: row,
        customer: invoice.customerId,
        provider: 'MPESA',
        status: 'SUCCEEDED',
        attempt: 1,
        amount: row.amountDue,
        currency: row.currency,
        idempotencyKey: randomUUID(),
        providerReference: `ws_CO_${randomUUID()}`,
        receiptNumber: receipt,
        completedAt: paidAt,
      });
      row.status = 'PAID';
      row.amountPaid = row.amountDue;
      row.paidAt = paidAt;
      await em.flush();
      served = await linksFor(invoice.issued.invoiceId);
    });

    it('shows it paid, when, and the M-Pesa receipt number, on the page and in the PDF', async () => {
      const page = await fetch(onTestServer(served.htmlUrl));
      expect(page.status).toBe(200);
      const html = readable(await page.text());
      expect(html).toContain('>Paid<');
      expect(html).toContain('M-Pesa receipt');
      expect(html).toContain(receipt);
      expect(html).toContain('1 Aug 2031');
      expect(html).toContain('Amount paid');
      // 2,500.00 plus 16 % VAT.
      expect(html).toContain('Ksh 2,900.00');

      const pdf = await fetch(onTestServer(served.pdfUrl));
      expect(pdf.status).toBe(200);
      const text = readable(await pdfTextOf(await pdf.arrayBuffer()));
      expect(text).toContain(invoice.issued.number);
      expect(text).toContain('PAID');
      expect(text).toContain(receipt);
      expect(text).toContain('1 Aug 2031');
      expect(text).toContain('Ksh 2,900.00');
    });

    it("refuses a link for another invoice: this one's token does not open the open invoice", async () => {
      const other = await anInvoice({ anchor: new Date('2031-09-01T09:00:00Z') });
      const token = tokenOf(served.htmlUrl);
      expect((await fetch(invoicePath(other.issued.invoiceId, token))).status).toBe(403);
      expect((await fetch(invoicePath(other.issued.invoiceId, token, true))).status).toBe(403);
      // While it still opens its own.
      expect((await fetch(invoicePath(invoice.issued.invoiceId, token))).status).toBe(200);
    });
  });
});
