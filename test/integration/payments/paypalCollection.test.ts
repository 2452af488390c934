// Collecting by PayPal end to end, on the time-skipping Temporal server so renewals come a month later in seconds:
// subscribe -> the workflow creates a vaulting order -> the buyer approves on the sandbox's page and comes back to
// /payments/paypal/return -> the workflow captures (saving the account in the vault) -> a month later a
// merchant-initiated renewal with the vault id. Also a capture left PENDING and completed by a signed webhook, a
// renewal declined because the buyer cancelled the billing agreement, and the ledger proving one charge each.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment, Subscription, WebhookEvent } from '../../../src/entities/index.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { until } from '../../support/eventually.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';
import { TcpProxy } from '../../support/tcpProxy.js';
import { billingWorker, timeSkippingEnvironment } from '../../support/temporal.js';

const SUBSCRIBE = /* GraphQL */ `
  mutation ($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
      paymentMethodLabel
      approvalUrl
    }
  }
`;
const INVOICE_PAYMENTS = /* GraphQL */ `
  query ($id: ID!) {
    invoice(id: $id) {
      status
      payments {
        status
        approvalUrl
        providerReference
      }
    }
  }
`;

describe('collecting by PayPal', () => {
  const webhookId = `WH-${randomUUID()}`;
  const taskQueue = `paypal-${randomUUID()}`;
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let api: RunningApi;
  let sandbox: PaypalSandbox;
  let admin: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    env = await timeSkippingEnvironment();
    const sandboxPort = await TcpProxy.freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const settings = {
      PAYPAL_BASE_URL: sandboxUrl,
      PAYPAL_CLIENT_ID: 'e2e-client',
      PAYPAL_CLIENT_SECRET: 'e2e-secret',
      PAYPAL_WEBHOOK_ID: webhookId,
      PAYPAL_CERT_URL_PREFIXES: `${sandboxUrl}/__sandbox/certs/`,
    };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    sandbox = createPaypalSandbox({
      clientId: 'e2e-client',
      clientSecret: 'e2e-secret',
      webhookUrl: `${api.url}/webhooks/paypal`,
      webhookId,
      webhookDelayMs: 20,
      pendingCaptureDelayMs: 300,
      // At least once, in any order, as PayPal delivers: every event twice, newest first within a window.
      duplicateWebhooks: true,
      reorderWebhooks: true,
    });
    await sandbox.listen(sandboxPort, '127.0.0.1');
    worker = await billingWorker(env, orm, taskQueue, { ...settings, PUBLIC_URL: api.url });
    workerRun = worker.run();
    admin = await adminHeaders(api, orm);
  });

  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await api?.stop();
    await sandbox?.close();
    await env?.teardown();
    await orm?.close();
  });

  async function subscribeByPaypal(amount: number) {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount, currency: 'USD', trialDays: 0, interval: 'MONTH' }),
    ]);
    const result = await api.graphql<{
      subscribe: { id: string; status: string; paymentMethodLabel: string; approvalUrl: string | null };
    }>(
      SUBSCRIBE,
      { input: { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'PAYPAL' } } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.subscribe).toMatchObject({
      status: 'INCOMPLETE',
      paymentMethodLabel: 'PayPal (approval at first payment)',
    });
    // The answer already carries where the buyer approves the first payment.
    expect(result.data!.subscribe.approvalUrl).toContain('/checkoutnow?token=');
    return result.data!.subscribe.id;
  }

  const invoicesOf = (subscriptionId: string) =>
    orm.em.fork().find(Invoice, { subscription: subscriptionId }, { orderBy: { periodIndex: 'asc' } });
  const paymentsOf = (invoiceId: string) =>
    orm.em.fork().find(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'asc' } });
  const subscriptionOf = (id: string) => orm.em.fork().findOneOrFail(Subscription, { id });
  const ledgerFor = (orderIds: (string | null)[]) =>
    sandbox.ledger().filter((entry) => orderIds.includes(entry.orderId) || orderIds.includes(entry.captureId));

  /** The buyer opens the approval link, approves, and PayPal sends the browser back to our return page. */
  async function buyerApproves(approvalUrl: string): Promise<Response> {
    const orderId = new URL(approvalUrl).searchParams.get('token')!;
    const approved = await fetch(`${sandbox.url()}/checkoutnow/approve?token=${encodeURIComponent(orderId)}`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(approved.status).toBe(303);
    const returnUrl = approved.headers.get('location')!;
    expect(returnUrl.startsWith(`${api.url}/payments/paypal/return?token=${orderId}`)).toBe(true);
    return fetch(returnUrl);
  }

  async function firstPaymentWaitingForBuyer(subscriptionId: string) {
    const [invoice] = await until(async () => {
      const invoices = await invoicesOf(subscriptionId);
      expect(invoices).toHaveLength(1);
      return invoices;
    });
    const shown = await until(async () => {
      const result = await api.graphql<{
        invoice: { status: string; payments: { status: string; approvalUrl: string | null }[] };
      }>(INVOICE_PAYMENTS, { id: invoice!.id }, admin);
      expect(result.data!.invoice.payments).toEqual([
        expect.objectContaining({ status: 'PENDING', approvalUrl: expect.stringContaining('/checkoutnow?token=') }),
      ]);
      return result.data!.invoice;
    });
    return { invoice: invoice!, approvalUrl: shown.payments[0]!.approvalUrl! };
  }

  it('waits for the webhook when PayPal leaves a capture PENDING, then records it paid', async () => {
    const subscriptionId = await subscribeByPaypal(500); // USD 5.00: the sandbox holds the capture for review
    const { invoice, approvalUrl } = await firstPaymentWaitingForBuyer(subscriptionId);
    await buyerApproves(approvalUrl);

    const captureId = await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment!.providerReference).toMatch(/./);
      expect(payment!.approvalUrl).toBeNull();
      return payment!.providerReference!;
    });
    await until(async () => {
      const [payment] = await paymentsOf(invoice.id);
      expect(payment).toMatchObject({ status: 'SUCCEEDED', providerReference: captureId });
    });
    // Each event was delivered twice: stored both times, acted on once, and tied to the payment.
    const deliveries = await until(async () => {
      const rows = (await orm.em.fork().find(WebhookEvent, { provider: 'PAYPAL' })).filter((row) =>
        row.rawBody.includes(captureId),
      );
      expect(rows.filter((row) => row.status === 'DUPLICATE').length).toBeGreaterThanOrEqual(2);
      return rows;
    });
    const accepted = deliveries.filter((row) => row.status === 'ACCEPTED');
    expect(accepted.map((row) => JSON.parse(row.rawBody).event_type).sort()).toEqual([
      'PAYMENT.CAPTURE.COMPLETED',
      'PAYMENT.CAPTURE.PENDING',
    ]);
    expect(new Set(deliveries.map((row) => row.paymentId))).toEqual(new Set([(await paymentsOf(invoice.id))[0]!.id]));
    expect(ledgerFor([captureId])).toHaveLength(1);
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');
  });

  it('retries a capture whose answer was lost with the same PayPal-Request-Id, and PayPal charged once', async () => {
    // USD 5.04: the sandbox captures, then answers 503 as if the response were lost on the way back.
    const subscriptionId = await subscribeByPaypal(504);
    const { invoice, approvalUrl } = await firstPaymentWaitingForBuyer(subscriptionId);
    await buyerApproves(approvalUrl);
    const payment = await until(async () => {
      const payments = await paymentsOf(invoice.id);
      expect(payments).toEqual([expect.objectContaining({ attempt: 1, status: 'SUCCEEDED' })]);
      return payments[0]!;
    });
    const orderId = new URL(approvalUrl).searchParams.get('token');
    const charged = sandbox.ledger().filter((entry) => entry.orderId === orderId);
    expect(charged).toEqual([
      expect.objectContaining({
        captureId: payment.providerReference,
        amount: '5.04',
        requestId: `${payment.idempotencyKey}-capture`,
      }),
    ]);
    expect((await subscriptionOf(subscriptionId)).status).toBe('ACTIVE');
  });

  // Every month-long jump happens in this one test, after the others: the time-skipping server's clock is shared,
  // and after a first env.sleep it was seen to go on skipping while workflows waited for real-time events (a month
  // passed while a later test waited for a buyer's approval).
  it('takes first payments after buyer approval, vaults the accounts, and renews a month later: charged with the vault, or declined for good when the buyer cancelled the agreement', async () => {
    const renewing = await subscribeByPaypal(2_000); // USD 20.00
    const cancelling = await subscribeByPaypal(3_000); // USD 30.00
    const firsts: ReturnType<PaypalSandbox['ledger']> = [];
    for (const subscriptionId of [renewing, cancelling]) {
      const { invoice, approvalUrl } = await firstPaymentWaitingForBuyer(subscriptionId);
      const page = await buyerApproves(approvalUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('confirming');
      const first = await until(async () => {
        const [payment] = await paymentsOf(invoice.id);
        expect(payment).toMatchObject({ status: 'SUCCEEDED', attempt: 1, approvalUrl: null });
        return payment!;
      });
      expect((await orm.em.fork().findOneOrFail(Invoice, { id: invoice.id })).status).toBe('PAID');
      expect(await subscriptionOf(subscriptionId)).toMatchObject({
        status: 'ACTIVE',
        paymentMethodLabel: 'PayPal (saved account)',
      });
      const [captured] = ledgerFor([first.providerReference]);
      expect(captured).toMatchObject({ currency: 'USD', amount: subscriptionId === renewing ? '20.00' : '30.00' });
      expect(captured!.vaultId).toBeTruthy();
      firsts.push(captured!);
    }

    // One buyer cancels the billing agreement in their PayPal account.
    const revoked = await fetch(`${sandbox.url()}/__sandbox/vault/${firsts[1]!.vaultId}/revoke`, { method: 'POST' });
    expect(revoked.ok).toBe(true);

    await env.sleep('32 days');
    const renewal = await until(async () => {
      const invoices = await invoicesOf(renewing);
      expect(invoices).toHaveLength(2);
      const payments = await paymentsOf(invoices[1]!.id);
      expect(payments).toEqual([expect.objectContaining({ status: 'SUCCEEDED', approvalUrl: null })]);
      return payments[0]!;
    });
    expect(ledgerFor([renewal.providerReference])).toEqual([
      expect.objectContaining({ amount: '20.00', vaultId: firsts[0]!.vaultId }),
    ]);
    expect((await subscriptionOf(renewing)).status).toBe('ACTIVE');

    const declined = await until(async () => {
      const invoices = await invoicesOf(cancelling);
      expect(invoices).toHaveLength(2);
      const [payment] = await paymentsOf(invoices[1]!.id);
      expect(payment).toMatchObject({ status: 'FAILED', hardDecline: true });
      return { invoice: invoices[1]!, payment: payment! };
    });
    expect(declined.payment.failureCode).toMatch(/AGREEMENT_ALREADY_CANCELLED|TOKEN_ID_NOT_FOUND|RESOURCE_NOT_FOUND/);
    expect((await subscriptionOf(cancelling)).status).toBe('PAST_DUE');
    expect((await orm.em.fork().findOneOrFail(Invoice, { id: declined.invoice.id })).status).toBe('OPEN');
    expect(sandbox.ledger().filter((entry) => entry.vaultId === firsts[1]!.vaultId)).toHaveLength(1);
    // A hard decline is not retried on the schedule: days later, still one attempt.
    await env.sleep('8 days');
    expect(await paymentsOf(declined.invoice.id)).toHaveLength(1);
  });
});
