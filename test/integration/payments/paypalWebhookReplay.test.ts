// Replayed PayPal signatures at POST /webhooks/paypal. PayPal signs a delivery's transmission id and time, and its body
// only through a CRC-32, so a captured delivery's headers verify for any body padded to the same CRC-32. Genuine
// deliveries are captured here from the sandbox (one on the real clock, one signed two hours ago, one an hour ahead:
// same certificate, so the API verifies them all) and sent to the real API by hand, as an attacker would.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { WebhookEvent } from '../../../src/entities/index.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { WebhookReceiver, type Delivery } from '../../sandboxes/paypalHarness.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { withCrc32Of } from '../../support/crc32Forgery.js';
import { testOrm } from '../../support/db.js';
import { TcpProxy } from '../../support/tcpProxy.js';

const HOUR_MS = 60 * 60 * 1000;

interface Running {
  sandbox: PaypalSandbox;
  /** Where this sandbox listens (its links and certificate URL name the live one). */
  baseUrl: string;
}

describe('PayPal webhooks: replayed signatures', () => {
  const webhookId = `WH-${randomUUID()}`;
  let orm: Orm;
  /** Refuses transmissions older than 10 minutes. */
  let strictApi: RunningApi;
  /** The default window (3 days and an hour): stands for "when that delivery first arrived". */
  let defaultApi: RunningApi;
  let receiver: WebhookReceiver;
  const sandboxes: PaypalSandbox[] = [];
  let sandboxUrl: string;
  let live: Running;

  beforeAll(async () => {
    orm = await testOrm();
    const port = await TcpProxy.freePort();
    sandboxUrl = `http://127.0.0.1:${port}`;
    const env = { PAYPAL_WEBHOOK_ID: webhookId, PAYPAL_CERT_URL_PREFIXES: `${sandboxUrl}/__sandbox/certs/` };
    strictApi = await startApi(orm, { env: { ...env, PAYPAL_WEBHOOK_TOLERANCE_SECONDS: '600' } });
    defaultApi = await startApi(orm, { env });
    receiver = new WebhookReceiver();
    await receiver.start();
    live = await sandboxAt(0, port);
  });
  afterAll(async () => {
    for (const sandbox of sandboxes) await sandbox.close();
    await receiver?.close();
    await strictApi?.stop();
    await defaultApi?.stop();
    await orm?.close();
  });

  /** A sandbox whose clock is `offsetMs` off; all sign with the one certificate the live sandbox serves. */
  async function sandboxAt(offsetMs: number, port = 0): Promise<Running> {
    const sandbox = createPaypalSandbox({
      clientId: 'client',
      clientSecret: 'secret',
      webhookUrl: receiver.url,
      webhookId,
      webhookDelayMs: 60_000,
      now: () => new Date(Date.now() + offsetMs),
      ...(offsetMs === 0 ? {} : { publicUrl: sandboxUrl }),
    });
    sandboxes.push(sandbox);
    return { sandbox, baseUrl: `http://127.0.0.1:${await sandbox.listen(port, '127.0.0.1')}` };
  }

  /** A genuine PAYMENT.CAPTURE.COMPLETED delivery, signed at the sandbox's time and captured on its way. */
  async function genuineDelivery({ sandbox, baseUrl }: Running): Promise<Delivery> {
    const provider = new PaypalProvider({ baseUrl, clientId: 'client', clientSecret: 'secret' });
    const key = randomUUID();
    const created = await provider.charge({
      idempotencyKey: key,
      invoiceId: key,
      invoiceNumber: `INV-${key.slice(0, 8)}`,
      amount: { amount: 1_000, currency: 'USD' },
      description: 'Pro plan',
      method: { kind: 'paypalApproval', returnUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/no' },
    });
    const orderId = created.kind === 'pending' ? created.providerReference : '';
    sandbox.approve(orderId);
    const { outcome } = await provider.captureApprovedOrder(orderId, `${key}-capture`);
    const captureId = outcome.kind === 'succeeded' ? outcome.providerReference : '';
    await sandbox.deliverPendingWebhooks();
    const [delivery] = receiver.of('PAYMENT.CAPTURE.COMPLETED', captureId);
    return delivery!;
  }

  /** A hand-written event for the same capture: a new event id and amount, padded to the genuine body's CRC-32. */
  function forgeryOf(delivery: Delivery): string {
    const genuine = delivery.raw.toString('utf8');
    const event = JSON.parse(genuine) as { id: string; resource: { amount: { value: string } } };
    event.id = `WH-FORGED-${randomUUID()}`;
    event.resource.amount.value = '9999.00';
    const forged = withCrc32Of(genuine, JSON.stringify(event));
    // The signed message is unchanged, so the signature verifies: only the new checks can refuse it.
    expect(crc32(Buffer.from(forged)) >>> 0).toBe(crc32(delivery.raw) >>> 0);
    return forged;
  }

  /** Sends `body` with the delivery's PayPal headers on a fresh connection; answers the HTTP status. */
  function send(api: RunningApi, delivery: Delivery, body: string | Buffer = delivery.raw): Promise<number> {
    const headers = Object.fromEntries(
      Object.entries(delivery.headers).filter(([name]) => name.startsWith('paypal-')),
    ) as Record<string, string>;
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${api.url}/webhooks/paypal`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  const rowsOf = (delivery: Delivery) =>
    orm.em
      .fork()
      .find(
        WebhookEvent,
        { provider: 'PAYPAL', transmissionId: String(delivery.headers['paypal-transmission-id']) },
        { orderBy: { receivedAt: 'asc' } },
      );

  it("refuses a genuine delivery's transmission on another body (same CRC-32), and takes the same body again as a duplicate", async () => {
    const genuine = await genuineDelivery(live);
    expect(await send(strictApi, genuine)).toBe(200);
    const forged = forgeryOf(genuine);
    expect(await send(strictApi, genuine, forged)).toBe(400);
    expect(await send(strictApi, genuine, forgeryOf(genuine))).toBe(400);
    expect(await send(strictApi, genuine)).toBe(200);

    const rows = await rowsOf(genuine);
    expect(rows.map((row) => [row.status, row.reason])).toEqual([
      ['ACCEPTED', null],
      ['REJECTED', 'transmission id already used with another body'],
      ['REJECTED', 'transmission id already used with another body'],
      ['DUPLICATE', null],
    ]);
    // Refused deliveries are kept exactly as they came, for the audit trail.
    expect(rows[1]!.rawBody).toBe(forged);
    expect(rows[1]!.headers['paypal-transmission-sig']).toBe(genuine.headers['paypal-transmission-sig']);
  });

  it('refuses a transmission it never stored when its time is outside the window: too old, or too far ahead', async () => {
    const old = await genuineDelivery(await sandboxAt(-2 * HOUR_MS));
    const ahead = await genuineDelivery(await sandboxAt(HOUR_MS));
    expect(await send(strictApi, old)).toBe(400);
    expect(await send(strictApi, ahead)).toBe(400);
    expect((await rowsOf(old)).map((row) => [row.status, row.reason])).toEqual([
      ['REJECTED', 'transmission time is older than 600 seconds'],
    ]);
    expect((await rowsOf(ahead)).map((row) => [row.status, row.reason])).toEqual([
      ['REJECTED', 'transmission time is more than 300 seconds ahead'],
    ]);
  });

  it('takes a stored transmission resent with the same body as a duplicate however old; another body is still refused', async () => {
    // PayPal redelivers for up to 3 days: this delivery arrived in time once, and comes again after the window.
    const redelivered = await genuineDelivery(await sandboxAt(-2 * HOUR_MS));
    expect(await send(defaultApi, redelivered)).toBe(200);
    expect(await send(strictApi, redelivered)).toBe(200);
    expect(await send(strictApi, redelivered, forgeryOf(redelivered))).toBe(400);
    expect((await rowsOf(redelivered)).map((row) => [row.status, row.reason])).toEqual([
      ['ACCEPTED', null],
      ['DUPLICATE', null],
      ['REJECTED', 'transmission id already used with another body'],
    ]);
  });

  it('accepts only one of two bodies racing in under one new transmission id', async () => {
    const genuine = await genuineDelivery(live);
    const forged = forgeryOf(genuine);
    const statuses = await Promise.all([send(strictApi, genuine), send(strictApi, genuine, forged)]);
    expect(statuses.sort()).toEqual([200, 400]);
    const rows = await rowsOf(genuine);
    expect(rows.map((row) => row.status).sort()).toEqual(['ACCEPTED', 'REJECTED']);
    expect(rows.find((row) => row.status === 'REJECTED')!.reason).toBe(
      'transmission id already used with another body',
    );
  });
});
