// Paybill (C2B) payments end to end over HTTP: the API's URLs registered on the M-Pesa sandbox, customers paying from
// their phones with an invoice reference or their account number, M-Pesa's validation and confirmation landing on
// the API. Each payment is recorded once, spread over what the customer owes with the rest on their balance, or kept
// UNMATCHED with its reason; every delivery is stored raw, refused ones included.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createInvoice } from '../../../src/billing/createInvoice.js';
import { creditBalance } from '../../../src/billing/changes/customerCredit.js';
import type { Orm } from '../../../src/db/orm.js';
import { NO_TAX } from '../../../src/domain/tax.js';
import { Customer, Invoice, PaybillAllocation, PaybillPayment, WebhookEvent } from '../../../src/entities/index.js';
import { accountReference } from '../../../src/payments/mpesa/chargeTexts.js';
import { assignPaybillPayment } from '../../../src/payments/paybill/assignPaybillPayment.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, admin } from '../../support/fixtures.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { payFromPhone, registerPaybill } from '../../support/paybill.js';

const SECRET = `paybill-${'s'.repeat(20)}`;

let orm: Orm;
let api: RunningApi;
let sandbox: MpesaSandbox;
let settings: Record<string, string>;

beforeAll(async () => {
  orm = await testOrm();
  ({ sandbox, settings } = await listeningMpesaSandbox({ callbackRetryDelaysMs: [100] }));
  api = await startApi(orm, { env: { ...settings, MPESA_CALLBACK_SECRET: SECRET } });
  await registerPaybill(settings, api.url, SECRET);
});

afterAll(async () => {
  await sandbox?.close();
  await api?.stop();
  await orm?.close();
});

async function anInvoice(customerId: string, amount: number, currency = 'KES') {
  return createInvoice(
    orm.em,
    admin,
    { lifecycle: { collectOneOff: async () => undefined }, cipher: testCipher(), tax: NO_TAX },
    {
      customerId,
      currency,
      description: 'Setup fee',
      lines: [{ description: 'Setup', quantity: 1, unitAmount: amount }],
      collect: 'SEND',
      idempotencyKey: `paybill-test-${crypto.randomUUID()}`,
    },
  );
}

const reload = (id: string) => orm.em.fork().findOneOrFail(Invoice, { id });
const paymentOf = (transId: string) => orm.em.fork().findOneOrFail(PaybillPayment, { transId });
const allocationsOf = (paymentId: string) =>
  orm.em.fork().find(PaybillAllocation, { paybillPayment: paymentId }, { orderBy: { createdAt: 'asc' } });

