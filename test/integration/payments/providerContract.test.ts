// The PaymentProvider contract, one set of cases run against both adapters over HTTP to their sandboxes: what the
// charge activity relies on must hold whichever provider collects.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { money, type Money } from '../../../src/domain/money.js';
import { MpesaProvider } from '../../../src/payments/mpesa/MpesaProvider.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentMethod,
  type PaymentProvider,
} from '../../../src/payments/provider.js';
import { createMpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { createPaypalSandbox } from '../../../sandboxes/paypal/server.js';

type Scenario = 'success' | 'hardDecline' | 'softDecline' | 'outage';

interface ContractHarness {
  provider: PaymentProvider;
  /** HTTP requests the adapter has made so far. */
  calls(): number;
  /** A request that the sandbox answers with the scenario. */
  request(scenario: Scenario, key: string): ChargeRequest;
  foreignCurrency: Money;
  foreignMethod: PaymentMethod;
  /** Lets the provider decide what is still open (the customer answers, PayPal settles). */
  settle(): Promise<void>;
  /** Money the provider actually collected for this key's charge. */
  charged(outcome: ChargeOutcome): number;
  close(): Promise<void>;
}

function contractRequest(key: string, amount: Money, method: PaymentMethod): ChargeRequest {
  return {
    idempotencyKey: key,
    invoiceId: key,
    invoiceNumber: `INV-${key}`,
    amount,
    description: 'Contract test',
    method,
  };
}

function counting(): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      count++;
      return fetch(input, init);
    },
    count: () => count,
  };
}

async function mpesaHarness(): Promise<ContractHarness> {
  const sandbox = createMpesaSandbox({
    consumerKey: 'ck',
    consumerSecret: 'cs',
    passkey: 'pk',
    callbackDelayMs: 60_000,
    // Nobody listens at the callback URL here: one quick attempt, no retries to wait out.
    callbackRetryDelaysMs: [],
    callbackTimeoutMs: 200,
  });
  const port = await sandbox.listen(0, '127.0.0.1');
  const http = counting();
  const provider = new MpesaProvider({
    baseUrl: `http://127.0.0.1:${port}`,
    consumerKey: 'ck',
    consumerSecret: 'cs',
    shortcode: '174379',
    passkey: 'pk',
    callbackUrl: 'http://127.0.0.1:9/webhooks/mpesa/contract-secret',
    fetch: http.fetch,
  });
  const phones: Record<Scenario, string> = {
    success: '0712000001',
    hardDecline: '0700008006', // PIN locked
    softDecline: '0700000032', // cancelled by the customer
    outage: '0700000500', // Daraja answers 500
  };
  let n = 0;
  return {
    provider,
    calls: http.count,
    // A different amount each time: the sandbox, like Daraja, refuses the same phone and amount within 2 minutes.
    request: (scenario, key) =>
      contractRequest(key, money(100_000 + 100 * n++, 'KES'), { kind: 'mpesa', phone: phones[scenario] }),
    foreignCurrency: money(1_000, 'USD'),
    foreignMethod: { kind: 'paypalVault', vaultId: 'VAULT' },
    settle: () => sandbox.deliverPendingCallbacks(),
    charged: (outcome) =>
      sandbox
        .ledger()
        .filter((entry) => 'providerReference' in outcome && entry.checkoutRequestId === outcome.providerReference)
        .reduce((sum, entry) => sum + entry.amount * 100, 0),
    close: () => sandbox.close(),
  };
}

