// MpesaProvider against the local Daraja sandbox, over real HTTP, with a local server receiving the callbacks.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { money } from '../../../src/domain/money.js';
import { MpesaProvider, parseStkCallback } from '../../../src/payments/mpesa/MpesaProvider.js';
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeRequest,
  type PaymentMethod,
} from '../../../src/payments/provider.js';
import { createMpesaSandbox, type MpesaSandbox, type MpesaSandboxOptions } from '../../../sandboxes/mpesa/server.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SAMPLES = join(repoRoot, '..', 'shared', 'psp-samples');

const CONSUMER_KEY = 'it-consumer-key';
const CONSUMER_SECRET = 'it-consumer-secret-do-not-leak';
const PASSKEY = 'it-passkey-do-not-leak';
const SHORTCODE = '174379';

class CallbackReceiver {
  readonly bodies: unknown[] = [];
  private waiters: (() => void)[] = [];
  readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        this.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        this.bodies.push(undefined);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ResultCode":0,"ResultDesc":"Accepted"}');
      for (const w of this.waiters.splice(0)) w();
    });
  });
  port = 0;

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${this.port}/payments/mpesa/callback/s3cr3t-path-token`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async waitFor(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.bodies.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} callbacks, got ${this.bodies.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

interface Setup {
  sandbox: MpesaSandbox;
  receiver: CallbackReceiver;
  provider: MpesaProvider;
  baseUrl: string;
  calls: string[];
  oauthCalls: () => number;
  makeProvider: (overrides?: Partial<ConstructorParameters<typeof MpesaProvider>[0]>) => MpesaProvider;
}

let running: Setup | undefined;
afterEach(async () => {
  if (running) {
    await running.sandbox.close();
    await running.receiver.close();
  }
  running = undefined;
});

async function setup(
  sandboxOptions: Partial<MpesaSandboxOptions> = {},
  providerOverrides: Partial<ConstructorParameters<typeof MpesaProvider>[0]> = {},
): Promise<Setup> {
  const sandbox = createMpesaSandbox({
    consumerKey: CONSUMER_KEY,
    consumerSecret: CONSUMER_SECRET,
    passkey: PASSKEY,
    shortcode: SHORTCODE,
    // Outcomes are decided by deliverPendingCallbacks(), not by the clock.
    callbackDelayMs: 60_000,
    callbackRetryDelaysMs: [],
    ...sandboxOptions,
  });
  const receiver = new CallbackReceiver();
  const port = await sandbox.listen(0);
  const callbackUrl = await receiver.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const calls: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  const makeProvider = (overrides: Partial<ConstructorParameters<typeof MpesaProvider>[0]> = {}) =>
    new MpesaProvider({
      baseUrl,
      consumerKey: CONSUMER_KEY,
      consumerSecret: CONSUMER_SECRET,
      shortcode: SHORTCODE,
      passkey: PASSKEY,
      callbackUrl,
      fetch: countingFetch,
      timeoutMs: 5000,
      ...providerOverrides,
      ...overrides,
    });
  running = {
    sandbox,
    receiver,
    provider: makeProvider(),
    baseUrl,
    calls,
    oauthCalls: () => calls.filter((p) => p === '/oauth/v1/generate').length,
    makeProvider,
  };
  return running;
}

let invoiceSeq = 0;
function chargeRequest(phone: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  invoiceSeq += 1;
  return {
    idempotencyKey: `inv-${invoiceSeq}:attempt-1`,
    invoiceId: `inv-${invoiceSeq}`,
    invoiceNumber: `INV-2026-${String(invoiceSeq).padStart(6, '0')}`,
    amount: money(150_000, 'KES'),
    description: 'Pro plan, June 2026 subscription',
    method: { kind: 'mpesa', phone },
    ...overrides,
  };
}

describe('MpesaProvider: successful charge', () => {
  it('answers pending, the callback reports the payment, status() confirms it, and the ledger has one entry', async () => {
    const { provider, sandbox, receiver } = await setup();
    const request = chargeRequest('0712345678');
    const outcome = await provider.charge(request);
    expect(outcome).toEqual({
      kind: 'pending',
      providerReference: expect.stringMatching(/^ws_CO_/),
      awaiting: 'callback',
    });
    if (outcome.kind !== 'pending') throw new Error('unreachable');
    const checkoutRequestId = outcome.providerReference;

    // Before the customer answers, the query says "still processing".
    expect(await provider.status(checkoutRequestId, request)).toEqual({
      kind: 'pending',
      providerReference: checkoutRequestId,
      awaiting: 'callback',
    });

    await sandbox.deliverPendingCallbacks();
    await receiver.waitFor(1);
    const callback = parseStkCallback(receiver.bodies[0]);
    expect(callback).toEqual({
      checkoutRequestId,
      merchantRequestId: expect.any(String),
      resultCode: 0,
      resultDesc: expect.any(String),
      amount: 1500,
      receipt: expect.stringMatching(/^[A-Z0-9]{10}$/),
      phone: '254712345678',
      transactionDate: expect.stringMatching(/^\d{14}$/),
    });

    const confirmed = await provider.status(checkoutRequestId, request);
    expect(confirmed).toEqual({
      kind: 'succeeded',
      providerReference: checkoutRequestId,
      completedAt: expect.any(Date),
    });

    const ledger = sandbox.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      checkoutRequestId,
      phone: '254712345678',
      amount: 1500,
      receipt: callback?.receipt,
      // INV-2026-000042 → INV26000042: what the customer's prompt and the merchant's statement show.
      accountReference: request.invoiceNumber.replace(/^INV-20(\d\d)-/, 'INV$1'),
      transactionDesc: 'Pro plan,',
    });
  });

  it('gives every invoice its own AccountReference, so a merchant can reconcile the M-Pesa statement', async () => {
    const { provider, sandbox } = await setup();
    const requests = [chargeRequest('0712345601'), chargeRequest('0712345602'), chargeRequest('0712345603')];
    for (const request of requests) {
      expect((await provider.charge({ ...request, description: `Invoice ${request.invoiceNumber}` })).kind).toBe(
        'pending',
      );
    }
    await sandbox.deliverPendingCallbacks();
    const ledger = sandbox.ledger();
    expect(ledger.map((entry) => entry.accountReference)).toEqual(
      requests.map((request) => `INV26${request.invoiceNumber.slice(-6)}`),
    );
    expect(new Set(ledger.map((entry) => entry.accountReference)).size).toBe(3);
    // The description does not fit in Daraja's 13 characters: cut at a word, not into "Invoice INV-2".
    expect(ledger.map((entry) => entry.transactionDesc)).toEqual(['Invoice', 'Invoice', 'Invoice']);
  });

  it.each(['0712345678', '+254712345678', '254712345678', '+254 712 345 678', '0112345678'])(
    'accepts the phone format %s and pushes to 2547/2541XXXXXXXX',
    async (phone) => {
      const { provider, sandbox } = await setup();
      const outcome = await provider.charge(chargeRequest(phone));
      expect(outcome.kind).toBe('pending');
      await sandbox.deliverPendingCallbacks();
      const expected = phone.replace(/\s/g, '').replace(/^\+/, '').replace(/^0/, '254');
      expect(sandbox.ledger().map((e) => e.phone)).toEqual([expected]);
    },
  );
});

describe('MpesaProvider: scripted failures', () => {
  const failures: [string, string, boolean][] = [
    ['254700000032', '1032', false],
    ['254700000037', '1037', false],
    ['254700002001', '2001', false],
    ['254700000001', '1', false],
    ['254700000019', '1019', false],
    ['254700008006', '8006', true],
  ];

  it.each(failures)('phone %s: callback ResultCode %s, status() declined (hard: %s)', async (phone, code, hard) => {
    const { provider, sandbox, receiver } = await setup();
    const request = chargeRequest(phone);
    const outcome = await provider.charge(request);
    if (outcome.kind !== 'pending') throw new Error(`expected pending, got ${outcome.kind}`);
    await sandbox.deliverPendingCallbacks();
    await receiver.waitFor(1);
    expect(parseStkCallback(receiver.bodies[0])).toEqual({
      checkoutRequestId: outcome.providerReference,
      merchantRequestId: expect.any(String),
      resultCode: Number(code),
      resultDesc: expect.any(String),
    });
    expect(await provider.status(outcome.providerReference, request)).toEqual({
      kind: 'declined',
      hard,
      code,
      message: expect.any(String),
    });
    expect(sandbox.ledger()).toEqual([]);
  });

  it('maps ResultCode 17 (same amount within 2 minutes) to a soft decline', async () => {
    const { provider, sandbox } = await setup();
    const first = await provider.charge(chargeRequest('254711000017'));
    await sandbox.deliverPendingCallbacks();
    const replayRequest = chargeRequest('254711000017');
    const replay = await provider.charge(replayRequest);
    if (first.kind !== 'pending' || replay.kind !== 'pending') throw new Error('expected pending');
    await sandbox.deliverPendingCallbacks();
    expect(await provider.status(replay.providerReference, replayRequest)).toMatchObject({
      kind: 'declined',
      hard: false,
      code: '17',
    });
    expect(sandbox.ledger()).toHaveLength(1);
  });

  it('reconciles the no-callback phone through status()', async () => {
    const { provider, sandbox, receiver } = await setup();
    const request = chargeRequest('254700000404');
    const outcome = await provider.charge(request);
    if (outcome.kind !== 'pending') throw new Error('expected pending');
    await sandbox.deliverPendingCallbacks();
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.bodies).toEqual([]);
    expect(await provider.status(outcome.providerReference, request)).toEqual({
      kind: 'succeeded',
      providerReference: outcome.providerReference,
      completedAt: expect.any(Date),
    });
    expect(sandbox.ledger()).toHaveLength(1);
  });

  it('maps HTTP 500 from processrequest to unavailable with the code', async () => {
    const { provider, sandbox } = await setup();
    expect(await provider.charge(chargeRequest('254700000500'))).toEqual({
      kind: 'unavailable',
      code: '500.001.1001',
      message: expect.any(String),
    });
    expect(sandbox.ledger()).toEqual([]);
  });

  it('maps spike arrest to unavailable', async () => {
    const { provider, sandbox } = await setup();
    sandbox.script('254711000003', {
      kind: 'reject',
      status: 500,
      errorCode: '500.003.02',
      errorMessage: 'Error Occurred: Spike Arrest Violation',
    });
    expect(await provider.charge(chargeRequest('254711000003'))).toMatchObject({
      kind: 'unavailable',
      code: '500.003.02',
    });
  });

  it('maps "Unable to lock subscriber" (a prompt already open on the phone) to unavailable', async () => {
    const { provider } = await setup();
    expect((await provider.charge(chargeRequest('254711000004'))).kind).toBe('pending');
    expect(await provider.charge(chargeRequest('254711000004', { amount: money(20_000, 'KES') }))).toMatchObject({
      kind: 'unavailable',
      code: '500.001.1001',
    });
  });

  it('maps a 400 validation error to a hard decline with the code', async () => {
    const { makeProvider } = await setup();
    const wrongShortcode = makeProvider({ shortcode: '600000' });
    expect(await wrongShortcode.charge(chargeRequest('254711000005'))).toEqual({
      kind: 'declined',
      hard: true,
      code: '400.002.02',
      message: expect.any(String),
    });
  });

  it('maps a network error and a timeout to unavailable', async () => {
    const { makeProvider } = await setup();
    const unreachable = makeProvider({ baseUrl: 'http://127.0.0.1:1' });
    expect(await unreachable.charge(chargeRequest('254711000006'))).toMatchObject({
      kind: 'unavailable',
      code: 'NETWORK_ERROR',
    });
    const hanging: typeof fetch = (input, init) =>
      String(input).includes('/oauth/')
        ? fetch(input, init)
        : new Promise((_resolve, reject) => {
            init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
          });
    const slow = makeProvider({ fetch: hanging, timeoutMs: 200 });
    expect(await slow.charge(chargeRequest('254711000007'))).toMatchObject({ kind: 'unavailable', code: 'TIMEOUT' });
  });

  it('never puts secrets in outcomes when the credentials are wrong', async () => {
    const { makeProvider } = await setup();
    const wrong = makeProvider({ consumerSecret: 'wrong-secret-value' });
    const outcome = await wrong.charge(chargeRequest('254711000008'));
    expect(outcome).toMatchObject({ kind: 'unavailable', code: '400.008.01' });
    const text = JSON.stringify(outcome);
    for (const secret of ['wrong-secret-value', CONSUMER_KEY, PASSKEY]) expect(text).not.toContain(secret);
  });
});

describe('MpesaProvider: OAuth token', () => {
  it('reuses one token across charges and status queries', async () => {
    const { provider, oauthCalls } = await setup();
    const a = chargeRequest('254711000101');
    const first = await provider.charge(a);
    await provider.charge(chargeRequest('254711000102'));
    if (first.kind !== 'pending') throw new Error('expected pending');
    await provider.status(first.providerReference, a);
    expect(oauthCalls()).toBe(1);
  });

  it('shares one token request between concurrent callers', async () => {
    const { provider, oauthCalls } = await setup();
    const outcomes = await Promise.all(
      ['254711000201', '254711000202', '254711000203'].map((p) => provider.charge(chargeRequest(p))),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['pending', 'pending', 'pending']);
    expect(oauthCalls()).toBe(1);
  });

  it('fetches a new token and retries once when Daraja says it has expired (404.001.03)', async () => {
    const { provider, sandbox, oauthCalls, calls } = await setup();
    expect((await provider.charge(chargeRequest('254711000301'))).kind).toBe('pending');
    await sandbox.deliverPendingCallbacks();
    const ledger = sandbox.ledger();
    sandbox.expireTokens(); // e.g. the worker's clock is behind Daraja's
    calls.length = 0;
    expect((await provider.charge(chargeRequest('254711000302'))).kind).toBe('pending');
    expect(calls).toEqual([
      '/mpesa/stkpush/v1/processrequest',
      '/oauth/v1/generate',
      '/mpesa/stkpush/v1/processrequest',
    ]);
    expect(oauthCalls()).toBe(1);
    // The refused push charged nothing: one new entry, for the retried push.
    await sandbox.deliverPendingCallbacks();
    expect(sandbox.ledger()).toHaveLength(ledger.length + 1);
  });

  it('lets several workers each hold a token: none knocks another out', async () => {
    const { makeProvider, oauthCalls, calls } = await setup();
    const workers = [makeProvider(), makeProvider(), makeProvider()];
    for (const [i, worker] of workers.entries()) {
      expect((await worker.charge(chargeRequest(`25471100050${i}`))).kind).toBe('pending');
    }
    for (const [i, worker] of workers.entries()) {
      expect((await worker.charge(chargeRequest(`25471100051${i}`))).kind).toBe('pending');
    }
    expect(oauthCalls()).toBe(3);
    // Six pushes, six requests: no push was refused for a token another worker's renewal had replaced.
    expect(calls.filter((p) => p === '/mpesa/stkpush/v1/processrequest')).toHaveLength(6);
  });

  it('renews the token a minute before it expires', async () => {
    let nowMs = Date.parse('2026-06-01T16:35:56Z');
    const now = () => new Date(nowMs);
    const { makeProvider, oauthCalls, calls } = await setup({ now });
    const provider = makeProvider({ now });
    await provider.charge(chargeRequest('254711000401'));
    nowMs += 3_530_000; // 3530 s: more than a minute left of 3599
    await provider.charge(chargeRequest('254711000402'));
    expect(oauthCalls()).toBe(1);
    nowMs += 10_000; // 3540 s: less than a minute left
    await provider.charge(chargeRequest('254711000403'));
    expect(oauthCalls()).toBe(2);
    // Renewed ahead of time: no request was refused with an invalid token.
    expect(calls.filter((p) => p === '/mpesa/stkpush/v1/processrequest')).toHaveLength(3);
  });
});

describe('MpesaProvider: refusals before any HTTP call', () => {
  const base = (method: PaymentMethod, amount = money(100_000, 'KES')) =>
    chargeRequest('0712345678', { method, amount });

  it('supports KES only', async () => {
    const { provider, calls } = await setup();
    expect(provider.supportsCurrency('KES')).toBe(true);
    expect(provider.supportsCurrency('USD')).toBe(false);
    await expect(provider.charge(base({ kind: 'mpesa', phone: '0712345678' }, money(1000, 'USD')))).rejects.toThrow(
      UnsupportedCurrencyError,
    );
    expect(calls).toEqual([]);
  });

  it.each([
    ['cents', 150_050],
    ['one cent', 1],
    ['zero', 0],
    ['above 250 000 KES', 25_000_100],
  ])('refuses an amount that is not 1..250000 whole KES (%s)', async (_label, amount) => {
    const { provider, calls } = await setup();
    await expect(provider.charge(base({ kind: 'mpesa', phone: '0712345678' }, money(amount, 'KES')))).rejects.toThrow(
      InvalidPaymentMethodError,
    );
    expect(calls).toEqual([]);
  });

  it.each(['0812345678', '+255712345678', '12345', '', '+2547123456789', '0201234567'])(
    'refuses the phone %p',
    async (phone) => {
      const { provider, calls } = await setup();
      await expect(provider.charge(base({ kind: 'mpesa', phone }))).rejects.toThrow(InvalidPaymentMethodError);
      expect(calls).toEqual([]);
    },
  );

  it('refuses a non-M-Pesa payment method', async () => {
    const { provider, calls } = await setup();
    await expect(provider.charge(base({ kind: 'paypalVault', vaultId: 'v-1' }))).rejects.toThrow(
      InvalidPaymentMethodError,
    );
    expect(calls).toEqual([]);
  });
});

describe('parseStkCallback', () => {
  const files = readdirSync(SAMPLES).filter((f) => /^mpesa-stk-callback-.*\.json$/.test(f));

  it('finds the callback samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it.each(files)('reads %s', (file) => {
    const body: unknown = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8'));
    const raw = (body as { Body: { stkCallback: Record<string, unknown> } }).Body.stkCallback;
    const parsed = parseStkCallback(body);
    expect(parsed).not.toBeNull();
    expect(parsed).toMatchObject({
      checkoutRequestId: raw.CheckoutRequestID,
      merchantRequestId: raw.MerchantRequestID,
      resultCode: raw.ResultCode,
      resultDesc: raw.ResultDesc,
    });
    const codeInName = /-(\d+)\.json$/.exec(file);
    if (codeInName) expect(parsed?.resultCode).toBe(Number(codeInName[1]));
    if (parsed?.resultCode === 0) {
      expect(parsed.amount).toEqual(expect.any(Number));
      expect(parsed.receipt).toMatch(/^[A-Z0-9]{10}$/);
      expect(parsed.phone).toMatch(/^254\d{9}$/);
      expect(parsed.transactionDate).toMatch(/^\d{14}$/);
    } else {
      expect(parsed).not.toHaveProperty('amount');
      expect(parsed).not.toHaveProperty('receipt');
    }
  });

  it('reads the documented success sample exactly, and the Balance item without a Value', () => {
    const read = (f: string): unknown => JSON.parse(readFileSync(join(SAMPLES, f), 'utf8'));
    expect(parseStkCallback(read('mpesa-stk-callback-success.json'))).toEqual({
      checkoutRequestId: 'ws_CO_191220191020363925',
      merchantRequestId: '29115-34620561-1',
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      amount: 1,
      receipt: 'NLJ7RT61SV',
      phone: '254708374149',
      transactionDate: '20191219102115',
    });
    expect(parseStkCallback(read('mpesa-stk-callback-success-with-balance.json'))).toMatchObject({
      amount: 450,
      receipt: 'UF1E26WQJZ',
      phone: '254708374149',
      transactionDate: '20260601193604',
    });
  });

  it('reads items in any order', () => {
    const items = [
      { Name: 'PhoneNumber', Value: 254712345678 },
      { Name: 'Balance' },
      { Name: 'TransactionDate', Value: 20260601193604 },
      { Name: 'MpesaReceiptNumber', Value: 'ABC1234567' },
      { Name: 'Amount', Value: 99 },
    ];
    const body = {
      Body: {
        stkCallback: {
          MerchantRequestID: 'm',
          CheckoutRequestID: 'c',
          ResultCode: 0,
          ResultDesc: 'ok',
          CallbackMetadata: { Item: items },
        },
      },
    };
    expect(parseStkCallback(body)).toMatchObject({ amount: 99, receipt: 'ABC1234567', phone: '254712345678' });
  });

  const good = { MerchantRequestID: 'm', CheckoutRequestID: 'c', ResultCode: 1032, ResultDesc: 'x' };
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', '{"Body":{}}'],
    ['an array', []],
    ['no Body', { stkCallback: good }],
    ['no stkCallback', { Body: {} }],
    ['ResultCode as a string', { Body: { stkCallback: { ...good, ResultCode: '1032' } } }],
    ['no CheckoutRequestID', { Body: { stkCallback: { ...good, CheckoutRequestID: undefined } } }],
    ['no MerchantRequestID', { Body: { stkCallback: { ...good, MerchantRequestID: 5 } } }],
    ['no ResultDesc', { Body: { stkCallback: { ...good, ResultDesc: undefined } } }],
    ['Item not an array', { Body: { stkCallback: { ...good, CallbackMetadata: { Item: {} } } } }],
    ['an item without a Name', { Body: { stkCallback: { ...good, CallbackMetadata: { Item: [{ Value: 1 }] } } } }],
    [
      'an Amount that is not a number',
      { Body: { stkCallback: { ...good, CallbackMetadata: { Item: [{ Name: 'Amount', Value: 'lots' }] } } } },
    ],
  ])('returns null for %s', (_label, body) => {
    expect(parseStkCallback(body)).toBeNull();
  });

  it('never throws, even on hostile getters', () => {
    const hostile = {
      get Body(): unknown {
        throw new Error('boom');
      },
    };
    expect(parseStkCallback(hostile)).toBeNull();
  });
});
