// Tax categories end to end through the API and the real database: a plan's or product's category decides its
// invoice lines' tax, an exempt customer pays none, a mixed one-off invoice has one total per category that sums
// exactly to its total, and bad input names the field.
import { describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { Invoice, InvoiceLine, Subscription } from '../../../src/entities/index.js';
import { apiForSuite } from '../../support/api.js';
import { adminHeaders } from '../../support/callers.js';
import { aCustomer, admin, aPlan, aProduct } from '../../support/fixtures.js';
import { createProduct } from '../../../src/catalog/createProduct.js';
import { updateCustomer } from '../../../src/customers/updateCustomer.js';
import { randomUUID } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import { startEtimsSandbox } from '../../../sandboxes/etims/server.js';
import { httpEtims } from '../../../src/tax/etims/httpEtims.js';
import { submitInvoiceToEtims } from '../../../src/tax/etims/submitInvoiceToEtims.js';

const VAT = { rateBasisPoints: 1600, name: 'VAT' };

describe('tax categories', () => {
  const suite = apiForSuite({
    TAX_RATE_BASIS_POINTS: '1600',
    TAX_NAME: 'VAT',
    SELLER_NAME: 'Karibu Analytics Ltd',
    SELLER_KRA_PIN: 'p051234567q',
    SELLER_ADDRESS: 'Kenyatta Avenue 1; Nairobi',
  });

  async function periodInvoice(customerId: string, planId: string) {
    const em = suite.orm.em.fork();
    const anchor = new Date('2032-03-01T09:00:00Z');
    const subscription = em.create(Subscription, {
      customer: customerId,
      plan: planId,
      status: 'TRIALING',
      trialEnd: anchor,
      billingAnchor: anchor,
    });
    await em.flush();
    const issued = await issuePeriodInvoice(suite.orm.em, { subscriptionId: subscription.id, periodIndex: 0 }, VAT);
    const lines = await suite.orm.em
      .fork()
      .find(InvoiceLine, { invoice: issued.invoiceId }, { orderBy: { position: 'asc' } });
    return { issued, lines: lines.map((l) => [l.kind, l.amount, l.taxCategory, l.taxRateBasisPoints]) };
  }

  it('taxes a plan by its own category, else its product’s, else the global setting', async () => {
    const customer = await aCustomer(suite.orm.em);
    const zero = await aPlan(suite.orm.em, { amount: 100_000, taxCategory: 'ZERO_RATED' });
    expect(await periodInvoice(customer.id, zero.id)).toMatchObject({
      issued: { total: 100_000 },
      lines: [['PLAN', 100_000, 'ZERO_RATED', 0]],
    });
    const product = await createProduct(suite.orm.em.fork(), admin, {
      code: `reduced-${randomUUID().slice(0, 8)}`,
      name: 'Reduced',
      taxCategory: 'STANDARD',
      taxRateBasisPoints: 800,
    });
    const inherits = await aPlan(suite.orm.em, { amount: 100_000, productId: product.id });
    expect(await periodInvoice(customer.id, inherits.id)).toMatchObject({
      issued: { total: 108_000 },
      lines: [
        ['PLAN', 100_000, 'STANDARD', 800],
        ['TAX', 8_000, 'STANDARD', 800],
      ],
    });
    const plain = await aPlan(suite.orm.em, { amount: 100_000 });
    expect(await periodInvoice(customer.id, plain.id)).toMatchObject({
      issued: { total: 116_000 },
      lines: [
        ['PLAN', 100_000, 'STANDARD', 1600],
        ['TAX', 16_000, 'STANDARD', 1600],
      ],
    });
  });

  it('bills an exempt customer no tax, whatever the plan says', async () => {
    const customer = await aCustomer(suite.orm.em);
    await updateCustomer(suite.orm.em.fork(), admin, { id: customer.id, taxExempt: true, kraPin: 'p051234567q' });
    const plan = await aPlan(suite.orm.em, { amount: 100_000, taxCategory: 'STANDARD' });
    expect(await periodInvoice(customer.id, plan.id)).toMatchObject({
      issued: { total: 100_000 },
      lines: [['PLAN', 100_000, 'EXEMPT', 0]],
    });
    const stored = await suite.orm.em.fork().findOneOrFail(Invoice, { customer: customer.id });
    expect(stored.total).toBe(100_000);
  });

  /** A USD one-off invoice with a line in each category and two STANDARD rates, for a customer with a KRA PIN. */
  async function mixedInvoice() {
    const headers = await adminHeaders(suite.api, suite.orm);
    const customer = await aCustomer(suite.orm.em);
    await updateCustomer(suite.orm.em.fork(), admin, { id: customer.id, kraPin: 'A123456789Z' });
    const result = await suite.api.graphql<{
      createInvoice: {
        total: { amount: number };
        lines: { kind: string; amount: { amount: number }; taxCategory: string | null }[];
        taxTotals: {
          category: string;
          rateBasisPoints: number;
          taxable: { amount: number };
          tax: { amount: number };
        }[];
        id: string;
        htmlUrl: string;
        pdfUrl: string;
      };
    }>(
      `mutation ($c: ID!, $key: String!) {
        createInvoice(input: { customerId: $c, currency: "USD", description: "Setup", collect: SEND, idempotencyKey: $key,
          lines: [
            { description: "Consulting", quantity: 3, unitAmount: 3 },
            { description: "Export service", unitAmount: 10000, taxCategory: ZERO_RATED },
            { description: "Training", unitAmount: 2501, taxCategory: EXEMPT },
            { description: "Hardware", unitAmount: 3333, taxCategory: STANDARD, taxRateBasisPoints: 800 }
          ] }) {
          total { amount }
          lines { kind amount { amount } taxCategory }
          taxTotals { category rateBasisPoints taxable { amount } tax { amount } }
          id htmlUrl pdfUrl
        }
      }`,
      { c: customer.id, key: randomUUID() },
      headers,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.createInvoice;
  }

  it('sums a one-off invoice of mixed categories exactly, per category, through the API', async () => {
    const invoice = await mixedInvoice();
    // 16 % of the 9-cent consulting line is 1.44 cents, 1 cent once rounded on the category's total; 8 % of
    // 3,333 is 266.64, so 267.
    expect(invoice.taxTotals.map((t) => [t.category, t.rateBasisPoints, t.taxable.amount, t.tax.amount])).toEqual([
      ['STANDARD', 1600, 9, 1],
      ['STANDARD', 800, 3_333, 267],
      ['ZERO_RATED', 0, 10_000, 0],
      ['EXEMPT', 0, 2_501, 0],
    ]);
    const sum = invoice.taxTotals.reduce((total, t) => total + t.taxable.amount + t.tax.amount, 0);
    expect(invoice.total.amount).toBe(sum);
    expect(invoice.total.amount).toBe(9 + 10_000 + 2_501 + 3_333 + 1 + 267);
    expect(invoice.lines.filter((l) => l.kind === 'TAX').map((l) => [l.amount.amount, l.taxCategory])).toEqual([
      [1, 'STANDARD'],
      [267, 'STANDARD'],
    ]);
    // The page and the PDF (one layout) name the seller's registered details, the buyer's PIN and each category.
    const onTestServer = (link: string) => `${suite.api.url}${new URL(link).pathname}${new URL(link).search}`;
    const html = await (await fetch(onTestServer(invoice.htmlUrl))).text();
    const parser = new PDFParse({
      data: new Uint8Array(await (await fetch(onTestServer(invoice.pdfUrl))).arrayBuffer()),
    });
    const pdf = (await parser.getText()).text;
    await parser.destroy();
    for (const text of [html, pdf]) {
      for (const expected of [
        'Karibu Analytics Ltd',
        'KRA PIN: P051234567Q',
        'Kenyatta Avenue 1',
        'KRA PIN: A123456789Z',
        'Taxable at 16 %',
        'Taxable at 8 %',
        'Zero-rated',
        'Exempt',
        'VAT 8 %',
        '161.11',
      ])
        expect(text).toContain(expected);
    }
  });

  it('submits a finalized invoice to eTIMS once, over HTTP, and prints the signed receipt', async () => {
    const sandbox = await startEtimsSandbox({ cmcKey: 'key-1' });
    try {
      const invoice = await mixedInvoice();
      const submission = {
        port: httpEtims({
          url: sandbox.url,
          tin: 'P051234567Q',
          branchId: '00',
          communicationKey: 'key-1',
          qrBaseUrl: 'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData',
        }),
        sellerPin: 'P051234567Q',
        classificationCode: '8111150000',
      };
      const [first, second] = [
        await submitInvoiceToEtims(suite.orm.em, invoice.id, submission),
        await submitInvoiceToEtims(suite.orm.em, invoice.id, submission),
      ];
      expect(first.etimsReceiptNumber).toMatch(/^\d+$/);
      expect(second).toMatchObject({
        etimsReceiptNumber: first.etimsReceiptNumber,
        etimsSignature: first.etimsSignature,
        etimsQrCodeUrl: first.etimsQrCodeUrl,
      });
      expect(sandbox.receipts.size).toBe(1);
      const html = await (
        await fetch(`${suite.api.url}${new URL(invoice.htmlUrl).pathname}${new URL(invoice.htmlUrl).search}`)
      ).text();
      expect(html).toContain(first.etimsSignature!);
      expect(html).toContain('eTIMS receipt');
    } finally {
      await sandbox.close();
    }
  });

  it("sends each line to eTIMS under its product's KRA item code, kept on the line as it was billed", async () => {
    const sandbox = await startEtimsSandbox({ cmcKey: 'key-1' });
    try {
      const product = await createProduct(suite.orm.em.fork(), admin, {
        code: `schools-${randomUUID().slice(0, 8)}`,
        name: 'Schools',
        itemClassificationCode: '8610150000',
      });
      const plan = await aPlan(suite.orm.em, { amount: 100_000, productId: product.id });
      const { issued } = await periodInvoice((await aCustomer(suite.orm.em)).id, plan.id);
      const [line] = await suite.orm.em.fork().find(InvoiceLine, { invoice: issued.invoiceId, kind: 'PLAN' });
      expect(line!.itemClassificationCode).toBe('8610150000');
      const port = httpEtims({
        url: sandbox.url,
        tin: 'P051234567Q',
        branchId: '00',
        communicationKey: 'key-1',
        qrBaseUrl: 'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData',
      });
      await submitInvoiceToEtims(suite.orm.em, issued.invoiceId, {
        port,
        sellerPin: 'P051234567Q',
        classificationCode: '8111150000',
      });
      expect(sandbox.items.get(issued.number)).toEqual([{ itemNm: line!.description, itemClsCd: '8610150000' }]);
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a malformed KRA PIN, naming the field, and a rate on a non-STANDARD category', async () => {
    const headers = await adminHeaders(suite.api, suite.orm);
    const bad = await suite.api.graphql(
      'mutation { createCustomer(input: { email: "pin@example.com", name: "Pin", kraPin: "A12345678Z" }) { id } }',
      {},
      headers,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(bad.errors?.[0])).toContain('kraPin');
    expect(bad.errors?.[0]?.message).toContain('a letter, nine digits and a letter');
    const product = await aProduct(suite.orm.em);
    const rate = await suite.api.graphql(
      `mutation ($p: ID!) { createPlan(input: { productId: $p, name: "Z", amount: 100, currency: "KES", interval: MONTH,
        taxCategory: EXEMPT, taxRateBasisPoints: 1600 }) { id } }`,
      { p: product.id },
      headers,
    );
    expect(rate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(rate.errors?.[0])).toContain('taxRateBasisPoints');
    const code = await suite.api.graphql(
      'mutation { createProduct(input: { code: "bad-item-code", name: "Bad", itemClassificationCode: "86-10" }) { id } }',
      {},
      headers,
    );
    expect(code.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.itemClassificationCode': 'must be a KRA item classification code: 6 to 10 digits' },
    });
  });
});
