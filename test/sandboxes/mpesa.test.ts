import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { until } from '../support/eventually.js';
import {
  CONSUMER_KEY,
  CONSUMER_SECRET,
  fakeClock,
  password,
  pushRequest,
  SAMPLE_PASSWORD,
  SAMPLE_TIMESTAMP,
  SHORTCODE,
  startHarness,
  TEST_PHONE,
  type Harness,
} from './mpesaHarness.js';

/** 16:35:56.196 UTC is 19:35:56.196 in East Africa Time. */
const START = '2026-06-01T16:35:56.196Z';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

/** CallbackMetadata items by name, for one stkCallback object. */
function itemsOf(callback: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const metadata = callback.CallbackMetadata as { Item: Record<string, unknown>[] };
  return new Map(metadata.Item.map((item) => [item.Name as string, item]));
}

const errorShape = (errorCode: string, errorMessage: string) => ({
  requestId: expect.any(String),
  errorCode,
  errorMessage,
});

describe('M-Pesa sandbox: OAuth', () => {
  it('issues a token with expires_in as the string "3599" for the right Basic credentials', async () => {
    const { client } = await start();
    const { status, body } = await client.getToken();
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in']);
    expect(body.expires_in).toBe('3599');
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{28}$/);
  });

  it('answers 400 400.008.01 for a wrong secret, a wrong key or no credentials, and 400.008.02 for a bad grant_type', async () => {
    const { client, baseUrl } = await start();
    expect(await client.getToken(CONSUMER_KEY, 'nope')).toEqual({
      status: 400,
      body: { requestId: '', errorCode: '400.008.01', errorMessage: 'Invalid Authentication passed' },
    });
    expect((await client.getToken('nope', CONSUMER_SECRET)).body.errorCode).toBe('400.008.01');
    const bare = await fetch(`${baseUrl}/oauth/v1/generate?grant_type=client_credentials`);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual(errorShape('400.008.01', 'Invalid Authentication passed'));
    expect(await client.getToken(CONSUMER_KEY, CONSUMER_SECRET, 'password')).toEqual({
      status: 400,
      body: { requestId: '', errorCode: '400.008.02', errorMessage: 'Invalid grant type passed' },
    });
  });

  it('keeps every token valid until it expires, however many are issued after it (several workers, one app)', async () => {
    const { client, receiver } = await start();
    const first = await client.token();
    const second = await client.token();
    expect(second).not.toBe(first);
    expect((await client.push(first, pushRequest(receiver.url()))).status).toBe(200);
    expect((await client.push(second, pushRequest(receiver.url(), { PhoneNumber: '254711000009' }))).status).toBe(200);
    expect((await client.query(first, 'ws_CO_unknown')).body.errorCode).toBe('400.002.02');
  });

  it('expires every token issued so far on expireTokens() and POST /__sandbox/expire-tokens', async () => {
    const { client, sandbox, baseUrl } = await start();
    const first = await client.token();
    sandbox.expireTokens();
    expect((await client.query(first, 'ws_CO_unknown')).body).toEqual(errorShape('404.001.03', 'Invalid Access Token'));
    const second = await client.token();
    expect((await client.query(second, 'ws_CO_unknown')).body.errorCode).toBe('400.002.02');
    const expired = await fetch(`${baseUrl}/__sandbox/expire-tokens`, { method: 'POST' });
    expect(expired.status).toBe(200);
    expect((await client.query(second, 'ws_CO_unknown')).status).toBe(404);
    expect((await client.query(await client.token(), 'ws_CO_unknown')).body.errorCode).toBe('400.002.02');
  });

  it('expires a token after tokenTtlSeconds of the injected clock', async () => {
    const clock = fakeClock(START);
    const { client, receiver } = await start({ now: clock.now });
    const token = await client.token();
    clock.advanceSeconds(3598);
    expect((await client.query(token, 'ws_CO_unknown')).body.errorCode).toBe('400.002.02');
    clock.advanceSeconds(1);
    expect(await client.push(token, pushRequest(receiver.url()))).toEqual({
      status: 404,
      body: errorShape('404.001.03', 'Invalid Access Token'),
    });
    expect((await client.query(token, 'ws_CO_unknown')).body.errorCode).toBe('404.001.03');
  });

  it('honours a custom tokenTtlSeconds in expires_in', async () => {
    const { client } = await start({ tokenTtlSeconds: 60 });
    expect((await client.getToken()).body.expires_in).toBe('60');
  });

  it('answers 404.001.04 without a Bearer header and 404.001.03 for an unknown token', async () => {
    const { client, receiver } = await start();
    await client.token();
    expect(await client.push(undefined, pushRequest(receiver.url()))).toEqual({
      status: 404,
      body: errorShape('404.001.04', 'Invalid Authentication Header'),
    });
    expect((await client.push('made-up-token', pushRequest(receiver.url()))).body.errorCode).toBe('404.001.03');
  });
});

