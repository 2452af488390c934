// The PayPal sandbox over real HTTP: real fetch against a sandbox on port 0, webhooks into a real local server,
// answers compared with the provider samples (test/sandboxes/paypal-samples, copied from /work/shared/psp-samples).
import { X509Certificate, createVerify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { eventually } from '../support/eventually.js';
import type { PaypalSandboxOptions } from '../../sandboxes/paypal/server.js';
import {
  CLIENT_ID,
  WEBHOOK_ID,
  at,
  basic,
  crc32,
  fetchJson,
  renewalOrder,
  requestToken,
  sample,
  shapeGaps,
  startHarness,
  text,
  vaultFirstPayment,
  vaultOrder,
  type Delivery,
  type Harness,
} from './paypalHarness.js';

async function withSandbox(
  options: Partial<PaypalSandboxOptions>,
  run: (h: Harness) => Promise<void>,
  answer?: (index: number, event: unknown) => number,
): Promise<void> {
  const h = await startHarness(options, answer);
  try {
    await run(h);
  } finally {
    await h.close();
  }
}

const issueOf = (body: unknown) => at(body, 'details.0.issue');

function verifiesLocally(delivery: Delivery, certificate: X509Certificate, raw: Buffer = delivery.raw): boolean {
  const message = [
    delivery.headers['paypal-transmission-id'],
    delivery.headers['paypal-transmission-time'],
    WEBHOOK_ID,
    crc32(raw),
  ].join('|');
  return createVerify('RSA-SHA256')
    .update(message)
    .verify(certificate.publicKey, String(delivery.headers['paypal-transmission-sig']), 'base64');
}

function verifyRequest(delivery: Delivery, event: unknown = delivery.event, webhookId = WEBHOOK_ID) {
  return {
    transmission_id: delivery.headers['paypal-transmission-id'],
    transmission_time: delivery.headers['paypal-transmission-time'],
    cert_url: delivery.headers['paypal-cert-url'],
    auth_algo: delivery.headers['paypal-auth-algo'],
    transmission_sig: delivery.headers['paypal-transmission-sig'],
    webhook_id: webhookId,
    webhook_event: event,
  };
}

describe('PayPal sandbox: OAuth', () => {
  it('issues a token shaped like PayPal, reuses it while valid, and refuses wrong clients and bad tokens', async () => {
    let nowMs = Date.parse('2026-03-01T10:00:00.000Z');
    await withSandbox({ now: () => new Date(nowMs), tokenTtlSeconds: 60 }, async (h) => {
      const first = await requestToken(h.base);
      expect(first.status).toBe(200);
      expect(shapeGaps(first.body, sample('oauth-token-response'))).toEqual([]);
      expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 60, access_token: h.token });
      expect(text(first.body, 'access_token')).toMatch(/^A21AA[\w-]+$/);
      expect(text(first.body, 'app_id')).toMatch(/^APP-[0-9A-Z]{17}$/);
      expect(text(first.body, 'nonce').startsWith('2026-03-01T10:00:00Z')).toBe(true);

      nowMs += 10_000;
      const again = await requestToken(h.base);
      expect(again.body).toMatchObject({ access_token: h.token, expires_in: 50 });

      const wrongSecret = await requestToken(h.base, CLIENT_ID, 'not-the-secret');
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.body).toEqual(sample('oauth-error-invalid-client'));
      const wrongClient = await requestToken(h.base, 'someone-else');
      expect(wrongClient.status).toBe(401);

      const noGrant = await fetchJson(`${h.base}/v1/oauth2/token`, {
        method: 'POST',
        headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(noGrant.status).toBe(400);
      expect(noGrant.body).toEqual({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });

      const unknownToken = await fetchJson(`${h.base}/v2/checkout/orders/5O190127TN364715T`, {
        headers: { Authorization: 'Bearer A21AAnot-a-token' },
      });
      expect(unknownToken.status).toBe(401);
      expect(unknownToken.body).toEqual(sample('error-invalid-token-401'));

      const noHeader = await fetchJson(`${h.base}/v2/checkout/orders/5O190127TN364715T`);
      expect(noHeader.status).toBe(401);
      expect(noHeader.body).toMatchObject({ name: 'AUTHENTICATION_FAILURE' });

      // Still valid: an unknown order is a 404 in PayPal's envelope.
      const missing = await h.call('GET', '/v2/checkout/orders/5O190127TN364715T');
      expect(missing.status).toBe(404);
      expect(shapeGaps(missing.body, sample('error-resource-not-found-404'))).toEqual([]);
      expect(missing.body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID' }] });

      nowMs += 51_000; // past the 60 s lifetime
      const expired = await h.call('GET', '/v2/checkout/orders/5O190127TN364715T');
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual(sample('error-invalid-token-401'));
      const fresh = await requestToken(h.base);
      expect(fresh.body).toMatchObject({ expires_in: 60 });
      expect(text(fresh.body, 'access_token')).not.toBe(h.token);
    });
  });
});

describe('PayPal sandbox: first payment with vault', () => {
  it('asks for payer action, refuses capture before approval, and returns the vault id on capture', async () => {
    await withSandbox({}, async (h) => {
      const created = await h.call('POST', '/v2/checkout/orders', sample('order-create-vault-request'));
      expect(created.status).toBe(201);
      expect(shapeGaps(created.body, sample('order-create-vault-response'))).toEqual([]);
      const orderId = text(created.body, 'id');
      expect(orderId).toMatch(/^[0-9A-Z]{17}$/);
      expect(created.body).toEqual({
        id: orderId,
        status: 'PAYER_ACTION_REQUIRED',
        payment_source: { paypal: {} },
        links: [
          { href: `${h.base}/v2/checkout/orders/${orderId}`, rel: 'self', method: 'GET' },
          { href: `${h.base}/checkoutnow?token=${orderId}`, rel: 'payer-action', method: 'GET' },
        ],
      });
      const page = await fetch(`${h.base}/checkoutnow?token=${orderId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(orderId);

      const early = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
      expect(early.status).toBe(422);
      expect(shapeGaps(early.body, sample('error-order-not-approved-422'))).toEqual([]);
      expect(at(early.body, 'details')).toEqual(at(sample('error-order-not-approved-422'), 'details'));
      expect(at(early.body, 'name')).toBe('UNPROCESSABLE_ENTITY');

      const approved = await fetchJson(`${h.base}/__sandbox/orders/${orderId}/approve`, { method: 'POST' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        id: orderId,
        status: 'APPROVED',
        payer: { email_address: 'customer@example.com' },
      });
      const payerId = text(approved.body, 'payer.payer_id');

      const captured = await h.call(
        'POST',
        `/v2/checkout/orders/${orderId}/capture`,
        {},
        { 'PayPal-Request-Id': 'first-1' },
      );
      expect(captured.status).toBe(201);
      expect(shapeGaps(captured.body, sample('order-capture-vaulted-response'))).toEqual([]);
      const vaultId = text(captured.body, 'payment_source.paypal.attributes.vault.id');
      const captureId = text(captured.body, 'purchase_units.0.payments.captures.0.id');
      expect(vaultId).toMatch(/^[0-9a-z]{8}$/);
      expect(captured.body).toMatchObject({
        id: orderId,
        status: 'COMPLETED',
        payment_source: {
          paypal: {
            account_id: payerId,
            attributes: {
              vault: { id: vaultId, status: 'VAULTED', customer: { id: expect.stringMatching(/^customer_\d{10}$/) } },
            },
          },
        },
        purchase_units: [
          {
            reference_id: 'sub_000123_2024-03',
            payments: {
              captures: [
                {
                  id: captureId,
                  status: 'COMPLETED',
                  amount: { currency_code: 'USD', value: '10.00' },
                  final_capture: true,
                  seller_receivable_breakdown: {
                    gross_amount: { currency_code: 'USD', value: '10.00' },
                    paypal_fee: { currency_code: 'USD', value: '0.84' },
                    net_amount: { currency_code: 'USD', value: '9.16' },
                  },
                  custom_id: 'sub_000123',
                  invoice_id: 'INV-2024-03-000123',
                },
              ],
            },
          },
        ],
        payer: { payer_id: payerId },
      });

      const token = await h.call('GET', `/v3/vault/payment-tokens/${vaultId}`);
      expect(token.status).toBe(200);
      expect(shapeGaps(token.body, sample('vault-payment-token-get-response'))).toEqual([]);
      expect(token.body).toMatchObject({
        id: vaultId,
        payment_source: {
          paypal: {
            usage_type: 'MERCHANT',
            usage_pattern: 'SUBSCRIPTION_PREPAID',
            customer_type: 'CONSUMER',
            payer_id: payerId,
          },
        },
      });

      const twice = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
      expect(twice.status).toBe(422);
      expect(shapeGaps(twice.body, sample('error-order-already-captured-422'))).toEqual([]);
      expect(at(twice.body, 'details')).toEqual(at(sample('error-order-already-captured-422'), 'details'));

      const order = await h.call('GET', `/v2/checkout/orders/${orderId}`);
      expect(order.body).toMatchObject({
        id: orderId,
        intent: 'CAPTURE',
        status: 'COMPLETED',
        purchase_units: [
          { amount: { currency_code: 'USD', value: '10.00' }, payments: { captures: [{ id: captureId }] } },
        ],
      });

      const ledger = h.sandbox.ledger();
      expect(ledger).toEqual([
        {
          orderId,
          captureId,
          amount: '10.00',
          currency: 'USD',
          vaultId,
          requestId: 'first-1',
          completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      expect((await fetchJson(`${h.base}/__sandbox/ledger`)).body).toEqual(ledger);

      const [completed] = await h.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', captureId);
      expect(shapeGaps(completed!.event, sample('webhook-payment-capture-completed'))).toEqual([]);
      expect(completed!.event).toMatchObject({
        id: expect.stringMatching(/^WH-[0-9A-Z]{17}-[0-9A-Z]{17}$/),
        event_version: '1.0',
        resource_type: 'capture',
        summary: 'Payment completed for $ 10.0 USD',
        resource: { id: captureId, status: 'COMPLETED', supplementary_data: { related_ids: { order_id: orderId } } },
      });
      const [vaulted] = await h.receiver.waitFor('VAULT.PAYMENT-TOKEN.CREATED', vaultId);
      expect(shapeGaps(vaulted!.event, sample('webhook-vault-payment-token-created'))).toEqual([]);
    });
  });

  it('approves through the payer-action page and sends the payer back to return_url', async () => {
    await withSandbox({}, async (h) => {
      const created = await h.call('POST', '/v2/checkout/orders', vaultOrder('12.50'));
      const orderId = text(created.body, 'id');
      const back = await fetch(`${h.base}/checkoutnow/approve?token=${orderId}`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(back.status).toBe(303);
      const location = new URL(back.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe('https://example.com/returnUrl');
      expect(location.searchParams.get('token')).toBe(orderId);
      expect(location.searchParams.get('PayerID')).toMatch(/^[0-9A-Z]{13}$/);
      const captured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
      expect(captured.status).toBe(201);
      expect(at(captured.body, 'purchase_units.0.payments.captures.0.amount')).toEqual({
        currency_code: 'USD',
        value: '12.50',
      });
      expect(() => h.sandbox.approve(orderId)).toThrow(/ORDER_CANNOT_BE_APPROVED/);
      expect(() => h.sandbox.approve('NOSUCHORDER000000')).toThrow(/INVALID_RESOURCE_ID/);
    });
  });
});

describe('PayPal sandbox: merchant-initiated renewals', () => {
  it('captures a renewal on the vaulted wallet at once: 201 COMPLETED like the documented sample', async () => {
    await withSandbox({}, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const body = sample('order-mit-request') as { payment_source: { paypal: { vault_id: string } } };
      body.payment_source.paypal.vault_id = vaultId;
      const renewal = await h.call('POST', '/v2/checkout/orders', body, { 'PayPal-Request-Id': 'renewal-2024-04' });
      expect(renewal.status).toBe(201);
      expect(shapeGaps(renewal.body, sample('order-mit-response'))).toEqual([]);
      const orderId = text(renewal.body, 'id');
      const captureId = text(renewal.body, 'purchase_units.0.payments.captures.0.id');
      expect(renewal.body).toMatchObject({
        status: 'COMPLETED',
        payment_source: { paypal: { attributes: { vault: { id: vaultId } } } },
        purchase_units: [
          {
            reference_id: 'sub_000123_2024-04',
            payments: { captures: [{ status: 'COMPLETED', amount: { currency_code: 'USD', value: '10.00' } }] },
          },
        ],
      });
      expect(h.sandbox.ledger().at(-1)).toEqual({
        orderId,
        captureId,
        amount: '10.00',
        currency: 'USD',
        vaultId,
        requestId: 'renewal-2024-04',
        completedAt: expect.any(String),
      });
      await h.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', captureId);
    });
  });

  it('answers PENDING for 5.00 and completes the capture later, announced by PAYMENT.CAPTURE.COMPLETED', async () => {
    await withSandbox({ pendingCaptureDelayMs: 300 }, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const renewal = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.00'));
      expect(renewal.status).toBe(201);
      expect(shapeGaps(renewal.body, sample('order-mit-response-capture-pending'))).toEqual([]);
      const captureId = text(renewal.body, 'purchase_units.0.payments.captures.0.id');
      expect(renewal.body).toMatchObject({
        status: 'COMPLETED',
        purchase_units: [
          {
            payments: {
              captures: [{ id: captureId, status: 'PENDING', status_details: { reason: 'PENDING_REVIEW' } }],
            },
          },
        ],
      });
      expect(h.sandbox.ledger().map((e) => e.captureId)).not.toContain(captureId);
      const refund = await h.call('POST', `/v2/payments/captures/${captureId}/refund`, {});
      expect(refund.status).toBe(422);
      expect(issueOf(refund.body)).toBe('PENDING_CAPTURE');

      const [pending] = await h.receiver.waitFor('PAYMENT.CAPTURE.PENDING', captureId);
      expect(pending!.event).toMatchObject({
        summary: 'Payment pending for $ 5.0 USD',
        resource: { status: 'PENDING' },
      });
      const [completed] = await h.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', captureId);
      expect(completed!.event).toMatchObject({ resource: { id: captureId, status: 'COMPLETED' } });
      expect(h.receiver.deliveries.indexOf(pending!)).toBeLessThan(h.receiver.deliveries.indexOf(completed!));
      expect(h.sandbox.ledger().find((e) => e.captureId === captureId)).toMatchObject({ amount: '5.00', vaultId });
      const later = await h.call('GET', `/v2/payments/captures/${captureId}`);
      expect(later.body).toMatchObject({ id: captureId, status: 'COMPLETED' });
    });
  });

  it('answers PENDING for 5.01 and then denies it: PAYMENT.CAPTURE.DENIED, nothing in the ledger', async () => {
    await withSandbox({}, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const renewal = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.01'));
      const captureId = text(renewal.body, 'purchase_units.0.payments.captures.0.id');
      expect(at(renewal.body, 'purchase_units.0.payments.captures.0.status')).toBe('PENDING');
      const [denied] = await h.receiver.waitFor('PAYMENT.CAPTURE.DENIED', captureId);
      expect(shapeGaps(denied!.event, sample('webhook-payment-capture-denied'))).toEqual([]);
      expect(denied!.event).toMatchObject({
        summary: 'Payment denied for $ 5.01 USD',
        resource: { status: 'DECLINED' },
      });
      expect(h.sandbox.ledger().map((e) => e.captureId)).not.toContain(captureId);
    });
  });

  it('declines through PayPal-Mock-Response and through scripted amounts, capturing nothing', async () => {
    await withSandbox({}, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const before = h.sandbox.ledger().length;
      for (const code of ['INSTRUMENT_DECLINED', 'PAYER_CANNOT_PAY', 'TRANSACTION_REFUSED']) {
        const declined = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), {
          'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: code }),
        });
        expect(declined.status).toBe(422);
        expect(shapeGaps(declined.body, { ...(sample('error-instrument-declined-422') as object), links: [] })).toEqual(
          [],
        );
        expect(declined.body).toMatchObject({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: code }] });
      }
      const byHeader = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), {
        'PayPal-Mock-Response': '{"mock_application_codes":"INSTRUMENT_DECLINED"}',
      });
      expect(shapeGaps(byHeader.body, sample('error-instrument-declined-422'))).toEqual([]);
      expect(at(byHeader.body, 'details')).toEqual(at(sample('error-instrument-declined-422'), 'details'));

      const scripted: Array<[string, string]> = [
        ['4.22', 'INSTRUMENT_DECLINED'],
        ['4.23', 'PAYER_CANNOT_PAY'],
        ['4.24', 'TRANSACTION_REFUSED'],
      ];
      for (const [value, issue] of scripted) {
        const declined = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, value));
        expect(declined.status).toBe(422);
        expect(issueOf(declined.body)).toBe(issue);
      }
      const unknownCode = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), {
        'PayPal-Mock-Response': '{"mock_application_codes":"NOT_A_CODE"}',
      });
      expect(unknownCode.status).toBe(400);
      expect(h.sandbox.ledger()).toHaveLength(before);

      // On the capture of an approved first order: declined with a redirect link; the order stays capturable.
      const created = await h.call('POST', '/v2/checkout/orders', vaultOrder('20.00', 'sub_000456_2024-03'));
      const orderId = text(created.body, 'id');
      h.sandbox.approve(orderId);
      const refused = await h.call(
        'POST',
        `/v2/checkout/orders/${orderId}/capture`,
        {},
        {
          'PayPal-Mock-Response': '{"mock_application_codes":"INSTRUMENT_DECLINED"}',
        },
      );
      expect(refused.status).toBe(422);
      expect(issueOf(refused.body)).toBe('INSTRUMENT_DECLINED');
      expect(at(refused.body, 'links')).toContainEqual({
        href: `${h.base}/checkoutnow?token=${orderId}`,
        rel: 'redirect',
        method: 'GET',
      });
      expect(at((await h.call('GET', `/v2/checkout/orders/${orderId}`)).body, 'status')).toBe('APPROVED');
      const retried = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
      expect(retried.status).toBe(201);
      expect(h.sandbox.ledger()).toHaveLength(before + 1);
    });
  });

  it('answers 503 for 5.03 without charging; 5.04 charges, loses the answer, and the replay returns the capture', async () => {
    await withSandbox({}, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const before = h.sandbox.ledger().length;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const down = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.03'), {
          'PayPal-Request-Id': 'renewal-503',
        });
        expect(down.status).toBe(503);
        expect(down.body).toMatchObject({
          name: 'SERVICE_UNAVAILABLE',
          debug_id: expect.stringMatching(/^[0-9a-f]{13}$/),
        });
      }
      expect(h.sandbox.ledger()).toHaveLength(before);

      const lost = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.04'), {
        'PayPal-Request-Id': 'renewal-504',
      });
      expect(lost.status).toBe(503);
      expect(h.sandbox.ledger()).toHaveLength(before + 1);
      const charged = h.sandbox.ledger().at(-1)!;
      expect(charged).toMatchObject({ amount: '5.04', requestId: 'renewal-504', vaultId });
      const replay = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.04'), {
        'PayPal-Request-Id': 'renewal-504',
      });
      expect(replay.status).toBe(200);
      expect(at(replay.body, 'status')).toBe('COMPLETED');
      expect(at(replay.body, 'purchase_units.0.payments.captures.0.id')).toBe(charged.captureId);
      expect(h.sandbox.ledger()).toHaveLength(before + 1);
    });
  });

  it('refuses renewals on unknown or deleted vault tokens', async () => {
    await withSandbox({}, async (h) => {
      const unknown = await h.call('POST', '/v2/checkout/orders', renewalOrder('zzzz9999'));
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({
        details: [{ field: '/payment_source/paypal/vault_id', value: 'zzzz9999', issue: 'TOKEN_ID_NOT_FOUND' }],
      });
      const { vaultId } = await vaultFirstPayment(h);
      const deleted = await h.call('DELETE', `/v3/vault/payment-tokens/${vaultId}`);
      expect(deleted.status).toBe(204);
      expect((await h.call('GET', `/v3/vault/payment-tokens/${vaultId}`)).status).toBe(404);
      const refused = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId));
      expect(refused.status).toBe(422);
      expect(issueOf(refused.body)).toBe('AGREEMENT_ALREADY_CANCELLED');
      await h.receiver.waitFor('VAULT.PAYMENT-TOKEN.DELETED', vaultId);
    });
  });
});

describe('PayPal sandbox: validation', () => {
  it('refuses KES with 422 CURRENCY_NOT_SUPPORTED and malformed requests with 400 INVALID_REQUEST', async () => {
    await withSandbox({}, async (h) => {
      const kes = {
        intent: 'CAPTURE',
        purchase_units: [{ amount: { currency_code: 'KES', value: '1000.00' } }],
      };
      const refused = await h.call('POST', '/v2/checkout/orders', kes);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        name: 'UNPROCESSABLE_ENTITY',
        message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
        debug_id: expect.stringMatching(/^[0-9a-f]{13}$/),
        details: [
          {
            field: '/purchase_units/0/amount/currency_code',
            value: 'KES',
            location: 'body',
            issue: 'CURRENCY_NOT_SUPPORTED',
            description: expect.stringContaining('Currency code'),
          },
        ],
        links: [{ rel: 'information_link', method: 'GET', href: expect.stringContaining('CURRENCY_NOT_SUPPORTED') }],
      });
      expect(refused.headers.get('paypal-debug-id')).toMatch(/^[0-9a-f]{13}$/);
      const { vaultId } = await vaultFirstPayment(h);
      const kesRenewal = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '1000.00', 'KES'));
      expect(kesRenewal.status).toBe(422);
      expect(issueOf(kesRenewal.body)).toBe('CURRENCY_NOT_SUPPORTED');

      const precision = await h.call('POST', '/v2/checkout/orders', vaultOrder('10.001'));
      expect(precision.status).toBe(400);
      const documented = sample('error-invalid-request-400');
      expect(shapeGaps(precision.body, documented)).toEqual([]);
      expect(precision.body).toMatchObject({
        name: at(documented, 'name'),
        message: at(documented, 'message'),
        details: at(documented, 'details'),
      });

      const cases: Array<[unknown, number, string, string]> = [
        [vaultOrder('0.00'), 422, 'CANNOT_BE_ZERO_OR_NEGATIVE', '/purchase_units/0/amount/value'],
        [vaultOrder('-5.00'), 422, 'CANNOT_BE_ZERO_OR_NEGATIVE', '/purchase_units/0/amount/value'],
        [vaultOrder('ten'), 400, 'INVALID_PARAMETER_SYNTAX', '/purchase_units/0/amount/value'],
        [
          { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: 10 } }] },
          400,
          'INVALID_PARAMETER_SYNTAX',
          '/purchase_units/0/amount/value',
        ],
        [
          { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'JPY', value: '100.50' } }] },
          400,
          'DECIMALS_NOT_SUPPORTED',
          '/purchase_units/0/amount/value',
        ],
        [
          { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'usd', value: '1.00' } }] },
          400,
          'INVALID_PARAMETER_SYNTAX',
          '/purchase_units/0/amount/currency_code',
        ],
        [
          { purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' } }] },
          400,
          'MISSING_REQUIRED_PARAMETER',
          '/intent',
        ],
        [{ intent: 'CAPTURE', purchase_units: [] }, 400, 'MISSING_REQUIRED_PARAMETER', '/purchase_units'],
        [
          {
            ...vaultOrder(),
            payment_source: { paypal: { attributes: { vault: { store_in_vault: 'ALWAYS', usage_type: 'MERCHANT' } } } },
          },
          400,
          'INVALID_PARAMETER_VALUE',
          '/payment_source/paypal/attributes/vault/store_in_vault',
        ],
      ];
      for (const [body, status, issue, field] of cases) {
        const answer = await h.call('POST', '/v2/checkout/orders', body);
        expect({ status: answer.status, detail: at(answer.body, 'details.0') }).toMatchObject({
          status,
          detail: { issue, field, location: 'body' },
        });
      }

      const several = await h.call('POST', '/v2/checkout/orders', {
        purchase_units: [{ amount: { currency_code: 'USD', value: '1.005' } }],
      });
      expect(at(several.body, 'details')).toEqual([
        expect.objectContaining({ field: '/intent', issue: 'MISSING_REQUIRED_PARAMETER' }),
        expect.objectContaining({ field: '/purchase_units/0/amount/value', issue: 'DECIMAL_PRECISION' }),
      ]);

      const malformed = await h.call('POST', '/v2/checkout/orders', '{"intent": "CAPTURE",');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ name: 'INVALID_REQUEST', details: [{ issue: 'MALFORMED_REQUEST_JSON' }] });
      const wrongType = await h.call('POST', '/v2/checkout/orders', JSON.stringify(vaultOrder()), {
        'Content-Type': 'text/plain',
      });
      expect(wrongType.status).toBe(415);
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });
});

describe('PayPal sandbox: PayPal-Request-Id', () => {
  it('answers a repeated id 200 with the resource it made and creates nothing; without an id, duplicates are created', async () => {
    await withSandbox({}, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const headers = { 'PayPal-Request-Id': 'sub_000123-2024-04-attempt-1' };
      const first = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), headers);
      const second = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), headers);
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const captureId = text(first.body, 'purchase_units.0.payments.captures.0.id');
      const entries = h.sandbox.ledger().filter((e) => e.requestId === headers['PayPal-Request-Id']);
      expect(entries).toEqual([expect.objectContaining({ captureId, orderId: text(first.body, 'id') })]);
      expect(h.sandbox.ledger()).toHaveLength(2);

      // A declined attempt is kept too: the same id answers the same decline, even without the mock header.
      const declineId = { 'PayPal-Request-Id': 'sub_000123-2024-05-attempt-1' };
      const declined = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), {
        ...declineId,
        'PayPal-Mock-Response': '{"mock_application_codes":"INSTRUMENT_DECLINED"}',
      });
      const replayedDecline = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), declineId);
      expect(declined.status).toBe(422);
      expect(replayedDecline.status).toBe(422);
      expect(replayedDecline.raw).toBe(declined.raw);

      // The capture call is idempotent the same way.
      const created = await h.call('POST', '/v2/checkout/orders', vaultOrder('30.00', 'sub_000789_2024-03'));
      const orderId = text(created.body, 'id');
      h.sandbox.approve(orderId);
      const captureHeaders = { 'PayPal-Request-Id': `capture-${orderId}` };
      const captured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {}, captureHeaders);
      const recaptured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {}, captureHeaders);
      expect([captured.status, recaptured.status]).toEqual([201, 200]);
      expect(recaptured.body).toEqual(captured.body);
      const withoutId = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
      expect(issueOf(withoutId.body)).toBe('ORDER_ALREADY_CAPTURED');
      expect(h.sandbox.ledger()).toHaveLength(3);

      const a = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId));
      const b = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId));
      expect(text(a.body, 'id')).not.toBe(text(b.body, 'id'));
      expect(h.sandbox.ledger()).toHaveLength(5);
    });
  });
});

describe('PayPal sandbox: PayPal-Request-Id answers the latest state', () => {
  it('replays a create-order after the capture with 200 and the order as it is now: COMPLETED, not the first CREATED answer', async () => {
    await withSandbox({}, async (h) => {
      const headers = { 'PayPal-Request-Id': 'sub_000456-2024-03-attempt-1' };
      const created = await h.call('POST', '/v2/checkout/orders', vaultOrder('12.00', 'sub_000456_2024-03'), headers);
      expect(created.status).toBe(201);
      expect(at(created.body, 'status')).toBe('PAYER_ACTION_REQUIRED');
      const orderId = text(created.body, 'id');

      const beforeApproval = await h.call(
        'POST',
        '/v2/checkout/orders',
        vaultOrder('12.00', 'sub_000456_2024-03'),
        headers,
      );
      expect(beforeApproval.status).toBe(200);
      expect(beforeApproval.body).toEqual(created.body);

      h.sandbox.approve(orderId);
      const approved = await h.call('POST', '/v2/checkout/orders', vaultOrder('12.00', 'sub_000456_2024-03'), headers);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ id: orderId, status: 'APPROVED' });

      const captured = await h.call(
        'POST',
        `/v2/checkout/orders/${orderId}/capture`,
        {},
        { 'PayPal-Request-Id': 'c-1' },
      );
      expect(captured.status).toBe(201);
      const captureId = text(captured.body, 'purchase_units.0.payments.captures.0.id');
      const replayed = await h.call('POST', '/v2/checkout/orders', vaultOrder('12.00', 'sub_000456_2024-03'), {
        ...headers,
        Prefer: 'return=representation',
      });
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({
        id: orderId,
        status: 'COMPLETED',
        purchase_units: [{ payments: { captures: [{ id: captureId, status: 'COMPLETED' }] } }],
      });
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });

  it('replays a refund with 200 and the refund as it is now, refunding nothing more; a capture replay after a refund shows it', async () => {
    await withSandbox({}, async (h) => {
      const created = await h.call('POST', '/v2/checkout/orders', vaultOrder('10.00'));
      const orderId = text(created.body, 'id');
      h.sandbox.approve(orderId);
      const captureHeaders = { 'PayPal-Request-Id': `capture-${orderId}`, Prefer: 'return=representation' };
      const captured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {}, captureHeaders);
      const captureId = text(captured.body, 'purchase_units.0.payments.captures.0.id');
      const refund = (key: string) =>
        h.call(
          'POST',
          `/v2/payments/captures/${captureId}/refund`,
          { amount: { value: '3.00', currency_code: 'USD' } },
          { Prefer: 'return=representation', 'PayPal-Request-Id': key },
        );
      const first = await refund('refund-a');
      await refund('refund-b');
      const again = await refund('refund-a');
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(text(again.body, 'id')).toBe(text(first.body, 'id'));
      // The latest state: what the capture has had refunded by now, both refunds.
      expect(at(again.body, 'seller_payable_breakdown.total_refunded_amount.value')).toBe('6.00');
      const capture = await h.call('GET', `/v2/payments/captures/${captureId}`);
      expect(at(capture.body, 'status')).toBe('PARTIALLY_REFUNDED');

      const recaptured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {}, captureHeaders);
      expect(recaptured.status).toBe(200);
      expect(at(recaptured.body, 'purchase_units.0.payments.captures.0.status')).toBe('PARTIALLY_REFUNDED');
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });
});

describe('PayPal sandbox: account settings and forced errors', () => {
  it('refuses a second capture of the same invoice_id when rejectDuplicateInvoiceIds is on, and mocks a 500', async () => {
    await withSandbox({ rejectDuplicateInvoiceIds: true }, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const first = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '10.00', 'USD', 'sub_1_2024-06'));
      expect(first.status).toBe(201);
      const again = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '10.00', 'USD', 'sub_1_2024-06'));
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ details: [{ issue: 'DUPLICATE_INVOICE_ID' }] });
      const broken = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId), {
        'PayPal-Mock-Response': '{"mock_application_codes":"INTERNAL_SERVER_ERROR"}',
      });
      expect(broken.status).toBe(500);
      expect(broken.body).toMatchObject({ name: 'INTERNAL_SERVER_ERROR' });
      expect(h.sandbox.ledger()).toHaveLength(2);
    });
  });
});

describe('PayPal sandbox: refunds', () => {
  it('refunds part, then the rest; refuses over-refunds, other currencies and fully refunded captures', async () => {
    await withSandbox({}, async (h) => {
      const { capture } = await vaultFirstPayment(h);
      const captureId = text(capture, 'id');
      const partial = await h.call(
        'POST',
        `/v2/payments/captures/${captureId}/refund`,
        { amount: { value: '4.00', currency_code: 'USD' }, note_to_payer: 'Prorated downgrade' },
        { Prefer: 'return=representation', 'PayPal-Request-Id': 'refund-1' },
      );
      expect(partial.status).toBe(201);
      expect(partial.body).toMatchObject({
        status: 'COMPLETED',
        amount: { currency_code: 'USD', value: '4.00' },
        note_to_payer: 'Prorated downgrade',
        seller_payable_breakdown: { total_refunded_amount: { value: '4.00' } },
      });
      expect(at((await h.call('GET', `/v2/payments/captures/${captureId}`)).body, 'status')).toBe('PARTIALLY_REFUNDED');

      const replay = await h.call(
        'POST',
        `/v2/payments/captures/${captureId}/refund`,
        { amount: { value: '4.00', currency_code: 'USD' } },
        { Prefer: 'return=representation', 'PayPal-Request-Id': 'refund-1' },
      );
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(partial.body);

      const tooMuch = await h.call('POST', `/v2/payments/captures/${captureId}/refund`, {
        amount: { value: '6.01', currency_code: 'USD' },
      });
      expect(tooMuch.status).toBe(422);
      expect(issueOf(tooMuch.body)).toBe('REFUND_AMOUNT_EXCEEDED');
      const euros = await h.call('POST', `/v2/payments/captures/${captureId}/refund`, {
        amount: { value: '1.00', currency_code: 'EUR' },
      });
      expect(euros.status).toBe(422);
      expect(issueOf(euros.body)).toBe('CURRENCY_MISMATCH');

      const rest = await h.call('POST', `/v2/payments/captures/${captureId}/refund`);
      expect(rest.status).toBe(201);
      const restId = text(rest.body, 'id');
      expect(rest.body).toEqual({
        id: restId,
        status: 'COMPLETED',
        links: [
          { href: `${h.base}/v2/payments/refunds/${restId}`, rel: 'self', method: 'GET' },
          { href: `${h.base}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' },
        ],
      });
      expect((await h.call('GET', `/v2/payments/refunds/${restId}`)).body).toMatchObject({
        amount: { currency_code: 'USD', value: '6.00' },
        seller_payable_breakdown: { total_refunded_amount: { value: '10.00' } },
      });
      expect(at((await h.call('GET', `/v2/payments/captures/${captureId}`)).body, 'status')).toBe('REFUNDED');
      const again = await h.call('POST', `/v2/payments/captures/${captureId}/refund`);
      expect(issueOf(again.body)).toBe('CAPTURE_FULLY_REFUNDED');
      expect((await h.call('POST', '/v2/payments/captures/NOSUCHCAPTURE0000/refund')).status).toBe(404);

      const refunded = await h.receiver.waitFor('PAYMENT.CAPTURE.REFUNDED', undefined, 2);
      expect(refunded.map((d) => at(d.event, 'resource.amount.value'))).toEqual(['4.00', '6.00']);
      expect(at(refunded[0]!.event, 'summary')).toBe('A $ 4.0 USD capture payment was refunded');
    });
  });
});

