// Collecting by M-Pesa end to end: GraphQL subscribe with a phone -> the real Temporal dev server -> the charge
// activity -> the Daraja sandbox over HTTP -> its callback to /webhooks/mpesa/<secret> -> a signal -> STK Query
// confirms -> invoice PAID, seen live over graphql-ws. Failures, retries, reconciliation without a callback, a hard
// decline fixed by a new payment method, forgeries, and a provider outage, each with the ledger proving one charge.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment, Subscription, WebhookEvent } from '../../../src/entities/index.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { until } from '../../support/eventually.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';
import { billingWorker, devServerEnvironment } from '../../support/temporal.js';

const SUBSCRIBE = /* GraphQL */ `
  mutation ($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
      paymentProvider
      paymentMethodLabel
    }
  }
`;
const UPDATE_METHOD = /* GraphQL */ `
  mutation ($input: UpdatePaymentMethodInput!) {
    updatePaymentMethod(input: $input) {
      id
      paymentMethodLabel
    }
  }
`;
const PAY_INVOICE = /* GraphQL */ `
  mutation ($input: PayInvoiceInput!) {
    payInvoice(input: $input) {
      id
      status
    }
  }
`;
const PAYMENT_UPDATED = /* GraphQL */ `
  subscription ($invoiceId: ID!) {
    paymentUpdated(invoiceId: $invoiceId) {
      id
      status
      attempt
      receiptNumber
    }
  }
`;

// Whole minutes would make this file take hours: retries come 1.7 s after a soft decline, STK Query after 1 s.
const RETRY_DAYS = '0.00002';
const PLAN_KES = 150_000; // KES 1,500.00