describe('M-Pesa sandbox: STK Push validation', () => {
  it("accepts the documented sample's Password and answers the documented response", async () => {
    const clock = fakeClock(START);
    const { client, receiver } = await start({ now: clock.now });
    expect(SAMPLE_PASSWORD).toBe(password(SAMPLE_TIMESTAMP));
    const { status, body } = await client.push(await client.token(), pushRequest(receiver.url()));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual([
      'MerchantRequestID',
      'CheckoutRequestID',
      'ResponseCode',
      'ResponseDescription',
      'CustomerMessage',
    ]);
    expect(body).toEqual({
      MerchantRequestID: expect.stringMatching(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\d{7}$/),
      // ws_CO_ + DDMMYYYYHHmmssSSS (East Africa Time) + the last nine digits of the phone, as in live traffic.
      CheckoutRequestID: 'ws_CO_01062026193556196708374149',
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    });
  });

  it('rejects a Password built from another passkey, another timestamp or another shortcode as "Wrong credentials"', async () => {
    const { client, receiver } = await start();
    const token = await client.token();
    const wrong = [
      password(SAMPLE_TIMESTAMP, 'not-the-passkey'),
      password('20210628092409'),
      password(SAMPLE_TIMESTAMP, undefined, '600000'),
      Buffer.from(`${SHORTCODE}${SAMPLE_TIMESTAMP}`).toString('base64'),
    ];
    for (const Password of wrong) {
      expect(await client.push(token, pushRequest(receiver.url(), { Password }))).toEqual({
        status: 500,
        body: errorShape('500.001.1001', 'Wrong credentials'),
      });
    }
    // A fresh timestamp with its own password is fine: the timestamp is not pinned to the sample.
    const ok = await client.push(
      token,
      pushRequest(receiver.url(), { Timestamp: '20260601193556', Password: password('20260601193556') }),
    );
    expect(ok.status).toBe(200);
    expect(harness?.sandbox.ledger()).toEqual([]);
  });

  const invalid: [field: string, value: unknown, message: string][] = [
    ['BusinessShortCode', '600000', 'BusinessShortCode'],
    ['BusinessShortCode', undefined, 'BusinessShortCode'],
    ['Timestamp', '2021-06-28 09:24', 'Timestamp'],
    ['Timestamp', '20211328092408', 'Timestamp'],
    ['Timestamp', '20210230092408', 'Timestamp'],
    ['Password', '', 'Password'],
    ['TransactionType', 'CustomerBuyGoodsOnline', 'TransactionType'],
    ['TransactionType', undefined, 'TransactionType'],
    ['Amount', 0, 'Amount'],
    ['Amount', '0', 'Amount'],
    ['Amount', 250001, 'Amount'],
    ['Amount', 1.5, 'Amount'],
    ['Amount', '10.50', 'Amount'],
    ['Amount', -5, 'Amount'],
    ['Amount', 'ten', 'Amount'],
    ['Amount', undefined, 'Amount'],
    ['PartyA', '0708374149', 'PartyA'],
    ['PartyA', '254808374149', 'PartyA'],
    ['PartyB', '600000', 'PartyB'],
    ['PhoneNumber', '+254708374149', 'PhoneNumber'],
    ['PhoneNumber', '25470837414', 'PhoneNumber'],
    ['PhoneNumber', '2547083741490', 'PhoneNumber'],
    ['PhoneNumber', '254208374149', 'PhoneNumber'],
    ['CallBackURL', 'ftp://example.com/cb', 'CallBackURL'],
    ['CallBackURL', 'mydomain.com/mpesa/callback', 'CallBackURL'],
    ['CallBackURL', '', 'CallBackURL'],
    ['AccountReference', 'SUB-000123456', 'AccountReference'],
    ['AccountReference', '', 'AccountReference'],
    ['TransactionDesc', 'Monthly plan X', 'TransactionDesc'],
    ['TransactionDesc', undefined, 'TransactionDesc'],
  ];

  it.each(invalid)('rejects %s = %j with 400 400.002.02', async (field, value, message) => {
    const { client, receiver, sandbox } = await start();
    const request = pushRequest(receiver.url(), { PartyA: TEST_PHONE });
    if (value === undefined) delete request[field];
    else request[field] = value;
    expect(await client.push(await client.token(), request)).toEqual({
      status: 400,
      body: errorShape('400.002.02', `Bad Request - Invalid ${message}`),
    });
    await sandbox.deliverPendingCallbacks();
    expect(receiver.received).toEqual([]);
  });

  it('matches the documented invalid-phone error exactly', async () => {
    const { client, receiver } = await start();
    const { status, body } = await client.push(
      await client.token(),
      pushRequest(receiver.url(), { PhoneNumber: '0708374149' }),
    );
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['requestId', 'errorCode', 'errorMessage']);
    expect(body).toEqual(errorShape('400.002.02', 'Bad Request - Invalid PhoneNumber'));
  });

  it('accepts the boundaries: Amount 1 and 250000 (number or string), 2541 phones, 12-char reference, 13-char desc', async () => {
    const { client, receiver } = await start();
    const token = await client.token();
    const accepted: Record<string, unknown>[] = [
      { Amount: 1, PhoneNumber: '254711000001', PartyA: '254711000001' },
      { Amount: '250000', PhoneNumber: '254711000002', PartyA: '254711000002' },
      { Amount: 250000, PhoneNumber: '254110000003', PartyA: '254110000003' },
      { PhoneNumber: 254711000004, PartyA: 254711000004, BusinessShortCode: 174379, PartyB: 174379 },
      { AccountReference: 'SUB-00012345', TransactionDesc: 'Monthly plan!', PhoneNumber: '254711000005' },
      { CallBackURL: 'https://mydomain.com/mpesa/callback/3f9c2e7a', PhoneNumber: '254711000006' },
    ];
    for (const overrides of accepted) {
      const { status, body } = await client.push(token, pushRequest(receiver.url(), overrides));
      expect({ status, ResponseCode: body.ResponseCode }).toEqual({ status: 200, ResponseCode: '0' });
    }
  });

  it('answers 400.002.05 for a body that is not JSON', async () => {
    const { client } = await start();
    expect(await client.post('/mpesa/stkpush/v1/processrequest', await client.token(), '{"Amount":')).toEqual({
      status: 400,
      body: errorShape('400.002.05', 'Invalid Request Payload'),
    });
  });
});

