// Refunds through PayPal end to end: the refundPayment mutation writes the refund and starts its workflow on the
// time-skipping Temporal server; the worker refunds the capture on the PayPal sandbox (keyed by the refund's id).
// A partial refund, a second one, then one over what is left, refused with nothing written; a repeated request is
// the same refund; the events say payment.refunded once each refund succeeded.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment, Refund } from '../../../src/entities/index.js';
import { creditBalance } from '../../../src/billing/changes/customerCredit.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aPaidPayment } from '../../support/refundFixtures.js';
import { TcpProxy } from '../../support/tcpProxy.js';
import { billingWorker, timeSkippingEnvironment } from '../../support/temporal.js';

const REFUND = /* GraphQL */ `
  mutation ($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      status
      amount {
        amount
        currency
      }
    }
  }
`;
const PAYMENT_REFUNDS = /* GraphQL */ `
  query ($id: ID!) {
    refund(id: $id) {
      status
      providerReference
      payment {
        amountRefunded {
          amount
        }
        status
        refunds {
          id
          status
        }
      }
    }
  }
`;

describe('refunds through PayPal', () => {
  const taskQueue = `refunds-paypal-${randomUUID()}`;
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let api: RunningApi;
  let sandbox: PaypalSandbox;
  let paypal: PaypalProvider;
  let admin: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    env = await timeSkippingEnvironment();
    const sandboxPort = await TcpProxy.freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const settings = {
      PAYPAL_BASE_URL: sandboxUrl,
      PAYPAL_CLIENT_ID: 'refund-client',
      PAYPAL_CLIENT_SECRET: 'refund-secret',
    };
    sandbox = createPaypalSandbox({ clientId: 'refund-client', clientSecret: 'refund-secret' });
    await sandbox.listen(sandboxPort, '127.0.0.1');
    api = await startApi(orm, { temporal: env.client, taskQueue, env: settings });
    worker = await billingWorker(env, orm, taskQueue, settings);
    workerRun = worker.run();
    admin = await adminHeaders(api, orm);
    paypal = new PaypalProvider({ baseUrl: sandboxUrl, clientId: 'refund-client', clientSecret: 'refund-secret' });
  });

  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await api?.stop();
    await sandbox?.close();
    await env?.teardown();
    await orm?.close();
  });

  /** A real capture on the sandbox: an order the buyer approves, then captured. */
  async function aCapture(cents: number): Promise<string> {
    const placed = await paypal.placeOrder({
      idempotencyKey: randomUUID(),
      invoiceId: randomUUID(),
      invoiceNumber: 'INV-REFUND',
      amount: { amount: cents, currency: 'USD' },
      description: 'refund test',
      method: { kind: 'paypalApproval', returnUrl: 'http://127.0.0.1/return', cancelUrl: 'http://127.0.0.1/cancel' },
    });
    if (placed.outcome.kind !== 'pending') throw new Error(`order not placed: ${JSON.stringify(placed.outcome)}`);
    sandbox.approve(placed.outcome.providerReference);
    const captured = await paypal.captureApprovedOrder(placed.outcome.providerReference, randomUUID());
    if (captured.outcome.kind !== 'succeeded') throw new Error(`not captured: ${JSON.stringify(captured.outcome)}`);
    return captured.outcome.providerReference;
  }

  const refundRow = (id: string) => orm.em.fork().findOneOrFail(Refund, { id });
  const settled = (id: string) =>
    eventually(`refund ${id} settled`, async () => {
      const row = await refundRow(id);
      return row.status === 'PENDING' ? undefined : row;
    });

  it('refunds part of a capture, then another part, then refuses more than is left', async () => {
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 10_000,
      currency: 'USD',
      providerReference: await aCapture(10_000),
    });
    const key = `refund-${randomUUID()}`;
    const first = await api.graphql<{ refundPayment: { id: string; status: string; amount: { amount: number } } }>(
      REFUND,
      { input: { paymentId: payment.id, amount: 3_000, reason: 'one seat unused', idempotencyKey: key } },
      admin,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.refundPayment).toMatchObject({ status: 'PENDING', amount: { amount: 3_000 } });
    const firstId = first.data!.refundPayment.id;
    expect((await settled(firstId)).status).toBe('SUCCEEDED');
    // The row says when PayPal settled it (durations are the benchmarks' business, not a test's print).
    const settledRow = await refundRow(firstId);
    expect(settledRow.completedAt!.getTime()).toBeGreaterThanOrEqual(settledRow.createdAt.getTime());

    // The same request again (a client retrying after a lost answer) is the same refund, not a second one.
    const again = await api.graphql<{ refundPayment: { id: string; status: string } }>(
      REFUND,
      { input: { paymentId: payment.id, amount: 3_000, reason: 'one seat unused', idempotencyKey: key } },
      admin,
    );
    expect(again.data!.refundPayment).toEqual({
      id: firstId,
      status: 'SUCCEEDED',
      amount: { amount: 3_000, currency: 'USD' },
    });

    const second = await api.graphql<{ refundPayment: { id: string } }>(
      REFUND,
      { input: { paymentId: payment.id, amount: 5_000, reason: 'goodwill', idempotencyKey: `refund-${randomUUID()}` } },
      admin,
    );
    expect(second.errors).toBeUndefined();
    const secondId = second.data!.refundPayment.id;
    const secondRow = await settled(secondId);
    expect(secondRow.status).toBe('SUCCEEDED');

    // PayPal holds both refunds, as COMPLETED, under the ids we recorded.
    const firstRow = await refundRow(firstId);
    for (const row of [firstRow, secondRow]) {
      expect(await paypal.refundStatus(row.providerReference!)).toEqual({
        kind: 'refunded',
        refundId: row.providerReference,
        pending: false,
      });
    }

    const over = await api.graphql(
      REFUND,
      { input: { paymentId: payment.id, amount: 2_001, reason: 'too much', idempotencyKey: `refund-${randomUUID()}` } },
      admin,
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.amount': 'must be at most what is left to refund (2000 minor units of 10000 paid)' },
    });

    const read = await api.graphql<{
      refund: { status: string; payment: { amountRefunded: { amount: number }; status: string; refunds: unknown[] } };
    }>(PAYMENT_REFUNDS, { id: secondId }, admin);
    expect(read.data!.refund.payment).toEqual({
      amountRefunded: { amount: 8_000 },
      // Like Stripe's charge: the payment stays SUCCEEDED; its refunds say what went back.
      status: 'SUCCEEDED',
      refunds: [
        { id: firstId, status: 'SUCCEEDED' },
        { id: secondId, status: 'SUCCEEDED' },
      ],
    });
    expect(await orm.em.fork().count(Refund, { payment: payment.id })).toBe(2);
    const stored = await orm.em.fork().findOneOrFail(Payment, { id: payment.id });
    expect(stored.amountRefunded).toBe(8_000);

    const events = await orm.em
      .getConnection()
      .execute<{ type: string }[]>(`select type from events where object_id in (?, ?, ?) order by seq`, [
        payment.id,
        firstId,
        secondId,
      ]);
    // The customer is told once per refund (the outbox; the emails room delivers it).
    const notices = await orm.em
      .getConnection()
      .execute<{ dedupe_key: string; kind: string; payload: { amount: number; reference: string } }[]>(
        `select dedupe_key, kind, payload from outbox_messages where dedupe_key in (?, ?) order by created_at`,
        [`refund_succeeded:${firstId}`, `refund_succeeded:${secondId}`],
      );
    expect(notices.map((n) => [n.kind, n.payload.amount, n.payload.reference])).toEqual([
      ['refund_succeeded', 3_000, firstRow.providerReference],
      ['refund_succeeded', 5_000, secondRow.providerReference],
    ]);
    expect(events.map((e) => e.type).filter((t) => t !== 'payment.succeeded')).toEqual([
      'refund.created',
      'refund.succeeded',
      'payment.refunded',
      'refund.created',
      'refund.succeeded',
      'payment.refunded',
    ]);
  });

  it('refunds what is left when no amount is given', async () => {
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 2_500,
      currency: 'USD',
      providerReference: await aCapture(2_500),
    });
    const result = await api.graphql<{ refundPayment: { id: string; amount: { amount: number } } }>(
      REFUND,
      { input: { paymentId: payment.id, reason: 'canceled order', idempotencyKey: `refund-${randomUUID()}` } },
      admin,
    );
    expect(result.data!.refundPayment.amount.amount).toBe(2_500);
    expect((await settled(result.data!.refundPayment.id)).status).toBe('SUCCEEDED');
    const full = await api.graphql(
      REFUND,
      { input: { paymentId: payment.id, reason: 'again', idempotencyKey: `refund-${randomUUID()}` } },
      admin,
    );
    expect(full.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.paymentId': 'is already refunded in full' },
    });
  });

  it('follows a refund PayPal holds (PENDING) until it completes or fails, by looking it up', async () => {
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 2_000,
      currency: 'USD',
      providerReference: await aCapture(2_000),
    });
    const ask = async (cents: number) => {
      const result = await api.graphql<{ refundPayment: { id: string } }>(
        REFUND,
        { input: { paymentId: payment.id, amount: cents, reason: 'held', idempotencyKey: `refund-${randomUUID()}` } },
        admin,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.refundPayment.id;
    };
    // The sandbox holds refunds of 5.00 (then completes them) and 5.01 (then fails them).
    const completing = await ask(500);
    const failing = await ask(501);
    for (const id of [completing, failing]) {
      await eventually('PayPal accepted the refund', async () =>
        (await refundRow(id)).providerReference ? true : undefined,
      );
      expect((await refundRow(id)).status).toBe('PENDING');
    }
    // PayPal settles them meanwhile; the workflows look again after their wait (a minute on the test server's clock).
    await new Promise((resolve) => setTimeout(resolve, 500));
    await env.sleep('2 minutes');
    expect((await settled(completing)).status).toBe('SUCCEEDED');
    expect(await settled(failing)).toMatchObject({ status: 'FAILED', failureCode: 'REFUND_FAILED' });
    // The failed one's amount is refundable again.
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(500);
  });

  it('refunds part of a credit note through PayPal and credits the rest to the balance', async () => {
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 10_000,
      currency: 'USD',
      providerReference: await aCapture(10_000),
    });
    const sameNote = {
      invoiceId: payment.invoice.id,
      reason: 'PRODUCT_UNSATISFACTORY',
      lines: [{ description: 'Two seats never used', amount: 6_000 }],
      refundAmount: 4_000,
      idempotencyKey: randomUUID(),
    };
    const issued = await api.graphql<{ issueCreditNote: { id: string; refundAmount: { amount: number } } }>(
      `mutation ($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { id refundAmount { amount } } }`,
      { input: sameNote },
      admin,
    );
    expect(issued.errors).toBeUndefined();
    const creditNoteId = issued.data!.issueCreditNote.id;
    const [refund] = await orm.em.fork().find(Refund, { creditNoteId });
    // The refund was written with the note; sending the note again issues nothing new and refunds nothing twice.
    const again = await api.graphql<{ issueCreditNote: { id: string } }>(
      `mutation ($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { id } }`,
      { input: sameNote },
      admin,
    );
    expect(again.data!.issueCreditNote.id).toBe(creditNoteId);
    expect(await orm.em.fork().count(Refund, { creditNoteId })).toBe(1);
    expect(refund).toMatchObject({ amount: 4_000, creditNoteId });
    expect(await settled(refund!.id)).toMatchObject({ status: 'SUCCEEDED', amount: 4_000 });
    expect(await creditBalance(orm.em.fork(), payment.customer.id, 'USD')).toBe(2_000);
    expect(await orm.em.fork().findOneOrFail(Invoice, { id: payment.invoice.id })).toMatchObject({
      status: 'PAID',
      amountCredited: 6_000,
      amountCreditedAfterPayment: 6_000,
      amountRemaining: 0,
    });
    // What is left of the capture (6,000) is all a further note could refund.
    const tooMuch = await api.graphql(
      `mutation ($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { id } }`,
      {
        input: {
          invoiceId: payment.invoice.id,
          reason: 'OTHER',
          lines: [{ description: 'More', amount: 4_000 }],
          refundAmount: 4_001,
          idempotencyKey: randomUUID(),
        },
      },
      admin,
    );
    expect(tooMuch.errors?.[0]?.message).toContain('input.refundAmount must be at most 4000');
  });
});