describe('collecting by M-Pesa', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let workerSettings: Record<string, string>;
  let api: RunningApi;
  let sandbox: MpesaSandbox;
  let admin: Headers;
  const taskQueue = `mpesa-${randomUUID()}`;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    orm = await testOrm();
    const local = await listeningMpesaSandbox({ callbackDelayMs: 50 });
    sandbox = local.sandbox;
    env = await devServerEnvironment();
    const settings = {
      ...local.settings,
      MPESA_CALLBACK_SECRET: 'e2e-callback-secret-0123456789',
      MPESA_CALLBACK_WAIT_SECONDS: '1',
      PAYMENT_RETRY_DAYS: `${RETRY_DAYS},${RETRY_DAYS}`,
    };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    workerSettings = { ...settings, PUBLIC_URL: api.url };
    worker = await billingWorker(env, orm, taskQueue, workerSettings);
    workerRun = worker.run();
    admin = await adminHeaders(api, orm);
  });

  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    worker?.shutdown();
    await workerRun;
    await api?.stop();
    await env?.teardown();
    await sandbox?.close();
    await orm?.close();
  });

  /** A Kenyan mobile number no other test in this file uses (the sandbox locks a phone while a prompt is open). */
  let nextPhone = 0;
  const aPhone = () => `0711${String(Date.now() % 1000).padStart(3, '0')}${String(nextPhone++).padStart(3, '0')}`;
  const darajaPhone = (local: string) => `254${local.slice(1)}`;

  async function subscribeWith(phone: string): Promise<{ subscriptionId: string; customerId: string }> {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: PLAN_KES, currency: 'KES', trialDays: 0 }),
    ]);
    const result = await api.graphql<{ subscribe: { id: string; status: string; paymentMethodLabel: string } }>(
      SUBSCRIBE,
      { input: { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone } } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.subscribe).toMatchObject({ status: 'INCOMPLETE' });
    expect(result.data!.subscribe.paymentMethodLabel).toBe(`M-Pesa •••• ${phone.slice(-4)}`);
    return { subscriptionId: result.data!.subscribe.id, customerId: customer.id };
  }

  const invoiceOf = (subscriptionId: string) =>
    until(async () => {
      const invoice = await orm.em.fork().findOne(Invoice, { subscription: subscriptionId });
      expect(invoice).not.toBeNull();
      return invoice!;
    });
  const paymentsOf = (invoiceId: string) =>
    orm.em.fork().find(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'asc' } });
  const subscriptionOf = (id: string) => orm.em.fork().findOneOrFail(Subscription, { id });
  const ledgerFor = (phone: string) => sandbox.ledger().filter((entry) => entry.phone === darajaPhone(phone));

  /** A graphql-ws client following an invoice's payments, as a person's browser would. */
  function watchPayments(
    invoiceId: string,
  ): { status: string; attempt: number; receiptNumber: string | null; at: number }[] {
    const seen: { status: string; attempt: number; receiptNumber: string | null; at: number }[] = [];
    const socket = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: admin,
    });
    sockets.push(socket);
    socket.subscribe<{ paymentUpdated: { status: string; attempt: number; receiptNumber: string | null } }>(
      { query: PAYMENT_UPDATED, variables: { invoiceId } },
      {
        next: (message) => {
          if (message.data) seen.push({ ...message.data.paymentUpdated, at: Date.now() });
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return seen;
  }

  it('charges the phone, confirms by STK Query, marks the invoice paid, and a websocket client sees it live', async () => {
    const phone = aPhone();
    // The customer takes 1.5 s to answer the prompt: time enough to start watching.
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 0, delayMs: 1500 });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    await until(async () => expect((await paymentsOf(invoice.id)).map((p) => p.status)).toEqual(['PENDING']));

    const seen = watchPayments(invoice.id);
    await until(() => expect(seen.map((event) => event.status)).toContain('SUCCEEDED'), 15_000);
    const [payment] = await paymentsOf(invoice.id);
    expect(payment).toMatchObject({ status: 'SUCCEEDED', attempt: 1, amount: PLAN_KES, currency: 'KES' });
    expect(payment!.providerReference).toMatch(/^ws_CO_/);
    expect(payment!.idempotencyKey).toBe(`invoice-${invoice.id}-attempt-1`);
    const [charged] = ledgerFor(phone);
    expect(ledgerFor(phone)).toHaveLength(1);
    expect(charged).toMatchObject({ amount: 1500, checkoutRequestId: payment!.providerReference });
    // The merchant's statement shows the invoice: INV-2026-000042 as INV26000042 (Daraja allows 12 characters).
    expect(charged!.accountReference).toBe(invoice.number.replace(/^INV-20(\d\d)-/, 'INV$1'));
    expect(charged!.transactionDesc).toBe('Invoice');
    expect(payment!.receiptNumber).toBe(charged!.receipt);
    expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', receiptNumber: charged!.receipt });

    const paid = await orm.em.fork().findOneOrFail(Invoice, { id: invoice.id });
    expect(paid.status).toBe('PAID');
    expect(paid.paidAt).not.toBeNull();
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');

    // The callback was stored raw, tied to the payment; the time from its arrival to the websocket event:
    const [delivery] = await orm.em.fork().find(WebhookEvent, { paymentId: payment!.id, status: 'ACCEPTED' });
    expect(delivery).toBeDefined();
    const latencyMs = seen.at(-1)!.at - delivery!.receivedAt.getTime();
    console.log(`M-Pesa callback arrival -> websocket event: ${latencyMs} ms`);
    expect(latencyMs).toBeGreaterThanOrEqual(0);

    // Paying a paid invoice is refused, and nothing moves.
    const again = await api.graphql(PAY_INVOICE, { input: { invoiceId: invoice.id } }, admin);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(ledgerFor(phone)).toHaveLength(1);
  });

  it.each([
    ['cancelled by the customer', 1032],
    ['insufficient funds', 1],
    ['wrong PIN', 2001],
    ['unreachable phone', 1037],
  ])('retries a soft decline (%s) on the schedule and collects on the next attempt', async (_name, resultCode) => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    await until(async () => {
      const [first] = await paymentsOf(invoice.id);
      expect(first).toMatchObject({ status: 'FAILED', failureCode: String(resultCode), hardDecline: false });
    });
    // A first payment that fails leaves the subscription INCOMPLETE (Stripe's rule), with no access.
    expect((await subscriptionOf(subscriptionId)).status).toBe('INCOMPLETE');
    const seen = watchPayments(invoice.id);
    await new Promise((resolve) => setTimeout(resolve, 300)); // subscribed before the retry comes
    sandbox.script(darajaPhone(phone), null); // the customer tops up, or answers this time

    await until(async () => {
      expect((await paymentsOf(invoice.id)).map((p) => [p.attempt, p.status])).toEqual([
        [1, 'FAILED'],
        [2, 'SUCCEEDED'],
      ]);
    }, 20_000);
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');
    expect(ledgerFor(phone)).toHaveLength(1);
    // Watched live: the retry's payment appears PENDING (created, then the prompt is on the phone), then SUCCEEDED.
    await until(() => {
      const statuses = seen.filter((event) => event.attempt === 2).map((event) => event.status);
      expect(statuses.filter((status, i) => status !== statuses[i - 1])).toEqual(['PENDING', 'SUCCEEDED']);
    });
  });

  it('reconciles by STK Query when the callback never comes', async () => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 0, callback: false });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment).toMatchObject({ status: 'SUCCEEDED', receiptNumber: null });
    }, 15_000);
    expect(ledgerFor(phone)).toHaveLength(1);
    const [payment] = await paymentsOf(invoice.id);
    const callbacks = sandbox.deliveries().filter((d) => d.checkoutRequestId === payment!.providerReference);
    expect(callbacks).toEqual([]);
    expect(await orm.em.fork().count(WebhookEvent, { paymentId: payment!.id })).toBe(0);
  });

  it('takes the receipt from a callback that comes after STK Query confirmed the payment', async () => {
    const phone = aPhone();
    // Decided at once (STK Query answers after the 1 s wait), but the callback leaves 4 s later.
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 0, callbackLateMs: 4000 });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    const seen = watchPayments(invoice.id);
    const [charged] = await until(() => {
      expect(ledgerFor(phone)).toHaveLength(1);
      return ledgerFor(phone);
    });
    const payment = await until(async () => {
      const [found] = await paymentsOf(invoice.id);
      expect(found).toMatchObject({ status: 'SUCCEEDED', receiptNumber: charged!.receipt });
      return found!;
    }, 20_000);
    // STK Query confirmed it first; the receipt came with the later callback.
    const [delivery] = await orm.em.fork().find(WebhookEvent, { paymentId: payment.id, status: 'ACCEPTED' });
    expect(delivery!.receivedAt.getTime()).toBeGreaterThan(payment.completedAt!.getTime());
    expect((await orm.em.fork().findOneOrFail(Invoice, { id: invoice.id })).status).toBe('PAID');
    // A websocket client following the invoice is told when the receipt arrives.
    await until(() => expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', receiptNumber: charged!.receipt }));
  });

  it('stops on a hard decline until the customer gives another phone, then charges that one at once', async () => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 8006 });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    await until(async () => {
      const [first] = await paymentsOf(invoice.id);
      expect(first).toMatchObject({ status: 'FAILED', failureCode: '8006', hardDecline: true });
    });
    // Well past the retry delay: a hard decline is not retried by itself.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await paymentsOf(invoice.id)).toHaveLength(1);

    const newPhone = aPhone();
    const updated = await api.graphql<{ updatePaymentMethod: { paymentMethodLabel: string } }>(
      UPDATE_METHOD,
      { input: { subscriptionId, paymentMethod: { provider: 'MPESA', phone: newPhone } } },
      admin,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updatePaymentMethod.paymentMethodLabel).toBe(`M-Pesa •••• ${newPhone.slice(-4)}`);
    await until(async () => {
      expect((await paymentsOf(invoice.id)).map((p) => p.status)).toEqual(['FAILED', 'SUCCEEDED']);
    }, 15_000);
    expect(ledgerFor(phone)).toHaveLength(0);
    expect(ledgerFor(newPhone)).toHaveLength(1);
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');
  });

  it('retries an M-Pesa outage with the same attempt and charges once when Daraja is back', async () => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), {
      kind: 'reject',
      status: 500,
      errorCode: '500.003.02',
      errorMessage: 'Error Occurred: Spike Arrest Violation',
    });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment).toMatchObject({ status: 'PENDING', providerReference: null, failureCode: '500.003.02' });
    });
    sandbox.script(darajaPhone(phone), null);
    await until(async () => {
      const payments = await paymentsOf(invoice.id);
      expect(payments.map((p) => [p.attempt, p.status])).toEqual([[1, 'SUCCEEDED']]);
    }, 20_000);
    expect(ledgerFor(phone)).toHaveLength(1);
  });

  it('rejects a forged success callback (wrong amount) and keeps it, granting nothing', async () => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 1032, delayMs: 4000 });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    const pending = await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment?.providerReference).toMatch(/^ws_CO_/);
      return payment!;
    });
    const forged = JSON.stringify({
      Body: {
        stkCallback: {
          MerchantRequestID: 'forged',
          CheckoutRequestID: pending.providerReference,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: 1 },
              { Name: 'MpesaReceiptNumber', Value: 'FORGED0001' },
              { Name: 'TransactionDate', Value: 20261121093000 },
              { Name: 'PhoneNumber', Value: Number(darajaPhone(phone)) },
            ],
          },
        },
      },
    });
    const response = await fetch(`${api.url}/webhooks/mpesa/e2e-callback-secret-0123456789`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: forged,
    });
    expect(response.status).toBe(400);
    const kept = await orm.em.fork().findOneOrFail(WebhookEvent, { rawBody: forged });
    expect(kept).toMatchObject({
      status: 'REJECTED',
      reason: 'amount does not match the payment',
      paymentId: pending.id,
    });

    // The real answer (cancelled) still decides, and the forged receipt never shows up.
    await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment).toMatchObject({ status: 'FAILED', failureCode: '1032', receiptNumber: null });
    }, 15_000);
    expect((await orm.em.fork().findOneOrFail(Invoice, { id: invoice.id })).status).toBe('OPEN');
    expect(ledgerFor(phone)).toHaveLength(0);
  });

  it('survives the worker stopping while the prompt is open: the callback waits in history, a new worker confirms once', async () => {
    const phone = aPhone();
    sandbox.script(darajaPhone(phone), { kind: 'result', resultCode: 0, delayMs: 2500 });
    const { subscriptionId } = await subscribeWith(phone);
    const invoice = await invoiceOf(subscriptionId);
    const pending = await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment?.providerReference).toMatch(/^ws_CO_/);
      return payment!;
    });

    worker.shutdown();
    await workerRun;
    // The customer answers while no worker runs: the callback is stored and signalled all the same.
    await until(async () => {
      expect(await orm.em.fork().count(WebhookEvent, { paymentId: pending.id, status: 'ACCEPTED' })).toBe(1);
    }, 10_000);
    expect((await paymentsOf(invoice.id))[0]!.status).toBe('PENDING');

    worker = await billingWorker(env, orm, taskQueue, workerSettings);
    workerRun = worker.run();
    await until(async () => {
      expect((await paymentsOf(invoice.id)).map((p) => [p.attempt, p.status])).toEqual([[1, 'SUCCEEDED']]);
    }, 15_000);
    expect(ledgerFor(phone)).toHaveLength(1);
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');
  });

  it('refuses payment methods that cannot work, naming the field', async () => {
    const [customer, usdPlan, kesPlan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 1_000, currency: 'USD', trialDays: 0 }),
      aPlan(orm.em, { amount: PLAN_KES, currency: 'KES', trialDays: 0 }),
    ]);
    const attempt = (planId: string, paymentMethod: Record<string, unknown>) =>
      api.graphql(SUBSCRIBE, { input: { customerId: customer.id, planId, paymentMethod } }, admin);

    const usdByMpesa = await attempt(usdPlan.id, { provider: 'MPESA', phone: '0712345678' });
    expect(usdByMpesa.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.paymentMethod.provider': 'MPESA takes KES only; this plan is billed in USD' },
    });
    const kesByPaypal = await attempt(kesPlan.id, { provider: 'PAYPAL' });
    expect(kesByPaypal.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.paymentMethod.provider': 'PAYPAL cannot take KES; pay KES with MPESA' },
    });
    const landline = await attempt(kesPlan.id, { provider: 'MPESA', phone: '+254202222222' });
    expect(landline.errors?.[0]?.extensions?.fields).toEqual({
      'input.paymentMethod.phone': 'must be a Kenyan mobile number for M-Pesa, e.g. 0712345678 or +254712345678',
    });
    expect(await orm.em.fork().count(Subscription, { customer: customer.id })).toBe(0);
  });
});