describe('M-Pesa sandbox: callbacks and STK Query', () => {
  it('posts a success callback whose shape and types match the documented sample, then charges once', async () => {
    const clock = fakeClock(START);
    const { client, receiver, sandbox } = await start({ now: clock.now, random: () => 0 });
    const token = await client.token();
    const push = await client.push(token, pushRequest(receiver.url(), { Amount: 450 }));
    const checkoutId = push.body.CheckoutRequestID as string;
    clock.advanceSeconds(8);
    await sandbox.deliverPendingCallbacks();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.path).toBe('/mpesa/callback/3f9c2e7a');
    expect(delivery?.contentType).toBe('application/json');
    const envelope = delivery?.body as { Body: { stkCallback: Record<string, unknown> } };
    expect(Object.keys(envelope)).toEqual(['Body']);
    expect(Object.keys(envelope.Body)).toEqual(['stkCallback']);
    const callback = envelope.Body.stkCallback;
    expect(Object.keys(callback)).toEqual([
      'MerchantRequestID',
      'CheckoutRequestID',
      'ResultCode',
      'ResultDesc',
      'CallbackMetadata',
    ]);
    expect(callback.MerchantRequestID).toBe(push.body.MerchantRequestID);
    expect(callback.CheckoutRequestID).toBe(checkoutId);
    expect(callback.ResultCode).toBe(0);
    expect(callback.ResultDesc).toBe('The service request is processed successfully.');

    // random() = 0: Balance is included and Fisher-Yates with j = 0 moves Amount to the end.
    const item = (callback.CallbackMetadata as { Item: Record<string, unknown>[] }).Item;
    expect(item.map((i) => i.Name)).toEqual([
      'MpesaReceiptNumber',
      'TransactionDate',
      'PhoneNumber',
      'Balance',
      'Amount',
    ]);
    const items = itemsOf(callback);
    expect(items.get('Amount')).toEqual({ Name: 'Amount', Value: 450 });
    expect(items.get('Balance')).toEqual({ Name: 'Balance' });
    const receipt = items.get('MpesaReceiptNumber')?.Value;
    expect(receipt).toEqual(expect.stringMatching(/^[A-Z][A-Z0-9]{9}$/));
    // 16:36:04.196 UTC = 19:36:04 EAT, as a NUMBER.
    expect(items.get('TransactionDate')).toEqual({ Name: 'TransactionDate', Value: 20260601193604 });
    expect(items.get('PhoneNumber')).toEqual({ Name: 'PhoneNumber', Value: 254708374149 });
    expect(delivery?.raw).toContain('"Value":20260601193604');
    expect(delivery?.raw).toContain('"Value":254708374149');

    expect(sandbox.ledger()).toEqual([
      {
        checkoutRequestId: checkoutId,
        merchantRequestId: push.body.MerchantRequestID,
        phone: TEST_PHONE,
        amount: 450,
        accountReference: 'SUB-000123',
        transactionDesc: 'Monthly plan',
        receipt,
        completedAt: '2026-06-01T16:36:04.196Z',
      },
    ]);

    const query = await client.query(token, checkoutId);
    expect(query.status).toBe(200);
    expect(Object.keys(query.body)).toEqual([
      'ResponseCode',
      'ResponseDescription',
      'MerchantRequestID',
      'CheckoutRequestID',
      'ResultCode',
      'ResultDesc',
    ]);
    expect(query.body).toEqual({
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successsfully',
      MerchantRequestID: push.body.MerchantRequestID,
      CheckoutRequestID: checkoutId,
      ResultCode: '0',
      ResultDesc: 'The service request is processed successfully.',
    });
  });

  it('leaves Balance out when scripted so, and shuffles the metadata items', async () => {
    let draw = 0;
    const draws = [0.9, 0.9, 0.9];
    const { client, receiver, sandbox } = await start({ random: () => draws[draw++ % draws.length] as number });
    sandbox.script(TEST_PHONE, { kind: 'result', resultCode: 0, balance: false });
    const push = await client.push(await client.token(), pushRequest(receiver.url()));
    await sandbox.deliverPendingCallbacks();
    const [callback] = receiver.callbacksFor(push.body.CheckoutRequestID as string);
    const names = (callback?.CallbackMetadata as { Item: { Name: string }[] }).Item.map((i) => i.Name);
    // random() = 0.9 picks j = i for every i: the documented order survives.
    expect(names).toEqual(['Amount', 'MpesaReceiptNumber', 'TransactionDate', 'PhoneNumber']);
    expect(itemsOf(callback!).get('Amount')).toEqual({ Name: 'Amount', Value: 1 });
  });

  it('sends the callback by itself after callbackDelayMs', async () => {
    const { client, receiver, sandbox } = await start({ callbackDelayMs: 50 });
    const push = await client.push(await client.token(), pushRequest(receiver.url()));
    const deadline = Date.now() + 5000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(receiver.callbacksFor(push.body.CheckoutRequestID as string)).toHaveLength(1);
    expect(sandbox.ledger()).toHaveLength(1);
  });

  it('answers "The transaction is being processed" to a query before the outcome is decided', async () => {
    const { client, receiver, sandbox } = await start();
    const token = await client.token();
    const push = await client.push(token, pushRequest(receiver.url()));
    const checkoutId = push.body.CheckoutRequestID as string;
    expect(await client.query(token, checkoutId)).toEqual({
      status: 500,
      body: { requestId: checkoutId, errorCode: '500.001.1001', errorMessage: 'The transaction is being processed' },
    });
    await sandbox.deliverPendingCallbacks();
    expect((await client.query(token, checkoutId)).body.ResultCode).toBe('0');
  });

  it('answers 400.002.02 to a query for an unknown CheckoutRequestID and "Wrong credentials" to a bad Password', async () => {
    const { client } = await start();
    const token = await client.token();
    expect(await client.query(token, 'ws_CO_01062026193556196708374149')).toEqual({
      status: 400,
      body: errorShape('400.002.02', 'Bad Request - Invalid CheckoutRequestID'),
    });
    const badPassword = await client.post('/mpesa/stkpushquery/v1/query', token, {
      BusinessShortCode: SHORTCODE,
      Password: password(SAMPLE_TIMESTAMP, 'other-passkey'),
      Timestamp: SAMPLE_TIMESTAMP,
      CheckoutRequestID: 'ws_CO_01062026193556196708374149',
    });
    expect(badPassword).toEqual({ status: 500, body: errorShape('500.001.1001', 'Wrong credentials') });
  });

  const failures: [phone: string, code: number, desc: string][] = [
    ['254700000032', 1032, 'Request cancelled by user'],
    ['254700000037', 1037, 'DS timeout user cannot be reached'],
    ['254700002001', 2001, 'The initiator information is invalid.'],
    ['254700000001', 1, 'The balance is insufficient for the transaction.'],
    ['254700000019', 1019, 'Transaction has expired'],
    ['254700008006', 8006, 'The security credential is locked'],
  ];

  it.each(failures)('phone %s ends with ResultCode %d and charges nothing', async (phone, code, desc) => {
    const { client, receiver, sandbox } = await start();
    const token = await client.token();
    const push = await client.push(token, pushRequest(receiver.url(), { PhoneNumber: phone, PartyA: phone }));
    expect(push.status).toBe(200);
    const checkoutId = push.body.CheckoutRequestID as string;
    await sandbox.deliverPendingCallbacks();

    const [callback, ...more] = receiver.callbacksFor(checkoutId);
    expect(more).toEqual([]);
    expect(callback).toEqual({
      MerchantRequestID: push.body.MerchantRequestID,
      CheckoutRequestID: checkoutId,
      ResultCode: code,
      ResultDesc: desc,
    });
    expect(Object.keys(callback!)).not.toContain('CallbackMetadata');
    expect(typeof callback!.ResultCode).toBe('number');

    const query = await client.query(token, checkoutId);
    expect(query).toEqual({
      status: 200,
      body: {
        ResponseCode: '0',
        ResponseDescription: 'The service request has been accepted successsfully',
        MerchantRequestID: push.body.MerchantRequestID,
        CheckoutRequestID: checkoutId,
        ResultCode: String(code),
        ResultDesc: desc,
      },
    });
    expect(sandbox.ledger()).toEqual([]);
  });

  it('charges 254700000404 but never sends its callback; STK Query still answers the outcome', async () => {
    const { client, receiver, sandbox } = await start();
    const token = await client.token();
    const phone = '254700000404';
    const push = await client.push(token, pushRequest(receiver.url(), { PhoneNumber: phone, PartyA: phone }));
    const checkoutId = push.body.CheckoutRequestID as string;
    await sandbox.deliverPendingCallbacks();
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toEqual([]);
    expect(sandbox.deliveries()).toEqual([]);
    expect((await client.query(token, checkoutId)).body).toMatchObject({
      ResultCode: '0',
      CheckoutRequestID: checkoutId,
    });
    expect(sandbox.ledger().map((e) => [e.checkoutRequestId, e.phone, e.amount])).toEqual([[checkoutId, phone, 1]]);
  });

  it('sends a callbackLateMs callback after STK Query already answers the outcome', async () => {
    const { client, receiver, sandbox } = await start({ callbackDelayMs: 0 });
    sandbox.script(TEST_PHONE, { kind: 'result', resultCode: 0, callbackLateMs: 60_000 });
    const token = await client.token();
    const push = await client.push(token, pushRequest(receiver.url()));
    const checkoutId = push.body.CheckoutRequestID as string;
    // Decided at once (callbackDelayMs 0): the query knows, the callback has not left.
    await until(async () => {
      expect(await client.query(token, checkoutId)).toMatchObject({ status: 200, body: { ResultCode: '0' } });
    });
    expect(receiver.received).toEqual([]);
    // deliverPendingCallbacks() cuts the lateness short and waits for the delivery.
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(checkoutId).map((callback) => callback.ResultCode)).toEqual([0]);
  });

  it('answers HTTP 500 to a push for 254700000500 and opens no prompt', async () => {
    const { client, receiver, sandbox } = await start();
    const phone = '254700000500';
    const push = await client.push(await client.token(), pushRequest(receiver.url(), { PhoneNumber: phone }));
    expect(push).toEqual({ status: 500, body: errorShape('500.001.1001', 'Internal Server Error') });
    await sandbox.deliverPendingCallbacks();
    expect(receiver.received).toEqual([]);
    expect(sandbox.ledger()).toEqual([]);
  });

  it('answers "Unable to lock subscriber" to a second push while the first prompt is open', async () => {
    const { client, receiver, sandbox } = await start();
    const token = await client.token();
    const first = await client.push(token, pushRequest(receiver.url(), { Amount: 100 }));
    expect(first.status).toBe(200);
    const second = await client.push(token, pushRequest(receiver.url(), { Amount: 200 }));
    expect(second).toEqual({
      status: 500,
      body: errorShape(
        '500.001.1001',
        'Unable to lock subscriber, a transaction is already in process for the current subscriber',
      ),
    });
    // Another phone is not locked.
    const other = await client.push(
      token,
      pushRequest(receiver.url(), { PhoneNumber: '254711000009', PartyA: '254711000009' }),
    );
    expect(other.status).toBe(200);
    await sandbox.deliverPendingCallbacks();
    // Once the first prompt is answered, the phone takes a new push.
    expect((await client.push(token, pushRequest(receiver.url(), { Amount: 200 }))).status).toBe(200);
    await sandbox.deliverPendingCallbacks();
    expect(sandbox.ledger().map((e) => [e.phone, e.amount])).toEqual([
      [TEST_PHONE, 100],
      ['254711000009', 1],
      [TEST_PHONE, 200],
    ]);
  });
});

