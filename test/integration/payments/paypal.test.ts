// PaypalProvider against the local PayPal sandbox (a separate reading of PayPal's protocol): first payment with
// vaulting, renewals, idempotent replays, the lost-response double-charge case, declines, pending captures, outages
// and OAuth token handling.
import { describe, expect, it } from '@jest/globals';
import {
  createPaypalSandbox,
  type PaypalSandbox,
  type PaypalSandboxOptions,
} from '../../../sandboxes/paypal/server.js';
import { money } from '../../../src/domain/money.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { captureRequestId } from '../../../src/payments/paypal/requestIds.js';
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeRequest,
  type PaymentMethod,
} from '../../../src/payments/provider.js';

const CLIENT_ID = 'adapter-client-id';
const CLIENT_SECRET = 'adapter-client-secret';

interface Harness {
  sandbox: PaypalSandbox;
  provider: PaypalProvider;
  /** Every request the provider made: method, path, status. */
  calls: { method: string; path: string; status: number; requestId: string | null }[];
  /** Moves the sandbox's clock (token expiry) without the provider knowing. */
  advanceSandboxClock(ms: number): void;
  newProvider(extra?: Partial<ConstructorParameters<typeof PaypalProvider>[0]>): PaypalProvider;
}

async function withSandbox(options: Partial<PaypalSandboxOptions>, run: (h: Harness) => Promise<void>): Promise<void> {
  let offset = 0;
  const sandbox = createPaypalSandbox({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    webhookDelayMs: 60_000,
    pendingCaptureDelayMs: 60_000,
    now: () => new Date(Date.now() + offset),
    ...options,
  });
  const port = await sandbox.listen(0);
  const calls: Harness['calls'] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const headers = new Headers(init?.headers);
    calls.push({
      method: init?.method ?? 'GET',
      path: new URL(String(input)).pathname,
      status: response.status,
      requestId: headers.get('PayPal-Request-Id'),
    });
    return response;
  };
  const newProvider: Harness['newProvider'] = (extra = {}) =>
    new PaypalProvider({
      baseUrl: `http://127.0.0.1:${port}`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: recordingFetch,
      ...extra,
    });
  try {
    await run({
      sandbox,
      provider: newProvider(),
      calls,
      advanceSandboxClock: (ms) => {
        offset += ms;
      },
      newProvider,
    });
  } finally {
    await sandbox.close();
  }
}

function chargeRequest(key: string, amount: number, method: PaymentMethod, currency = 'USD'): ChargeRequest {
  return {
    idempotencyKey: key,
    invoiceId: `inv_${key}`,
    invoiceNumber: `INV-${key}`,
    amount: money(amount, currency),
    description: 'Pro plan, monthly',
    method,
  };
}

const approval: PaymentMethod = {
  kind: 'paypalApproval',
  returnUrl: 'https://billing.example.com/paypal/return',
  cancelUrl: 'https://billing.example.com/paypal/cancel',
};

/** First payment end to end; returns the vault id for renewals. */
async function firstPayment(h: Harness, key = 'sub_1-2024-05-attempt-1'): Promise<string> {
  const created = await h.provider.charge(chargeRequest(key, 1000, approval));
  if (created.kind !== 'pending') throw new Error(`expected pending, got ${created.kind}`);
  h.sandbox.approve(created.providerReference);
  const { outcome, vaultId } = await h.provider.captureApprovedOrder(created.providerReference, `${key}-capture`);
  if (outcome.kind !== 'succeeded' || vaultId === null) throw new Error(`capture failed: ${JSON.stringify(outcome)}`);
  return vaultId;
}

