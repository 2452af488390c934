// A worker process SIGKILLed in the middle of a refund refunds once. The refund's PayPal call reaches PayPal (the
// sandbox refunds the capture) but its answer never reaches the worker, which is then killed: no finally blocks, no
// drain. Another worker process picks the activity up after its heartbeat timeout and asks again under the same
// PayPal-Request-Id (the refund's id): PayPal answers with the first refund, so the money went back once.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Refund } from '../../../src/entities/index.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aPaidPayment } from '../../support/refundFixtures.js';
import { devServerEnvironment } from '../../support/temporal.js';
import { buildWorker, killAllWorkers, WorkerProcess, type WorkerBuild } from '../../support/workerProcess.js';

interface RefundCall {
  requestId: string | null;
  status: number | null;
  replay: boolean;
  held: boolean;
}

/** Between the worker and PayPal: forwards everything; can swallow the answer to the next refund call. */
class RefundRelay {
  readonly refunds: RefundCall[] = [];
  private holdNext = false;
  private readonly server: Server;

  constructor(private readonly target: string) {
    this.server = createServer((req, res) => void this.relay(req, res).catch(() => res.destroy()));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  holdNextRefundAnswer(): void {
    this.holdNext = true;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers[name] = value;
    }
    const upstream = await fetch(`${this.target}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    const answer = await upstream.text();
    if (req.method === 'POST' && /\/v2\/payments\/captures\/[^/]+\/refund$/.test(req.url ?? '')) {
      const held = this.holdNext;
      this.holdNext = false;
      this.refunds.push({
        requestId: headers['paypal-request-id'] ?? null,
        status: upstream.status,
        replay: upstream.headers.get('x-sandbox-replay') === 'true',
        held,
      });
      if (held) return; // PayPal refunded; the worker never hears it
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(answer);
  }
}

let built: Promise<WorkerBuild> | undefined;

describe('a worker process SIGKILLed in the middle of a refund', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let sandbox: PaypalSandbox;
  let relay: RefundRelay;
  let api: RunningApi;
  let admin: Headers;
  let paypal: PaypalProvider;
  let workerSettings: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const taskQueue = `killed-refund-${randomUUID()}`;

  beforeAll(async () => {
    built = buildWorker();
    orm = await testOrm();
    sandbox = createPaypalSandbox({ clientId: 'kill-client', clientSecret: 'kill-secret' });
    const sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
    relay = new RefundRelay(sandboxUrl);
    const relayUrl = await relay.listen();
    env = await devServerEnvironment();
    const settings = { PAYPAL_CLIENT_ID: 'kill-client', PAYPAL_CLIENT_SECRET: 'kill-secret' };
    api = await startApi(orm, { temporal: env.client, taskQueue, env: { ...settings, PAYPAL_BASE_URL: sandboxUrl } });
    admin = await adminHeaders(api, orm);
    paypal = new PaypalProvider({ baseUrl: sandboxUrl, clientId: 'kill-client', clientSecret: 'kill-secret' });
    workerSettings = {
      ...settings,
      PAYPAL_BASE_URL: relayUrl,
      PUBLIC_URL: api.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
    };
    workers.push(await WorkerProcess.start(await built, workerSettings));
  }, 180_000);

  afterAll(async () => {
    await killAllWorkers();
    await api?.stop();
    await env?.teardown();
    await relay?.close();
    await sandbox?.close();
    await orm?.close();
    await (await built?.catch(() => undefined))?.remove();
  });

  it('refunds once: the second worker gets the first refund back under the same request id', async () => {
    const placed = await paypal.placeOrder({
      idempotencyKey: randomUUID(),
      invoiceId: randomUUID(),
      invoiceNumber: 'INV-KILL',
      amount: { amount: 4_000, currency: 'USD' },
      description: 'kill test',
      method: { kind: 'paypalApproval', returnUrl: 'http://127.0.0.1/r', cancelUrl: 'http://127.0.0.1/c' },
    });
    if (placed.outcome.kind !== 'pending') throw new Error('order not placed');
    sandbox.approve(placed.outcome.providerReference);
    const captured = await paypal.captureApprovedOrder(placed.outcome.providerReference, randomUUID());
    if (captured.outcome.kind !== 'succeeded') throw new Error('not captured');
    const payment = await aPaidPayment(orm, {
      provider: 'PAYPAL',
      amount: 4_000,
      currency: 'USD',
      providerReference: captured.outcome.providerReference,
    });

    relay.holdNextRefundAnswer();
    const result = await api.graphql<{ refundPayment: { id: string } }>(
      'mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }',
      {
        input: { paymentId: payment.id, amount: 1_500, reason: 'kill test', idempotencyKey: `kill-${randomUUID()}` },
      },
      admin,
    );
    expect(result.errors).toBeUndefined();
    const refundId = result.data!.refundPayment.id;
    await eventually('the refund reached PayPal', async () => (relay.refunds.length > 0 ? true : undefined));
    const killed = await workers[0]!.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect((await orm.em.fork().findOneOrFail(Refund, { id: refundId })).status).toBe('PENDING');

    workers.push(await WorkerProcess.start(await built!, workerSettings));
    const row = await eventually(
      'the refund settled by the second worker',
      async () => {
        const found = await orm.em.fork().findOneOrFail(Refund, { id: refundId });
        return found.status === 'PENDING' ? undefined : found;
      },
      60_000,
    );
    expect(row.status).toBe('SUCCEEDED');
    // Two calls, one refund: the first created it (answer swallowed), the second was PayPal's replay of it.
    expect(relay.refunds).toEqual([
      { requestId: refundId, status: 201, replay: false, held: true },
      { requestId: refundId, status: 200, replay: true, held: false },
    ]);
    expect(await paypal.refundStatus(row.providerReference!)).toEqual({
      kind: 'refunded',
      refundId: row.providerReference,
      pending: false,
    });
    const refundEvents = sandbox.webhookLog().filter((e) => e.eventType === 'PAYMENT.CAPTURE.REFUNDED');
    expect(refundEvents).toHaveLength(1);
    expect((await orm.em.fork().findOneOrFail(Payment, { id: payment.id })).amountRefunded).toBe(1_500);
  }, 120_000);
});
