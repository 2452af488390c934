// M-Pesa refunds end to end: a real charge on the M-Pesa sandbox gives a receipt; refundPayment starts the refund's
// workflow on the time-skipping Temporal server; the worker asks Daraja (the sandbox) for a Transaction Reversal; the
// Result comes to /webhooks/mpesa/<secret>/refunds/<id>/reversal-result, is stored raw, checked and matched, and
// wakes the workflow. The Result arriving late (status pushed live over graphql-ws), twice (recorded once), never
// (the workflow asks Transaction Status after its wait and the status Result settles it).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Refund, WebhookEvent } from '../../../src/entities/index.js';
import { MpesaProvider } from '../../../src/payments/mpesa/MpesaProvider.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { aPaidPayment } from '../../support/refundFixtures.js';
import { billingWorker, timeSkippingEnvironment } from '../../support/temporal.js';

const SECRET = 'refund-callback-secret-0123456789';
const CREDENTIAL = 'refund-security-credential';
const REFUND = /* GraphQL */ `
  mutation ($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      status
    }
  }
`;

describe('refunds through M-Pesa (Transaction Reversal)', () => {
  const taskQueue = `refunds-mpesa-${randomUUID()}`;
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let api: RunningApi;
  let sandbox: MpesaSandbox;
  let mpesa: MpesaProvider;
  let admin: Headers;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    orm = await testOrm();
    env = await timeSkippingEnvironment();
    const local = await listeningMpesaSandbox({
      callbackDelayMs: 20,
      callbackRetryDelaysMs: [],
      securityCredential: CREDENTIAL,
    });
    sandbox = local.sandbox;
    const settings = {
      ...local.settings,
      MPESA_CALLBACK_SECRET: SECRET,
      MPESA_INITIATOR_NAME: 'testapi',
      MPESA_SECURITY_CREDENTIAL: CREDENTIAL,
    };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    worker = await billingWorker(env, orm, taskQueue, { ...settings, PUBLIC_URL: api.url });
    workerRun = worker.run();
    admin = await adminHeaders(api, orm);
    mpesa = new MpesaProvider({
      baseUrl: local.settings.MPESA_BASE_URL!,
      consumerKey: local.settings.MPESA_CONSUMER_KEY!,
      consumerSecret: local.settings.MPESA_CONSUMER_SECRET!,
      passkey: local.settings.MPESA_PASSKEY!,
      shortcode: '174379',
      // The charge's own callback is not what these tests follow: it goes nowhere.
      callbackUrl: 'http://127.0.0.1:9/stk',
    });
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

  /** A paid M-Pesa payment the sandbox knows: a real STK charge, decided, with its receipt. */
  async function aPaidMpesaPayment(shillings: number): Promise<Payment> {
    const phone = `+2547${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`;
    const pushed = await mpesa.charge({
      idempotencyKey: randomUUID(),
      invoiceId: randomUUID(),
      invoiceNumber: 'INV-2026-000001',
      amount: { amount: shillings * 100, currency: 'KES' },
      description: 'Refund test',
      method: { kind: 'mpesa', phone },
    });
    if (pushed.kind !== 'pending') throw new Error(`not pushed: ${JSON.stringify(pushed)}`);
    await sandbox.deliverPendingCallbacks();
    const entry = sandbox.ledger().find((e) => e.checkoutRequestId === pushed.providerReference);
    if (!entry) throw new Error('the sandbox did not charge');
    return aPaidPayment(orm, {
      provider: 'MPESA',
      amount: shillings * 100,
      currency: 'KES',
      providerReference: pushed.providerReference,
      receiptNumber: entry.receipt,
      phone,
    });
  }

  async function refund(payment: Payment, amount?: number): Promise<string> {
    const result = await api.graphql<{ refundPayment: { id: string; status: string } }>(
      REFUND,
      {
        input: {
          paymentId: payment.id,
          reason: 'service not delivered',
          idempotencyKey: `mpesa-${randomUUID()}`,
          ...(amount === undefined ? {} : { amount, currency: 'KES' }),
        },
      },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.refundPayment.status).toBe('PENDING');
    return result.data!.refundPayment.id;
  }

  const settled = (id: string) =>
    eventually(`refund ${id} settled`, async () => {
      const row = await orm.em.fork().findOneOrFail(Refund, { id });
      return row.status === 'PENDING' ? undefined : row;
    });
  const deliveriesOf = (refundId: string) =>
    orm.em.fork().find(WebhookEvent, { refundId }, { orderBy: { receivedAt: 'asc' } });

  it('settles when the reversal Result arrives late, and pushes each status live', async () => {
    const payment = await aPaidMpesaPayment(1_500);
    const statuses: string[] = [];
    const socket = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: admin,
    });
    sockets.push(socket);
    socket.subscribe<{ refundUpdated: { status: string } }>(
      { query: 'subscription ($id: ID!) { refundUpdated(paymentId: $id) { status } }', variables: { id: payment.id } },
      {
        next: (value) => void statuses.push(value.data!.refundUpdated.status),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // Subscribed before anything happens: the subscription is registered once a resync would find nothing new.
    await new Promise((resolve) => setTimeout(resolve, 300));
    sandbox.scriptReversals({ lateMs: 1_500 });

    const id = await refund(payment);
    await eventually('the reversal asked', async () =>
      (await orm.em.fork().findOneOrFail(Refund, { id })).providerReference ? true : undefined,
    );
    expect((await orm.em.fork().findOneOrFail(Refund, { id })).status).toBe('PENDING');
    const row = await settled(id);
    expect(row.status).toBe('SUCCEEDED');
    expect(row.providerReference).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(sandbox.reversed()).toContain(payment.receiptNumber);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(150_000);
    const deliveries = await deliveriesOf(id);
    expect(deliveries.map((d) => [d.status, d.eventKey?.split(':').slice(1).join(':')])).toEqual([
      ['ACCEPTED', 'reversal-result:0'],
    ]);
    await eventually('PENDING then SUCCEEDED pushed', async () => (statuses.at(-1) === 'SUCCEEDED' ? true : undefined));
    expect(statuses[0]).toBe('PENDING');
  });

  it('sends part of a payment back to the phone that paid (B2C), then the rest, never more than was paid', async () => {
    const payment = await aPaidMpesaPayment(1_000);
    sandbox.scriptReversals({});
    const phone = (await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).paymentMethodSealed;
    expect(phone).not.toBeNull();

    const first = await refund(payment, 30_000);
    const row = await settled(first);
    expect(row).toMatchObject({ status: 'SUCCEEDED', mpesaMethod: 'B2C', amount: 30_000 });
    expect(row.providerReference).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect((await deliveriesOf(first)).map((d) => [d.status, d.eventKey?.split(':').slice(1).join(':')])).toEqual([
      ['ACCEPTED', 'b2c-result:0'],
    ]);
    // The rest goes the same way: a reversal would give back the whole transaction again.
    const rest = await refund(payment);
    expect(await settled(rest)).toMatchObject({ status: 'SUCCEEDED', mpesaMethod: 'B2C', amount: 70_000 });
    const sent = sandbox
      .b2cPayments()
      .filter((p) => p.originatorConversationId === first || p.originatorConversationId === rest);
    expect(sent.map((p) => [p.amount, p.state]).sort()).toEqual([
      [300, 'completed'],
      [700, 'completed'],
    ]);
    expect(sandbox.reversed()).not.toContain(payment.receiptNumber);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(100_000);
    const more = await api.graphql(
      REFUND,
      { input: { paymentId: payment.id, reason: 'again', idempotencyKey: `mpesa-${randomUUID()}` } },
      admin,
    );
    expect(more.errors?.[0]?.message).toContain('is already refunded in full');
  });

  it('asks the status of a B2C refund whose Result never comes, and pays it once', async () => {
    const payment = await aPaidMpesaPayment(1_200);
    sandbox.scriptReversals({ delivery: 'never' });
    const id = await refund(payment, 50_000);
    await eventually('the B2C payment made on M-Pesa', async () =>
      sandbox.b2cPayments().some((p) => p.originatorConversationId === id && p.state === 'completed')
        ? true
        : undefined,
    );
    await env.sleep('2 minutes');
    expect(await settled(id)).toMatchObject({ status: 'SUCCEEDED', mpesaMethod: 'B2C' });
    expect((await deliveriesOf(id)).map((d) => d.eventKey?.split(':')[1])).toEqual(['status-result']);
    expect(sandbox.b2cPayments().filter((p) => p.originatorConversationId === id)).toHaveLength(1);
  });

  it('records a Result delivered twice once', async () => {
    const payment = await aPaidMpesaPayment(700);
    sandbox.scriptReversals({ delivery: 'twice' });
    const id = await refund(payment);
    expect((await settled(id)).status).toBe('SUCCEEDED');
    await eventually('both deliveries stored', async () => ((await deliveriesOf(id)).length === 2 ? true : undefined));
    expect((await deliveriesOf(id)).map((d) => d.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
    expect(sandbox.reversed().filter((r) => r === payment.receiptNumber)).toHaveLength(1);
  });

  it('asks Transaction Status when the Result never comes, and settles on its answer', async () => {
    const payment = await aPaidMpesaPayment(2_300);
    sandbox.scriptReversals({ delivery: 'never' });
    const id = await refund(payment);
    await eventually('the reversal done on M-Pesa', async () =>
      sandbox.reversed().includes(payment.receiptNumber!) ? true : undefined,
    );
    expect((await orm.em.fork().findOneOrFail(Refund, { id })).status).toBe('PENDING');
    // The workflow waits a minute for the Result before asking: let the test server's clock run.
    await env.sleep('2 minutes');
    const row = await settled(id);
    expect(row.status).toBe('SUCCEEDED');
    expect((await deliveriesOf(id)).map((d) => d.eventKey?.split(':')[1])).toEqual(['status-result']);
  });

  it('fails a refused reversal and releases its amount', async () => {
    const payment = await aPaidMpesaPayment(900);
    sandbox.scriptReversals({ resultCode: 'R000002', resultDesc: 'The OriginalTransactionID is invalid.' });
    const id = await refund(payment);
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'FAILED', failureCode: 'R000002' });
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(0);
  });

  it('stores refused Results too: a wrong path secret, a body that is no Result, another conversation, another amount', async () => {
    const payment = await aPaidMpesaPayment(400);
    sandbox.scriptReversals({ delivery: 'never' });
    const id = await refund(payment);
    const asked = await eventually('the reversal asked', async () => {
      const row = await orm.em.fork().findOneOrFail(Refund, { id });
      return row.providerReference ? row : undefined;
    });
    const post = (secret: string, body: unknown) =>
      fetch(`${api.url}/webhooks/mpesa/${secret}/refunds/${id}/reversal-result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const marker = `Q${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`;
    const result = (conversationId: string, amount: number) => ({
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        OriginatorConversationID: 'forged',
        ConversationID: conversationId,
        TransactionID: marker,
        ResultParameters: { ResultParameter: [{ Key: 'Amount', Value: amount }] },
      },
    });
    expect((await post('not-the-secret-at-all-0000', result(asked.providerReference!, 400))).status).toBe(404);
    expect((await post(SECRET, { hello: marker })).status).toBe(400);
    expect((await post(SECRET, result('AG_20261204_forged', 400))).status).toBe(400);
    expect((await post(SECRET, result(asked.providerReference!, 5))).status).toBe(400);
    const stored = await orm.em
      .fork()
      .find(WebhookEvent, { rawBody: { $like: `%${marker}%` } }, { orderBy: { receivedAt: 'asc' } });
    expect(stored.map((d) => [d.status, d.reason])).toEqual([
      ['REJECTED', 'wrong path secret'],
      ['REJECTED', 'not an M-Pesa reversal-result (Result with ResultCode and conversation ids)'],
      ['REJECTED', 'conversation does not match the refund'],
      ['REJECTED', 'amount does not match the refund'],
    ]);
    expect((await orm.em.fork().findOneOrFail(Refund, { id })).status).toBe('PENDING');
  });
});
