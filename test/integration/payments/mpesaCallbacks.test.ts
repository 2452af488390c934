// M-Pesa callbacks at POST /webhooks/mpesa/<secret>: stored raw first, deduplicated, rejects kept for audit;
// and end to end, the sandbox's own callback for a charge our adapter made lands there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { WebhookEvent } from '../../../src/entities/index.js';
import { MpesaProvider } from '../../../src/payments/mpesa/MpesaProvider.js';
import { createMpesaSandbox, type MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';

const SECRET = `cb-${'s'.repeat(24)}`;
const SAMPLES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'psp-samples');

describe('M-Pesa callbacks', () => {
  let orm: Orm;
  let api: RunningApi;
  let sandbox: MpesaSandbox;
  let sandboxUrl: string;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm, { env: { MPESA_CALLBACK_SECRET: SECRET } });
    sandbox = createMpesaSandbox({ consumerKey: 'ck', consumerSecret: 'cs', passkey: 'pk', callbackDelayMs: 20 });
    sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await sandbox?.close();
    await api?.stop();
    await orm?.close();
  });

  const post = (secret: string, body: string) =>
    fetch(`${api.url}/webhooks/mpesa/${secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const rowsFor = (rawBody: string) =>
    orm.em.fork().find(WebhookEvent, { rawBody }, { orderBy: { receivedAt: 'asc' } });

  it('stores a documented callback raw, acknowledges it, and recognises the repeat', async () => {
    // Unique per run: the sample's CheckoutRequestID is fixed, and the test database outlives runs.
    const sample = JSON.parse(readFileSync(join(SAMPLES, 'mpesa-stk-callback-success.json'), 'utf8'));
    sample.Body.stkCallback.CheckoutRequestID = `ws_CO_${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const raw = `${JSON.stringify(sample, null, 2)}\n`;

    const first = await post(SECRET, raw);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
    const second = await post(SECRET, raw);
    expect(second.status).toBe(200);

    const rows = await rowsFor(raw);
    expect(rows.map((r) => r.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
    expect(rows[0]!.rawBody).toBe(raw);
    expect(rows[0]!.eventKey).toBe(`${sample.Body.stkCallback.CheckoutRequestID}:0`);
  });

  it('rejects a wrong secret (404) and a malformed body (400), and keeps both for audit', async () => {
    const forged = JSON.stringify({ Body: { stkCallback: { forged: Date.now() } } });
    expect((await post(SECRET, forged)).status).toBe(400);
    const wrongPath = JSON.stringify({ attempt: Date.now() });
    expect((await post('not-the-secret-at-all', wrongPath)).status).toBe(404);
    expect((await rowsFor(forged)).map((r) => [r.status, r.reason])).toEqual([['REJECTED', 'not an STK callback']]);
    expect((await rowsFor(wrongPath)).map((r) => [r.status, r.reason])).toEqual([['REJECTED', 'wrong path secret']]);
  });

  it('receives the sandbox’s callback for a charge the adapter made', async () => {
    const provider = new MpesaProvider({
      baseUrl: sandboxUrl,
      consumerKey: 'ck',
      consumerSecret: 'cs',
      shortcode: '174379',
      passkey: 'pk',
      callbackUrl: `${api.url}/webhooks/mpesa/${SECRET}`,
    });
    const outcome = await provider.charge({
      idempotencyKey: `inv-e2e:1`,
      invoiceId: 'inv-e2e',
      invoiceNumber: 'INV-2026-000777',
      amount: { amount: 150_000, currency: 'KES' },
      description: 'Pro plan',
      method: { kind: 'mpesa', phone: '0708374149' },
    });
    expect(outcome.kind).toBe('pending');
    const checkoutRequestId = (outcome as { providerReference: string }).providerReference;
    const stored = await eventually('the callback in webhook_events', async () => {
      const rows = await orm.em.fork().find(WebhookEvent, { eventKey: `${checkoutRequestId}:0` });
      return rows.length ? rows : undefined;
    });
    expect(stored[0]!.status).toBe('ACCEPTED');
    expect(JSON.parse(stored[0]!.rawBody).Body.stkCallback.CallbackMetadata.Item).toEqual(
      expect.arrayContaining([{ Name: 'Amount', Value: 1500 }]),
    );
    expect(sandbox.ledger().filter((entry) => entry.checkoutRequestId === checkoutRequestId)).toHaveLength(1);
  });
});
