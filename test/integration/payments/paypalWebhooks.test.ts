// PayPal webhooks at POST /webhooks/paypal: signed by the sandbox with its own certificate, verified by us,
// stored raw first, duplicates recognised by event id, forgeries rejected and kept.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { WebhookEvent } from '../../../src/entities/index.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { PaypalApiWebhookVerifier } from '../../../src/payments/paypal/webhookSignature.js';
import type { ChargeRequest } from '../../../src/payments/provider.js';
import { createPaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { TcpProxy } from '../../support/tcpProxy.js';

describe('PayPal webhooks', () => {
  const webhookId = `WH-${randomUUID()}`;
  let orm: Orm;
  let api: RunningApi;
  let sandbox: ReturnType<typeof createPaypalSandbox>;
  let provider: PaypalProvider;
  /** This run's accepted delivery (the database outlives runs, so never just "any accepted row"). */
  let accepted: WebhookEvent | undefined;

  beforeAll(async () => {
    orm = await testOrm();
    const sandboxPort = await TcpProxy.freePort();
    api = await startApi(orm, {
      env: {
        PAYPAL_WEBHOOK_ID: webhookId,
        PAYPAL_CERT_URL_PREFIXES: `http://127.0.0.1:${sandboxPort}/__sandbox/certs/`,
      },
    });
    sandbox = createPaypalSandbox({
      clientId: 'client',
      clientSecret: 'secret',
      webhookUrl: `${api.url}/webhooks/paypal`,
      webhookId,
      duplicateWebhooks: true,
      webhookDelayMs: 10,
    });
    await sandbox.listen(sandboxPort, '127.0.0.1');
    provider = new PaypalProvider({
      baseUrl: `http://127.0.0.1:${sandboxPort}`,
      clientId: 'client',
      clientSecret: 'secret',
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    await api?.stop();
    await orm?.close();
  });

  const request = (key: string, amount: number, method: ChargeRequest['method']): ChargeRequest => ({
    idempotencyKey: key,
    invoiceId: `inv-${key}`,
    invoiceNumber: `INV-2026-${key.slice(0, 6)}`,
    amount: { amount, currency: 'USD' },
    description: 'Pro plan',
    method,
  });
  const eventsFor = (eventKey: string) =>
    orm.em.fork().find(WebhookEvent, { provider: 'PAYPAL', eventKey }, { orderBy: { receivedAt: 'asc' } });

  it('verifies and stores the capture webhooks of a renewal, recognising the duplicate deliveries', async () => {
    const key = randomUUID();
    const created = await provider.charge(
      request(`${key}-1`, 1_000, {
        kind: 'paypalApproval',
        returnUrl: 'https://app.example/ok',
        cancelUrl: 'https://app.example/no',
      }),
    );
    expect(created.kind).toBe('pending');
    const orderId = (created as { providerReference: string }).providerReference;
    sandbox.approve(orderId);
    const { vaultId } = await provider.captureApprovedOrder(orderId, `${key}-capture`);
    expect(vaultId).toBeTruthy();

    // "5.00" is captured PENDING and completed later: PayPal then tells us by webhook.
    const renewal = await provider.charge(request(`${key}-2`, 500, { kind: 'paypalVault', vaultId: vaultId! }));
    expect(renewal).toMatchObject({ kind: 'pending', awaiting: 'webhook' });
    const captureId = (renewal as { providerReference: string }).providerReference;
    await sandbox.deliverPendingWebhooks();

    const completed = await eventually('the PAYMENT.CAPTURE.COMPLETED event', async () => {
      const rows = await orm.em.fork().find(WebhookEvent, { provider: 'PAYPAL', status: 'ACCEPTED' });
      const match = rows.find((row) => {
        const body = JSON.parse(row.rawBody) as { event_type: string; resource: { id: string } };
        return body.event_type === 'PAYMENT.CAPTURE.COMPLETED' && body.resource.id === captureId;
      });
      return match;
    });
    // Every webhook was delivered twice: exactly one accepted row per event id, the repeat kept as a duplicate.
    const rows = await eventually('the duplicate delivery', async () => {
      const found = await eventsFor(completed.eventKey!);
      return found.length >= 2 ? found : undefined;
    });
    expect(rows.map((row) => row.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
    accepted = rows[0];
    expect(rows[0]!.headers['paypal-transmission-sig']).toBeTruthy();
  });

  it('rejects a tampered body and a certificate from elsewhere, keeping both for audit', async () => {
    expect(accepted).toBeDefined();
    const since = new Date();
    // Only PayPal's signature headers travel again (the stored content-length belongs to the original body).
    const signatureHeaders = Object.fromEntries(
      Object.entries(accepted!.headers).filter(([name]) => name.startsWith('paypal-')),
    );
    // A fresh connection per delivery (no pooled keep-alive socket shared with the in-process sandbox).
    const send = (body: string, headers: Record<string, string>) =>
      new Promise<{ status: number }>((resolve, reject) => {
        const request = httpRequest(
          `${api.url}/webhooks/paypal`,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } },
          (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    const tampered = accepted!.rawBody
      .replace('"COMPLETED"', '"REFUNDED"')
      .replace(/"value":"[\d.]+"/, '"value":"9999.00"');
    const tamperedResponse = await send(tampered, signatureHeaders);
    expect(tamperedResponse.status).toBe(400);

    const elsewhere = `${accepted!.rawBody} `;
    const elsewhereResponse = await send(elsewhere, {
      ...signatureHeaders,
      'paypal-cert-url': 'https://evil.example.com/cert.pem',
    });
    expect(elsewhereResponse.status).toBe(400);

    const rejected = await orm.em
      .fork()
      .find(
        WebhookEvent,
        { provider: 'PAYPAL', status: 'REJECTED', receivedAt: { $gte: since } },
        { orderBy: { receivedAt: 'asc' } },
      );
    expect(rejected.map((row) => row.reason).sort()).toEqual([
      'certificate URL is not an allowed PayPal URL',
      'signature does not match',
    ]);
  });

  it("verifies through PayPal's verify-webhook-signature endpoint when configured that way", async () => {
    expect(accepted).toBeDefined();
    const verifier = new PaypalApiWebhookVerifier(provider, webhookId);
    expect(await verifier.verify(accepted!.headers, accepted!.rawBody)).toEqual({ ok: true });
    const tampered = accepted!.rawBody.replace(/"value":"(\d+)\./, '"value":"9$1.');
    expect(tampered).not.toBe(accepted!.rawBody);
    expect(await verifier.verify(accepted!.headers, tampered)).toMatchObject({ ok: false });
    expect(
      await new PaypalApiWebhookVerifier(provider, 'WH-SOMEONE-ELSE').verify(accepted!.headers, accepted!.rawBody),
    ).toMatchObject({ ok: false });
    expect(await verifier.verify({}, accepted!.rawBody)).toEqual({ ok: false, reason: 'signature headers missing' });
  });
});