describe('PaypalProvider: first payment and renewals', () => {
  it('creates an order for approval, refuses capture before approval, then captures and returns the vault id', async () => {
    await withSandbox({}, async (h) => {
      const created = await h.provider.charge(chargeRequest('sub_1-2024-05-attempt-1', 1000, approval));
      expect(created).toEqual({
        kind: 'pending',
        awaiting: 'buyerApproval',
        providerReference: expect.any(String),
        approvalUrl: expect.stringContaining('/checkoutnow?token='),
      });
      const orderId = created.kind === 'pending' ? created.providerReference : '';
      expect(created.kind === 'pending' && created.approvalUrl).toContain(orderId);
      expect(await h.provider.status(orderId)).toMatchObject({ kind: 'pending', awaiting: 'buyerApproval' });

      const early = await h.provider.captureApprovedOrder(orderId, 'capture-early');
      expect(early).toEqual({
        outcome: { kind: 'declined', hard: false, code: 'ORDER_NOT_APPROVED', message: expect.any(String) },
        vaultId: null,
      });
      expect(h.sandbox.ledger()).toEqual([]);

      h.sandbox.approve(orderId);
      const captured = await h.provider.captureApprovedOrder(orderId, 'capture-1');
      expect(captured.outcome).toEqual({
        kind: 'succeeded',
        providerReference: expect.any(String),
        completedAt: expect.any(Date),
      });
      expect(captured.vaultId).toEqual(expect.any(String));
      expect(h.sandbox.ledger()).toEqual([
        expect.objectContaining({ orderId, amount: '10.00', currency: 'USD', vaultId: captured.vaultId }),
      ]);
      // A capture already done under another key reads the order back instead of failing.
      const again = await h.provider.captureApprovedOrder(orderId, 'capture-2');
      expect(again).toEqual(captured);
      expect(h.sandbox.ledger()).toHaveLength(1);

      const postedIds = h.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/v2/')).map((c) => c.requestId);
      expect(postedIds).toEqual(['sub_1-2024-05-attempt-1', 'capture-early', 'capture-1', 'capture-2']);
    });
  });

  it('charges a renewal to the vault once, and a replay with the same key returns the same capture', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const request = chargeRequest('sub_1-2024-06-attempt-1', 1000, { kind: 'paypalVault', vaultId });
      const first = await h.provider.charge(request);
      expect(first).toEqual({
        kind: 'succeeded',
        providerReference: expect.any(String),
        completedAt: expect.any(Date),
      });
      const captureId = first.kind === 'succeeded' ? first.providerReference : '';
      const renewals = () => h.sandbox.ledger().filter((e) => e.requestId === request.idempotencyKey);
      expect(renewals()).toEqual([expect.objectContaining({ captureId, vaultId, amount: '10.00' })]);

      const replay = await h.provider.charge(request);
      expect(replay).toEqual(first);
      expect(renewals()).toHaveLength(1);
      expect(h.sandbox.ledger()).toHaveLength(2);
      expect(await h.provider.status(captureId)).toMatchObject({ kind: 'succeeded', providerReference: captureId });
    });
  });

  it('lost response (5.04): unavailable first, the retry with the same key succeeds with ONE ledger entry', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const request = chargeRequest('sub_1-2024-07-attempt-1', 504, { kind: 'paypalVault', vaultId });
      const first = await h.provider.charge(request);
      expect(first).toMatchObject({ kind: 'unavailable', code: 'SERVICE_UNAVAILABLE' });
      const retry = await h.provider.charge(request);
      expect(retry).toMatchObject({ kind: 'succeeded' });
      const entries = h.sandbox.ledger().filter((e) => e.amount === '5.04');
      expect(entries).toEqual([
        expect.objectContaining({
          requestId: request.idempotencyKey,
          captureId: retry.kind === 'succeeded' ? retry.providerReference : '',
        }),
      ]);
    });
  });
});