describe('a payment naming an invoice', () => {
  it('pays it in part, then in full, from a lower-case reference', async () => {
    const customer = await aCustomer(orm.em);
    const invoice = await anInvoice(customer.id, 150_000);
    const reference = accountReference(invoice.number).toLowerCase();

    const first = await payFromPhone(sandbox, settings, { shillings: 500, account: reference });
    expect(await paymentOf(first.payload.TransID)).toMatchObject({
      status: 'MATCHED',
      amount: 50_000,
      appliedToInvoices: 50_000,
      creditedToBalance: 0,
      matchedBy: 'account reference',
      billRefNumber: reference,
    });
    expect(await reload(invoice.id)).toMatchObject({ status: 'OPEN', amountPaid: 50_000, amountRemaining: 100_000 });

    const second = await payFromPhone(sandbox, settings, { shillings: 1_000, account: ` ${invoice.number} ` });
    expect(await reload(invoice.id)).toMatchObject({ status: 'PAID', amountPaid: 150_000, amountRemaining: 0 });
    const payment = await paymentOf(second.payload.TransID);
    expect((await allocationsOf(payment.id)).map((a) => [a.invoice.id, a.amount])).toEqual([[invoice.id, 100_000]]);

    // The ledger has both, under their receipts; a receipt email is queued for each.
    const ledger = await orm.em
      .fork()
      .execute<{ kind: string; amount: string; reference: string }[]>(
        `select kind, amount::text, reference from money_movements where invoice_id = ? order by occurred_at, amount`,
        [invoice.id],
      );
    expect(ledger.map((row) => [row.kind, Number(row.amount), row.reference]).sort()).toEqual(
      [
        ['PAYBILL_PAYMENT', 50_000, first.payload.TransID],
        ['PAYBILL_PAYMENT', 100_000, second.payload.TransID],
      ].sort(),
    );
    const receipts = await orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*)::text as n from outbox_messages where dedupe_key in (?, ?)`, [
        `payment_receipt:paybill:${first.payload.TransID}`,
        `payment_receipt:paybill:${second.payload.TransID}`,
      ]);
    expect(receipts[0]!.n).toBe('2');
  });

  it('credits the balance with what an invoice no longer owes', async () => {
    const customer = await aCustomer(orm.em);
    const invoice = await anInvoice(customer.id, 20_000);
    const paid = await payFromPhone(sandbox, settings, { shillings: 250, account: accountReference(invoice.number) });
    expect(await paymentOf(paid.payload.TransID)).toMatchObject({
      appliedToInvoices: 20_000,
      creditedToBalance: 5_000,
    });
    expect(await reload(invoice.id)).toMatchObject({ status: 'PAID' });
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(5_000);
  });
});

describe("a payment naming the customer's account number", () => {
  it('pays their open invoices oldest first and puts the rest on their balance', async () => {
    const customer = await aCustomer(orm.em);
    const older = await anInvoice(customer.id, 30_000);
    const newer = await anInvoice(customer.id, 40_000);
    const { accountNumber } = await orm.em.fork().findOneOrFail(Customer, { id: customer.id });
    expect(accountNumber).toMatch(/^ACC\d{6,}$/);

    const paid = await payFromPhone(sandbox, settings, { shillings: 800, account: accountNumber.toLowerCase() });
    const payment = await paymentOf(paid.payload.TransID);
    expect(payment).toMatchObject({ status: 'MATCHED', appliedToInvoices: 70_000, creditedToBalance: 10_000 });
    expect((await allocationsOf(payment.id)).map((a) => [a.invoice.id, a.amount])).toEqual([
      [older.id, 30_000],
      [newer.id, 40_000],
    ]);
    expect((await reload(older.id)).status).toBe('PAID');
    expect((await reload(newer.id)).status).toBe('PAID');
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(10_000);

    // The customer's app hears of it once, with the invoices it paid.
    const events = await orm.em
      .fork()
      .execute<{ data: { object: Record<string, unknown> } }[]>(
        `select data from events where type = 'paybill_payment.received' and customer_id = ?`,
        [customer.id],
      );
    expect(events.map((event) => event.data.object)).toEqual([
      expect.objectContaining({
        transId: paid.payload.TransID,
        invoiceIds: [older.id, newer.id],
        amount: { amount: 80_000, currency: 'KES' },
        creditedToBalance: { amount: 10_000, currency: 'KES' },
      }),
    ]);
  });
});

describe('a payment from a customer who owes nothing', () => {
  it('goes to their balance, with a receipt that says so and what the balance is', async () => {
    const customer = await aCustomer(orm.em);
    const { accountNumber } = await orm.em.fork().findOneOrFail(Customer, { id: customer.id });
    const first = await payFromPhone(sandbox, settings, { shillings: 300, account: accountNumber });
    const second = await payFromPhone(sandbox, settings, { shillings: 200, account: accountNumber });
    expect(await paymentOf(first.payload.TransID)).toMatchObject({ appliedToInvoices: 0, creditedToBalance: 30_000 });
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(50_000);

    const receipts = await orm.em
      .fork()
      .execute<{ kind: string; payload: Record<string, unknown> }[]>(
        `select kind, payload from outbox_messages where dedupe_key in (?, ?) order by created_at`,
        [`payment_receipt:paybill:${first.payload.TransID}`, `payment_receipt:paybill:${second.payload.TransID}`],
      );
    expect(receipts).toEqual([
      {
        kind: 'balance_payment_received',
        payload: expect.objectContaining({ amount: 30_000, reference: first.payload.TransID, balance: 30_000 }),
      },
      {
        kind: 'balance_payment_received',
        payload: expect.objectContaining({ amount: 20_000, account: accountNumber, balance: 50_000 }),
      },
    ]);
  });
});

describe('what matches nothing, and what comes twice', () => {
  it('keeps a payment naming nothing as UNMATCHED, with the reason', async () => {
    const paid = await payFromPhone(sandbox, settings, { shillings: 100, account: 'rent june' });
    expect(await paymentOf(paid.payload.TransID)).toMatchObject({
      status: 'UNMATCHED',
      unmatchedReason: 'account RENTJUNE names no invoice or customer account',
      customer: null,
      appliedToInvoices: 0,
      creditedToBalance: 0,
    });
  });

  it('lets an administrator assign an unmatched payment to the invoice it was meant for, once', async () => {
    const customer = await aCustomer(orm.em);
    const invoice = await anInvoice(customer.id, 60_000);
    const paid = await payFromPhone(sandbox, settings, { shillings: 700, account: 'my invoice' });
    const unmatched = await paymentOf(paid.payload.TransID);
    expect(unmatched.status).toBe('UNMATCHED');

    const told: string[] = [];
    const lifecycle = { invoiceClosed: async (_: string | null, invoiceId: string) => void told.push(invoiceId) };
    await expect(
      assignPaybillPayment(
        orm.em,
        { kind: 'user', userId: crypto.randomUUID(), role: 'CUSTOMER', customerId: customer.id },
        lifecycle,
        {
          paybillPaymentId: unmatched.id,
          invoiceId: invoice.id,
        },
      ),
    ).rejects.toThrow('only administrators may do this');
    const assigned = await assignPaybillPayment(orm.em, admin, lifecycle, {
      paybillPaymentId: unmatched.id,
      invoiceId: invoice.id,
    });
    expect(assigned).toMatchObject({ status: 'MATCHED', appliedToInvoices: 60_000, creditedToBalance: 10_000 });
    expect(assigned.matchedBy).toBe(`user:${admin.kind === 'user' ? admin.userId : ''}`);
    expect(await reload(invoice.id)).toMatchObject({ status: 'PAID' });
    expect(told).toEqual([invoice.id]);
    expect(await creditBalance(orm.em.fork(), customer.id, 'KES')).toBe(10_000);
    await expect(
      assignPaybillPayment(orm.em, admin, lifecycle, { paybillPaymentId: unmatched.id, invoiceId: invoice.id }),
    ).rejects.toThrow(`paybill payment ${paid.payload.TransID} is already applied`);
    const audit = await orm.em
      .fork()
      .execute<{ action: string }[]>(`select action from audit_events where entity_id = ?`, [unmatched.id]);
    expect(audit.map((row) => row.action)).toEqual(['paybill_payment.assigned']);
  });

  it('keeps a payment naming an invoice billed in another currency as UNMATCHED', async () => {
    const customer = await aCustomer(orm.em);
    const invoice = await anInvoice(customer.id, 5_000, 'USD');
    const paid = await payFromPhone(sandbox, settings, { shillings: 100, account: accountReference(invoice.number) });
    expect(await paymentOf(paid.payload.TransID)).toMatchObject({
      status: 'UNMATCHED',
      unmatchedReason: `invoice ${invoice.number} is billed in USD, not KES`,
    });
    expect((await reload(invoice.id)).amountPaid).toBe(0);
  });

  it('records a confirmation delivered twice once, and keeps both deliveries', async () => {
    const customer = await aCustomer(orm.em);
    const invoice = await anInvoice(customer.id, 100_000);
    const paid = await payFromPhone(sandbox, settings, { shillings: 400, account: accountReference(invoice.number) });
    await sandbox.redeliverC2bConfirmation(paid.payload.TransID);
    await Promise.all([
      sandbox.redeliverC2bConfirmation(paid.payload.TransID),
      sandbox.redeliverC2bConfirmation(paid.payload.TransID),
    ]);
    expect(await orm.em.fork().count(PaybillPayment, { transId: paid.payload.TransID })).toBe(1);
    expect(await reload(invoice.id)).toMatchObject({ amountPaid: 40_000, amountRemaining: 60_000 });
    const deliveries = await orm.em
      .fork()
      .find(WebhookEvent, { eventKey: `c2b:${paid.payload.TransID}` }, { orderBy: { receivedAt: 'asc' } });
    expect(deliveries.map((d) => d.status).sort()).toEqual(['ACCEPTED', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE']);
  });
});

describe('refused deliveries', () => {
  const post = (path: string, body: string) =>
    fetch(`${api.url}/webhooks/paybill/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const confirmation = (overrides: Record<string, unknown>) =>
    JSON.stringify({
      TransactionType: 'Pay Bill',
      TransID: `T${Date.now().toString(36).toUpperCase()}`,
      TransTime: '20261204101010',
      TransAmount: '100.00',
      BusinessShortCode: '174379',
      BillRefNumber: 'ACC000001',
      MSISDN: '2547*****149',
      FirstName: 'Jane',
      ...overrides,
    });

  it.each([
    [{ TransAmount: '-5' }, 'TransAmount must be a positive amount of shillings, e.g. "1500.00"'],
    [{ TransAmount: '10.005' }, 'TransAmount must be a positive amount of shillings, e.g. "1500.00"'],
    [{ TransID: 'not a receipt' }, 'TransID must be an M-Pesa receipt (6 to 20 capital letters and digits)'],
    [{ TransTime: '20261304101010' }, 'TransTime must be YYYYMMDDHHmmss (East Africa Time)'],
    [{ BusinessShortCode: '600000' }, 'BusinessShortCode must be our paybill, 174379'],
  ])('stores %j raw, refused: %s', async (overrides, reason) => {
    const body = confirmation(overrides);
    const response = await post(`${SECRET}/confirmation`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ResultCode: 1, ResultDesc: 'Rejected' });
    const [row] = await orm.em.fork().find(WebhookEvent, { rawBody: body });
    expect(row).toMatchObject({ status: 'REJECTED', reason });
  });

  it('answers a wrong path secret like an unknown route, and keeps the attempt', async () => {
    const body = confirmation({});
    expect((await post(`wrong-secret-${'x'.repeat(10)}/confirmation`, body)).status).toBe(404);
    expect(await orm.em.fork().find(WebhookEvent, { rawBody: body })).toEqual([
      expect.objectContaining({ status: 'REJECTED', reason: 'wrong path secret' }),
    ]);
    expect(await orm.em.fork().count(PaybillPayment, { transId: JSON.parse(body).TransID })).toBe(0);
  });

  it('stores a body that is not JSON', async () => {
    const body = `{"TransID": "${randomUUID()}`;
    const response = await post(`${SECRET}/confirmation`, body);
    expect(response.status).toBe(400);
    expect(await orm.em.fork().find(WebhookEvent, { rawBody: body })).toEqual([
      expect.objectContaining({ status: 'REJECTED' }),
    ]);
  });
});