describe('PayPal sandbox: webhook signatures', () => {
  it('signs every delivery so that node:crypto verifies it against the served certificate', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the CRC-32 check value
    await withSandbox({}, async (h) => {
      const { capture } = await vaultFirstPayment(h);
      const [delivery] = await h.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', text(capture, 'id'));
      const headers = delivery!.headers;
      // Node lower-cases header names: compare with the documented delivery headers case-insensitively.
      const lowered = Object.fromEntries(
        Object.entries(sample('webhook-delivery-headers') as object).map(([k, v]) => [k.toLowerCase(), v]),
      );
      expect(shapeGaps(headers, lowered)).toEqual([]);
      expect(headers).toMatchObject({
        'content-type': 'application/json',
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': `${h.base}/__sandbox/certs/webhook.pem`,
        'paypal-transmission-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
        'paypal-transmission-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });

      const served = await fetch(String(headers['paypal-cert-url']));
      expect(served.status).toBe(200);
      const pem = await served.text();
      expect(pem).toBe(h.sandbox.certificatePem);
      const certificate = new X509Certificate(pem);
      expect(certificate.subject).toContain('CN=paypal-sandbox');
      expect(verifiesLocally(delivery!, certificate)).toBe(true);

      const tampered = Buffer.from(delivery!.raw.toString('utf8').replace('"10.00"', '"1000.00"'));
      expect(tampered.equals(delivery!.raw)).toBe(false);
      expect(verifiesLocally(delivery!, certificate, tampered)).toBe(false);

      const request = verifyRequest(delivery!);
      expect(
        shapeGaps(request, { ...(sample('verify-webhook-signature-request') as object), webhook_event: {} }),
      ).toEqual([]);
      const online = await h.call('POST', '/v1/notifications/verify-webhook-signature', request);
      expect(online.status).toBe(200);
      expect(online.body).toEqual(sample('verify-webhook-signature-response-success'));

      // The raw body spliced in as-is, which is how PayPal recommends passing it.
      const { webhook_event: _event, ...rest } = request;
      const spliced = `${JSON.stringify(rest).slice(0, -1)},"webhook_event":${delivery!.raw.toString('utf8')}}`;
      expect((await h.call('POST', '/v1/notifications/verify-webhook-signature', spliced)).body).toEqual({
        verification_status: 'SUCCESS',
      });

      const forged = await h.call(
        'POST',
        '/v1/notifications/verify-webhook-signature',
        verifyRequest(delivery!, JSON.parse(tampered.toString('utf8'))),
      );
      expect(forged.status).toBe(200);
      expect(forged.body).toEqual(sample('verify-webhook-signature-response-failure'));
      const otherWebhook = await h.call(
        'POST',
        '/v1/notifications/verify-webhook-signature',
        verifyRequest(delivery!, delivery!.event, 'ANOTHERWEBHOOK000'),
      );
      expect(otherWebhook.body).toEqual({ verification_status: 'FAILURE' });
      const documented = await h.call(
        'POST',
        '/v1/notifications/verify-webhook-signature',
        sample('verify-webhook-signature-request'),
      );
      expect(documented.body).toEqual({ verification_status: 'FAILURE' });
      const incomplete = await h.call('POST', '/v1/notifications/verify-webhook-signature', { webhook_id: WEBHOOK_ID });
      expect(incomplete.status).toBe(400);
      expect(at(incomplete.body, 'details.0.issue')).toBe('MISSING_REQUIRED_PARAMETER');
    });
  });
});

describe('PayPal sandbox: webhook delivery', () => {
  it('with duplicates and reordering on, delivers every event twice, newest first', async () => {
    const options = {
      duplicateWebhooks: true,
      reorderWebhooks: true,
      webhookDelayMs: 60_000,
      pendingCaptureDelayMs: 60_000,
    };
    await withSandbox(options, async (h) => {
      const { vaultId, capture } = await vaultFirstPayment(h);
      const renewal = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.00'));
      const renewalCaptureId = text(renewal.body, 'purchase_units.0.payments.captures.0.id');
      expect(h.receiver.deliveries).toHaveLength(0);

      await h.sandbox.deliverPendingWebhooks();
      const received = h.receiver.deliveries.map((d) => [at(d.event, 'event_type'), at(d.event, 'resource.id')]);
      expect(received).toEqual([
        ['PAYMENT.CAPTURE.COMPLETED', renewalCaptureId],
        ['PAYMENT.CAPTURE.COMPLETED', renewalCaptureId],
        ['PAYMENT.CAPTURE.PENDING', renewalCaptureId],
        ['PAYMENT.CAPTURE.PENDING', renewalCaptureId],
        ['PAYMENT.CAPTURE.COMPLETED', text(capture, 'id')],
        ['PAYMENT.CAPTURE.COMPLETED', text(capture, 'id')],
        ['VAULT.PAYMENT-TOKEN.CREATED', vaultId],
        ['VAULT.PAYMENT-TOKEN.CREATED', vaultId],
      ]);
      const certificate = new X509Certificate(h.sandbox.certificatePem);
      for (let i = 0; i < h.receiver.deliveries.length; i += 2) {
        const [one, two] = [h.receiver.deliveries[i]!, h.receiver.deliveries[i + 1]!];
        expect(at(two.event, 'id')).toBe(at(one.event, 'id'));
        expect(two.raw.equals(one.raw)).toBe(true);
        expect(two.headers['paypal-transmission-id']).not.toBe(one.headers['paypal-transmission-id']);
        expect(verifiesLocally(one, certificate) && verifiesLocally(two, certificate)).toBe(true);
      }
      expect(h.sandbox.ledger().map((e) => e.amount)).toEqual(['10.00', '5.00']);
    });
  });

  it('with reordering on, a PENDING capture completed within the delivery window is announced COMPLETED first', async () => {
    await withSandbox({ reorderWebhooks: true, webhookDelayMs: 150, pendingCaptureDelayMs: 50 }, async (h) => {
      const { vaultId } = await vaultFirstPayment(h);
      const renewal = await h.call('POST', '/v2/checkout/orders', renewalOrder(vaultId, '5.00'));
      const captureId = text(renewal.body, 'purchase_units.0.payments.captures.0.id');
      const [pending] = await h.receiver.waitFor('PAYMENT.CAPTURE.PENDING', captureId);
      const [completed] = h.receiver.of('PAYMENT.CAPTURE.COMPLETED', captureId);
      expect(completed).toBeDefined();
      expect(h.receiver.deliveries.indexOf(completed!)).toBeLessThan(h.receiver.deliveries.indexOf(pending!));
    });
  });

  it('retries a delivery the receiver failed, with the same event', async () => {
    let failures = 0;
    // The receiver fails the first two PAYMENT.CAPTURE.COMPLETED deliveries (500, then 503).
    const answer = (_index: number, event: unknown) => {
      if (at(event, 'event_type') !== 'PAYMENT.CAPTURE.COMPLETED') return 200;
      failures += 1;
      return failures === 1 ? 500 : failures === 2 ? 503 : 200;
    };
    await withSandbox(
      {},
      async (h) => {
        const { capture } = await vaultFirstPayment(h);
        const captureId = text(capture, 'id');
        const attempts = await h.receiver.waitFor('PAYMENT.CAPTURE.COMPLETED', captureId, 3);
        expect(attempts.map((d) => d.answered)).toEqual([500, 503, 200]);
        expect(new Set(attempts.map((d) => at(d.event, 'id'))).size).toBe(1);
        expect(new Set(attempts.map((d) => d.headers['paypal-transmission-id'])).size).toBe(3);
        // The receiver has answered the third attempt; the sandbox records it once it has read that answer.
        const record = await eventually('the delivery recorded as delivered', async () => {
          const found = h.sandbox.webhookLog().find((r) => r.eventType === 'PAYMENT.CAPTURE.COMPLETED');
          return found?.state === 'delivered' ? found : undefined;
        });
        expect(record).toMatchObject({
          state: 'delivered',
          attempts: [{ status: 500 }, { status: 503 }, { status: 200 }],
        });
      },
      answer,
    );
  });
});

describe('PayPal sandbox: control surface', () => {
  it('resets orders, captures and the ledger; tokens stay valid', async () => {
    await withSandbox({}, async (h) => {
      const { capture } = await vaultFirstPayment(h);
      const orderId = h.sandbox.ledger()[0]!.orderId;
      expect(h.sandbox.ledger()).toHaveLength(1);
      const reset = await fetchJson(`${h.base}/__sandbox/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      expect(h.sandbox.ledger()).toEqual([]);
      expect((await h.call('GET', `/v2/checkout/orders/${orderId}`)).status).toBe(404);
      expect((await h.call('GET', `/v2/payments/captures/${text(capture, 'id')}`)).status).toBe(404);
      expect((await h.call('POST', '/v2/checkout/orders/NOSUCHORDER000000/capture', {})).status).toBe(404);
    });
  });
});