describe('PaypalProvider: a retried create-order answered 200 with the order as it is now', () => {
  /** A first payment's order, created and then approved by the buyer (whose answer we may never have recorded). */
  async function approvedOrder(h: Harness, key: string): Promise<{ request: ChargeRequest; orderId: string }> {
    const request = chargeRequest(key, 1000, approval);
    const created = await h.provider.charge(request);
    const orderId = created.kind === 'pending' ? created.providerReference : '';
    h.sandbox.approve(orderId);
    return { request, orderId };
  }
  const createAnswers = (h: Harness) =>
    h.calls.filter((c) => c.method === 'POST' && c.path === '/v2/checkout/orders').map((c) => c.status);

  it('still waiting for the buyer: pending approval with the same link, nothing captured', async () => {
    await withSandbox({}, async (h) => {
      const request = chargeRequest('sub_2-2024-05-attempt-1', 1000, approval);
      const first = await h.provider.placeOrder(request);
      const retried = await h.provider.placeOrder(request);
      expect(createAnswers(h)).toEqual([201, 200]);
      expect(retried).toEqual(first);
      expect(retried.outcome).toMatchObject({ kind: 'pending', awaiting: 'buyerApproval' });
      expect(h.sandbox.ledger()).toEqual([]);
    });
  });

  it('APPROVED since: captures it once under the capture key, saves the account, and the return path finds it captured', async () => {
    await withSandbox({}, async (h) => {
      const { request, orderId } = await approvedOrder(h, 'sub_3-2024-05-attempt-1');

      const retried = await h.provider.placeOrder(request);
      expect(createAnswers(h)).toEqual([201, 200]);
      expect(retried).toEqual({
        outcome: { kind: 'succeeded', providerReference: expect.any(String), completedAt: expect.any(Date) },
        vaultId: expect.any(String),
      });
      const captureId = retried.outcome.kind === 'succeeded' ? retried.outcome.providerReference : '';
      expect(h.sandbox.ledger()).toEqual([
        expect.objectContaining({ orderId, captureId, requestId: captureRequestId(request.idempotencyKey) }),
      ]);

      // The buyer's return wakes the workflow, which captures with the same key: the same capture, no second one.
      const returned = await h.provider.captureApprovedOrder(orderId, captureRequestId(request.idempotencyKey));
      expect(returned).toEqual(retried);
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });

  it('COMPLETED since: paid by the existing capture, with the saved account, and no capture is asked for', async () => {
    await withSandbox({}, async (h) => {
      const { request, orderId } = await approvedOrder(h, 'sub_4-2024-05-attempt-1');
      const captured = await h.provider.captureApprovedOrder(orderId, captureRequestId(request.idempotencyKey));
      const capturesBefore = h.calls.filter((c) => c.path.endsWith('/capture')).length;

      const retried = await h.provider.placeOrder(request);
      expect(createAnswers(h)).toEqual([201, 200]);
      expect(retried).toEqual(captured);
      expect(retried.outcome.kind).toBe('succeeded');
      expect(h.calls.filter((c) => c.path.endsWith('/capture'))).toHaveLength(capturesBefore);
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });

  it('a renewal captured PENDING then completed: the retry is paid by that capture, charged once', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const request = chargeRequest('sub_1-2024-08-attempt-1', 500, { kind: 'paypalVault', vaultId });
      const first = await h.provider.placeOrder(request);
      expect(first).toEqual({
        outcome: { kind: 'pending', awaiting: 'webhook', providerReference: expect.any(String) },
        vaultId: null,
      });
      await h.sandbox.deliverPendingWebhooks();

      const retried = await h.provider.placeOrder(request);
      expect(createAnswers(h).slice(-2)).toEqual([201, 200]);
      expect(retried).toEqual({
        outcome: {
          kind: 'succeeded',
          providerReference: first.outcome.kind === 'pending' ? first.outcome.providerReference : '',
          completedAt: expect.any(Date),
        },
        vaultId: null,
      });
      expect(h.sandbox.ledger().filter((e) => e.requestId === request.idempotencyKey)).toHaveLength(1);
    });
  });
});

describe('PaypalProvider: refunds (credits)', () => {
  it('refunds part of a capture, then the rest; a replayed refund refunds nothing more; an over-refund is declined', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const charged = await h.provider.charge(
        chargeRequest('refund-renewal-1', 1000, { kind: 'paypalVault', vaultId }),
      );
      const captureId = charged.kind === 'succeeded' ? charged.providerReference : '';

      const part = await h.provider.refundCapture(captureId, money(400, 'USD'), 'credit-1');
      expect(part).toEqual({ kind: 'refunded', refundId: expect.any(String), pending: false });
      const replay = await h.provider.refundCapture(captureId, money(400, 'USD'), 'credit-1');
      expect(replay).toEqual(part);
      expect(await h.provider.refundCapture(captureId, money(700, 'USD'), 'credit-2')).toMatchObject({
        kind: 'declined',
        code: 'REFUND_AMOUNT_EXCEEDED',
      });
      const rest = await h.provider.refundCapture(captureId, null, 'credit-3');
      expect(rest).toMatchObject({ kind: 'refunded' });
      expect(await h.provider.refundCapture(captureId, null, 'credit-4')).toMatchObject({
        kind: 'declined',
        code: 'CAPTURE_FULLY_REFUNDED',
      });
      expect(await h.provider.status(captureId)).toMatchObject({ kind: 'succeeded' });
      expect(h.calls.filter((c) => c.path.endsWith('/refund')).map((c) => c.requestId)).toEqual([
        'credit-1',
        'credit-1',
        'credit-2',
        'credit-3',
        'credit-4',
      ]);
    });
  });

  it('refuses a refund in KES before any call', async () => {
    await withSandbox({}, async (h) => {
      await expect(h.provider.refundCapture('CAPTURE', money(100, 'KES'), 'credit-kes')).rejects.toThrow(
        'PAYPAL cannot take payments in KES',
      );
      expect(h.calls).toHaveLength(0);
    });
  });
});