describe('external validation', () => {
  it('refuses a payment naming nothing before the money moves, and lets one naming an open invoice through', async () => {
    sandbox.setC2bValidation(true);
    try {
      const refused = await payFromPhone(sandbox, settings, { shillings: 100, account: 'NOBODY-42' });
      expect(refused).toMatchObject({ validation: 'C2B00012', outcome: 'cancelled', confirmations: [] });
      expect(await orm.em.fork().count(PaybillPayment, { transId: refused.payload.TransID })).toBe(0);
      const [stored] = await orm.em.fork().find(WebhookEvent, { rawBody: JSON.stringify(refused.payload) });
      expect(stored).toMatchObject({
        status: 'REJECTED',
        reason: 'validation refused (C2B00012): account NOBODY42 names no invoice or customer account',
      });

      const customer = await aCustomer(orm.em);
      const invoice = await anInvoice(customer.id, 10_000);
      const accepted = await payFromPhone(sandbox, settings, {
        shillings: 100,
        account: accountReference(invoice.number),
      });
      expect(accepted).toMatchObject({ validation: '0', outcome: 'completed' });
      expect((await reload(invoice.id)).status).toBe('PAID');

      // A paid invoice takes no more through validation: the customer is told to use their account number.
      const again = await payFromPhone(sandbox, settings, {
        shillings: 100,
        account: accountReference(invoice.number),
      });
      expect(again).toMatchObject({ validation: 'C2B00012', outcome: 'cancelled' });
    } finally {
      sandbox.setC2bValidation(false);
    }
  });
});