async function paypalHarness(): Promise<ContractHarness> {
  const sandbox = createPaypalSandbox({ clientId: 'id', clientSecret: 'secret', pendingCaptureDelayMs: 60_000 });
  const port = await sandbox.listen(0, '127.0.0.1');
  const http = counting();
  const provider = new PaypalProvider({
    baseUrl: `http://127.0.0.1:${port}`,
    clientId: 'id',
    clientSecret: 'secret',
    fetch: http.fetch,
  });
  // A saved account from a first payment the buyer approved: renewals are what the contract charges.
  const first = await provider.charge({
    idempotencyKey: 'contract-first',
    invoiceId: 'first',
    invoiceNumber: 'INV-first',
    amount: money(1_000, 'USD'),
    description: 'First payment',
    method: { kind: 'paypalApproval', returnUrl: 'https://example.test/r', cancelUrl: 'https://example.test/c' },
  });
  if (first.kind !== 'pending') throw new Error('expected an order waiting for approval');
  sandbox.approve(first.providerReference);
  const { vaultId } = await provider.captureApprovedOrder(first.providerReference, 'contract-first-capture');
  const amounts: Record<Scenario, number> = {
    success: 1_999,
    hardDecline: 422, // INSTRUMENT_DECLINED
    softDecline: 424, // TRANSACTION_REFUSED
    outage: 503, // 503 SERVICE_UNAVAILABLE
  };
  return {
    provider,
    calls: http.count,
    request: (scenario, key) =>
      contractRequest(key, money(amounts[scenario], 'USD'), { kind: 'paypalVault', vaultId: vaultId! }),
    foreignCurrency: money(100_000, 'KES'),
    foreignMethod: { kind: 'mpesa', phone: '0712345678' },
    settle: () => sandbox.deliverPendingWebhooks(),
    charged: (outcome) =>
      sandbox
        .ledger()
        .filter((entry) => 'providerReference' in outcome && entry.captureId === outcome.providerReference)
        .reduce((sum, entry) => sum + Math.round(Number(entry.amount) * 100), 0),
    close: () => sandbox.close(),
  };
}

/** Charges, lets the provider decide, and asks where the charge stands: what the charge activity does. */
async function decided(h: ContractHarness, request: ChargeRequest): Promise<ChargeOutcome> {
  const outcome = await h.provider.charge(request);
  if (outcome.kind !== 'pending') return outcome;
  await h.settle();
  return h.provider.status(outcome.providerReference, request);
}

describe.each([
  ['M-Pesa', mpesaHarness],
  ['PayPal', paypalHarness],
])('PaymentProvider contract: %s', (_name, makeHarness) => {
  let h: ContractHarness;
  beforeAll(async () => {
    h = await makeHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('collects a charge that succeeds: succeeded with a reference, the full amount collected once', async () => {
    const request = h.request('success', 'contract-success');
    const outcome = await decided(h, request);
    expect(outcome).toMatchObject({ kind: 'succeeded', providerReference: expect.any(String) });
    expect(h.charged(outcome)).toBe(request.amount.amount);
    // Asking again is only a question: nothing more is collected.
    const again = await h.provider.status((outcome as { providerReference: string }).providerReference, request);
    expect(again.kind).toBe('succeeded');
    expect(h.charged(outcome)).toBe(request.amount.amount);
  });

  it('reports a hard decline as hard, with the provider code', async () => {
    const outcome = await decided(h, h.request('hardDecline', 'contract-hard'));
    expect(outcome).toMatchObject({ kind: 'declined', hard: true, code: expect.stringMatching(/\w/) });
  });

  it('reports a soft decline as soft, with the provider code', async () => {
    const outcome = await decided(h, h.request('softDecline', 'contract-soft'));
    expect(outcome).toMatchObject({ kind: 'declined', hard: false, code: expect.stringMatching(/\w/) });
  });

  it('reports a provider failure as unavailable (retry later), not as a decline', async () => {
    const outcome = await h.provider.charge(h.request('outage', 'contract-outage'));
    expect(outcome).toMatchObject({ kind: 'unavailable', code: expect.stringMatching(/\w/) });
  });

  it('refuses a currency or a payment method it cannot take before any HTTP call', async () => {
    const before = h.calls();
    const request = h.request('success', 'contract-refused');
    await expect(h.provider.charge({ ...request, amount: h.foreignCurrency })).rejects.toBeInstanceOf(
      UnsupportedCurrencyError,
    );
    await expect(h.provider.charge({ ...request, method: h.foreignMethod })).rejects.toBeInstanceOf(
      InvalidPaymentMethodError,
    );
    expect(h.calls()).toBe(before);
  });
});