describe('PaypalProvider: declines, pending captures and outages', () => {
  it('maps 422 declines to hard and soft with PayPal issue codes; nothing is captured', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const renew = (key: string, amount: number) =>
        h.provider.charge(chargeRequest(key, amount, { kind: 'paypalVault', vaultId }));
      expect(await renew('d-1', 422)).toEqual({
        kind: 'declined',
        hard: true,
        code: 'INSTRUMENT_DECLINED',
        message: expect.any(String),
      });
      expect(await renew('d-2', 423)).toMatchObject({ kind: 'declined', hard: true, code: 'PAYER_CANNOT_PAY' });
      expect(await renew('d-3', 424)).toMatchObject({ kind: 'declined', hard: false, code: 'TRANSACTION_REFUSED' });
      expect(h.sandbox.ledger()).toHaveLength(1);
    });
  });

  it('a PENDING capture is pending (webhook) and status() reports it succeeded once PayPal completes it', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const outcome = await h.provider.charge(chargeRequest('p-1', 500, { kind: 'paypalVault', vaultId }));
      expect(outcome).toEqual({ kind: 'pending', awaiting: 'webhook', providerReference: expect.any(String) });
      const captureId = outcome.kind === 'pending' ? outcome.providerReference : '';
      expect(await h.provider.status(captureId)).toEqual(outcome);
      expect(h.sandbox.ledger()).toHaveLength(1);

      await h.sandbox.deliverPendingWebhooks();
      expect(await h.provider.status(captureId)).toEqual({
        kind: 'succeeded',
        providerReference: captureId,
        completedAt: expect.any(Date),
      });
      expect(h.sandbox.ledger().filter((e) => e.captureId === captureId)).toHaveLength(1);
    });
  });

  it('a PENDING capture that PayPal denies is a soft decline in status()', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const outcome = await h.provider.charge(chargeRequest('p-2', 501, { kind: 'paypalVault', vaultId }));
      const captureId = outcome.kind === 'pending' ? outcome.providerReference : '';
      await h.sandbox.deliverPendingWebhooks();
      expect(await h.provider.status(captureId)).toMatchObject({ kind: 'declined', hard: false });
    });
  });

  it('503 is unavailable; an unreachable PayPal and a timeout are unavailable too', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const request = chargeRequest('u-1', 503, { kind: 'paypalVault', vaultId });
      expect(await h.provider.charge(request)).toMatchObject({ kind: 'unavailable', code: 'SERVICE_UNAVAILABLE' });
      expect(await h.provider.charge(request)).toMatchObject({ kind: 'unavailable' });
      expect(h.sandbox.ledger()).toHaveLength(1);

      const down = new PaypalProvider({
        baseUrl: 'http://127.0.0.1:1',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      });
      expect(await down.charge(request)).toMatchObject({ kind: 'unavailable', code: 'NETWORK_ERROR' });

      const hanging: typeof fetch = (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      const slow = h.newProvider({ fetch: hanging, timeoutMs: 50 });
      expect(await slow.charge(request)).toMatchObject({ kind: 'unavailable', code: 'TIMEOUT' });
    });
  });
});