describe('M-Pesa sandbox: scripting, ledger and replays', () => {
  it('lets script() override the outcome by phone or amount, and remove the override again', async () => {
    const { client, receiver, sandbox } = await start();
    const token = await client.token();
    sandbox.script('254711000001', { kind: 'result', resultCode: 1032 });
    sandbox.script({ amount: 777 }, { kind: 'result', resultCode: 1, resultDesc: 'Custom insufficient' });
    sandbox.script('254711000003', {
      kind: 'reject',
      status: 500,
      errorCode: '500.003.02',
      errorMessage: 'Error Occurred: Spike Arrest Violation',
    });
    sandbox.script('254700000032', { kind: 'result', resultCode: 0, balance: false });

    const byPhone = await client.push(token, pushRequest(receiver.url(), { PhoneNumber: '254711000001' }));
    const byAmount = await client.push(
      token,
      pushRequest(receiver.url(), { PhoneNumber: '254711000002', Amount: 777 }),
    );
    const rejected = await client.push(token, pushRequest(receiver.url(), { PhoneNumber: '254711000003' }));
    const overridden = await client.push(token, pushRequest(receiver.url(), { PhoneNumber: '254700000032' }));
    expect(rejected).toEqual({
      status: 500,
      body: errorShape('500.003.02', 'Error Occurred: Spike Arrest Violation'),
    });
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(byPhone.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(1032);
    expect(receiver.callbacksFor(byAmount.body.CheckoutRequestID as string)[0]).toMatchObject({
      ResultCode: 1,
      ResultDesc: 'Custom insufficient',
    });
    expect(receiver.callbacksFor(overridden.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(0);

    sandbox.script('254711000001', null);
    const again = await client.push(
      token,
      pushRequest(receiver.url(), { PhoneNumber: '254711000001', PartyA: '254711000001', Amount: 5 }),
    );
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(again.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(0);
    expect(sandbox.ledger().map((e) => e.phone)).toEqual(['254700000032', '254711000001']);
  });

  it('scripts outcomes over HTTP too', async () => {
    const { client, receiver, sandbox, baseUrl } = await start();
    const scripted = await fetch(`${baseUrl}/__sandbox/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: TEST_PHONE, outcome: { kind: 'result', resultCode: 1037 } }),
    });
    expect(scripted.status).toBe(200);
    const push = await client.push(await client.token(), pushRequest(receiver.url()));
    const delivered = await fetch(`${baseUrl}/__sandbox/deliver`, { method: 'POST' });
    expect(delivered.status).toBe(200);
    expect(receiver.callbacksFor(push.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(1037);
    expect(sandbox.ledger()).toEqual([]);
  });

  it('keeps one ledger entry per successful charge and none for failures, over HTTP as well', async () => {
    const { client, receiver, sandbox, baseUrl } = await start();
    const token = await client.token();
    const phones = ['254711000001', '254700000032', '254711000002', '254700000001', '254110000003'];
    const pushes = [];
    for (const [i, phone] of phones.entries()) {
      const response = await client.push(
        token,
        pushRequest(receiver.url(), {
          PhoneNumber: phone,
          PartyA: phone,
          Amount: 100 + i,
          AccountReference: `ACC-${i}`,
        }),
      );
      pushes.push(response.body);
    }
    await sandbox.deliverPendingCallbacks();
    await sandbox.deliverPendingCallbacks();

    const ledger = sandbox.ledger();
    expect(ledger.map((e) => [e.phone, e.amount, e.accountReference])).toEqual([
      ['254711000001', 100, 'ACC-0'],
      ['254711000002', 102, 'ACC-2'],
      ['254110000003', 104, 'ACC-4'],
    ]);
    expect(ledger.map((e) => e.checkoutRequestId)).toEqual([
      pushes[0]?.CheckoutRequestID,
      pushes[2]?.CheckoutRequestID,
      pushes[4]?.CheckoutRequestID,
    ]);
    expect(new Set(ledger.map((e) => e.receipt)).size).toBe(3);
    for (const entry of ledger) {
      const [callback] = receiver.callbacksFor(entry.checkoutRequestId);
      expect(itemsOf(callback!).get('MpesaReceiptNumber')?.Value).toBe(entry.receipt);
      expect(callback!.MerchantRequestID).toBe(entry.merchantRequestId);
    }
    const overHttp = await fetch(`${baseUrl}/__sandbox/ledger`);
    expect(await overHttp.json()).toEqual(ledger);
  });

  it('retries a callback the receiver refuses, with the same body, and still charges once', async () => {
    const { client, receiver, sandbox } = await start();
    receiver.failNext(2, 503);
    const push = await client.push(await client.token(), pushRequest(receiver.url()));
    const checkoutId = push.body.CheckoutRequestID as string;
    await sandbox.deliverPendingCallbacks();
    await sandbox.deliverPendingCallbacks();

    const deliveries = receiver.received.filter((r) => r.raw.includes(checkoutId));
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.raw)).size).toBe(1);
    expect(sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(sandbox.ledger()).toHaveLength(1);
    expect(sandbox.ledger()[0]?.checkoutRequestId).toBe(checkoutId);
  });

  it('retries when the callback URL does not answer, then gives up; the charge stands exactly once', async () => {
    const { client, sandbox } = await start();
    // A port that was free a moment ago and that nobody listens on now.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const push = await client.push(await client.token(), pushRequest(`http://127.0.0.1:${closedPort}/cb`));
    await sandbox.deliverPendingCallbacks();
    const attempts = sandbox.deliveries();
    expect(attempts.map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
    for (const attempt of attempts) {
      expect(attempt.status).toBeUndefined();
      expect(attempt.error).toMatch(/ECONNREFUSED/);
    }
    expect(sandbox.ledger().map((e) => e.checkoutRequestId)).toEqual([push.body.CheckoutRequestID]);
  });

  it('lets a plan billed every minute renew with duplicateWindowSeconds 30, and still refuses a push repeated within it', async () => {
    const clock = fakeClock(START);
    const { client, receiver, sandbox } = await start({ now: clock.now, duplicateWindowSeconds: 30 });
    const token = await client.token();
    const resultOf = async () => {
      const push = await client.push(token, pushRequest(receiver.url(), { Amount: 450 }));
      await sandbox.deliverPendingCallbacks();
      return receiver.callbacksFor(push.body.CheckoutRequestID as string)[0]?.ResultCode;
    };
    // The first invoice, then renewals 1 and 2 a minute apart: each is charged (Daraja's 2 minutes refused 1 and 2).
    expect(await resultOf()).toBe(0);
    clock.advanceSeconds(60);
    expect(await resultOf()).toBe(0);
    clock.advanceSeconds(60);
    expect(await resultOf()).toBe(0);
    // A push repeated within seconds is still the duplicate the rule is for.
    clock.advanceSeconds(5);
    expect(await resultOf()).toBe(17);
    expect(sandbox.ledger()).toHaveLength(3);
  });

  it('answers a resent identical push within 2 minutes with ResultCode 17 and no charge; later it charges again', async () => {
    const clock = fakeClock(START);
    const { client, receiver, sandbox } = await start({ now: clock.now });
    const token = await client.token();
    const first = await client.push(token, pushRequest(receiver.url(), { Amount: 450 }));
    await sandbox.deliverPendingCallbacks();
    clock.advanceSeconds(60);

    const replay = await client.push(token, pushRequest(receiver.url(), { Amount: 450 }));
    expect(replay.status).toBe(200);
    expect(replay.body.CheckoutRequestID).not.toBe(first.body.CheckoutRequestID);
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(replay.body.CheckoutRequestID as string)).toEqual([
      {
        MerchantRequestID: replay.body.MerchantRequestID,
        CheckoutRequestID: replay.body.CheckoutRequestID,
        ResultCode: 17,
        ResultDesc: 'Rule limited.',
      },
    ]);
    expect((await client.query(token, replay.body.CheckoutRequestID as string)).body.ResultCode).toBe('17');

    // A different amount within the window is a different payment.
    const different = await client.push(token, pushRequest(receiver.url(), { Amount: 451 }));
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(different.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(0);

    clock.advanceSeconds(61);
    const later = await client.push(token, pushRequest(receiver.url(), { Amount: 450 }));
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(later.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(0);

    expect(sandbox.ledger().map((e) => [e.checkoutRequestId, e.amount])).toEqual([
      [first.body.CheckoutRequestID, 450],
      [different.body.CheckoutRequestID, 451],
      [later.body.CheckoutRequestID, 450],
    ]);
  });

  it('never charges a CheckoutRequestID twice, however often outcomes are forced', async () => {
    const { client, receiver, sandbox } = await start({ callbackDelayMs: 30 });
    const push = await client.push(await client.token(), pushRequest(receiver.url()));
    await Promise.all([sandbox.deliverPendingCallbacks(), sandbox.deliverPendingCallbacks()]);
    await new Promise((r) => setTimeout(r, 100));
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(push.body.CheckoutRequestID as string)).toHaveLength(1);
    expect(sandbox.ledger()).toHaveLength(1);
  });

  it('forgets tokens, prompts, ledger and scripts on POST /__sandbox/reset', async () => {
    const { client, receiver, sandbox, baseUrl } = await start();
    const token = await client.token();
    sandbox.script(TEST_PHONE, { kind: 'result', resultCode: 1032 });
    sandbox.script('254711000001', { kind: 'result', resultCode: 0 });
    const before = await client.push(token, pushRequest(receiver.url()));
    await client.push(token, pushRequest(receiver.url(), { PhoneNumber: '254711000001' }));
    await sandbox.deliverPendingCallbacks();
    expect(sandbox.ledger()).toHaveLength(1);

    const reset = await fetch(`${baseUrl}/__sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sandbox.ledger()).toEqual([]);
    expect(sandbox.deliveries()).toEqual([]);
    expect((await client.push(token, pushRequest(receiver.url()))).body.errorCode).toBe('404.001.03');
    const fresh = await client.token();
    expect((await client.query(fresh, before.body.CheckoutRequestID as string)).body.errorCode).toBe('400.002.02');
    const after = await client.push(fresh, pushRequest(receiver.url()));
    await sandbox.deliverPendingCallbacks();
    expect(receiver.callbacksFor(after.body.CheckoutRequestID as string)[0]?.ResultCode).toBe(0);
  });

  it('answers unknown paths with the Daraja error shape', async () => {
    const { baseUrl } = await start();
    const response = await fetch(`${baseUrl}/mpesa/unknown`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(errorShape('404.001.01', 'Resource not found'));
  });
});