describe('PaypalProvider: currencies and amounts', () => {
  it('refuses KES and M-Pesa methods before any HTTP call', async () => {
    let calls = 0;
    const counting: typeof fetch = async () => {
      calls += 1;
      throw new Error('no HTTP expected');
    };
    const provider = new PaypalProvider({
      baseUrl: 'http://127.0.0.1:1',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: counting,
    });
    expect(provider.supportsCurrency('KES')).toBe(false);
    for (const c of ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'BRL', 'MYR', 'TWD', 'HUF']) {
      expect(provider.supportsCurrency(c)).toBe(true);
    }
    await expect(provider.charge(chargeRequest('k-1', 100_000, approval, 'KES'))).rejects.toBeInstanceOf(
      UnsupportedCurrencyError,
    );
    await expect(
      provider.charge(chargeRequest('k-2', 1000, { kind: 'mpesa', phone: '254708374149' })),
    ).rejects.toBeInstanceOf(InvalidPaymentMethodError);
    expect(calls).toBe(0);
  });

  it('sends JPY without decimals and USD with two', async () => {
    await withSandbox({}, async (h) => {
      const vaultId = await firstPayment(h);
      const yen = await h.provider.charge(chargeRequest('j-1', 1500, { kind: 'paypalVault', vaultId }, 'JPY'));
      expect(yen).toMatchObject({ kind: 'succeeded' });
      const dollars = await h.provider.charge(chargeRequest('j-2', 1205, { kind: 'paypalVault', vaultId }));
      expect(dollars).toMatchObject({ kind: 'succeeded' });
      expect(h.sandbox.ledger().map((e) => [e.amount, e.currency])).toEqual([
        ['10.00', 'USD'],
        ['1500', 'JPY'],
        ['12.05', 'USD'],
      ]);
    });
  });
});

describe('PaypalProvider: OAuth tokens', () => {
  const tokenCalls = (h: Harness) => h.calls.filter((c) => c.path === '/v1/oauth2/token');

  it('reuses one token, shares one token request between concurrent callers, and renews after a 401', async () => {
    await withSandbox({}, async (h) => {
      const refs = await Promise.all([h.provider.status('NOSUCH1'), h.provider.status('NOSUCH2')]);
      // Unknown orders are a final answer (404 RESOURCE_NOT_FOUND), not an outage to retry.
      expect(refs).toEqual([
        expect.objectContaining({ kind: 'declined', hard: true }),
        expect.objectContaining({ kind: 'declined', hard: true }),
      ]);
      const vaultId = await firstPayment(h);
      expect(tokenCalls(h)).toHaveLength(1);

      // The sandbox's clock passes the token's expiry; the provider still believes in it, gets 401 and renews.
      h.advanceSandboxClock(32_400_000 + 1000);
      const renewal = await h.provider.charge(chargeRequest('t-1', 1000, { kind: 'paypalVault', vaultId }));
      expect(renewal).toMatchObject({ kind: 'succeeded' });
      expect(tokenCalls(h)).toHaveLength(2);
      expect(h.calls.filter((c) => c.status === 401)).toHaveLength(1);
      expect(h.sandbox.ledger()).toHaveLength(2);
    });
  });

  it('renews a minute before expiry without waiting for a 401', async () => {
    await withSandbox({}, async (h) => {
      let offset = 0;
      const provider = h.newProvider({ now: () => new Date(Date.now() + offset) });
      await provider.status('NOSUCH1');
      await provider.status('NOSUCH2');
      expect(tokenCalls(h)).toHaveLength(1);
      offset = 32_400_000 - 30_000;
      h.advanceSandboxClock(32_400_000 + 1000);
      await provider.status('NOSUCH3');
      expect(tokenCalls(h)).toHaveLength(2);
      expect(h.calls.filter((c) => c.status === 401)).toEqual([]);
    });
  });

  it('wrong credentials: unavailable, and the secret appears in no outcome', async () => {
    await withSandbox({}, async (h) => {
      const provider = h.newProvider({ clientSecret: 'super-secret-value' });
      const outcome = await provider.charge(chargeRequest('w-1', 1000, approval));
      expect(outcome).toMatchObject({ kind: 'unavailable', code: 'AUTHENTICATION_FAILURE' });
      expect(JSON.stringify(outcome)).not.toContain('super-secret-value');
      expect(JSON.stringify(outcome)).not.toContain(Buffer.from(`${CLIENT_ID}:super-secret-value`).toString('base64'));
    });
  });
});
