import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createMpesaSandbox, type MpesaSandbox, type MpesaSandboxOptions } from '../../sandboxes/mpesa/server.js';

/** Daraja's published sandbox passkey for test paybill 174379 (the one inside the documented sample Password). */
export const PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
export const SHORTCODE = '174379';
export const CONSUMER_KEY = 'test-consumer-key';
export const CONSUMER_SECRET = 'test-consumer-secret';
export const TEST_PHONE = '254708374149';

/** The Password and Timestamp of the documented STK Push request sample. */
export const SAMPLE_TIMESTAMP = '20210628092408';
export const SAMPLE_PASSWORD =
  'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjEwNjI4MDkyNDA4';

/** Computed here, independently of the sandbox. */
export function password(timestamp: string, passkey = PASSKEY, shortcode = SHORTCODE): string {
  return Buffer.from(shortcode + passkey + timestamp).toString('base64');
}

/** A clock the test moves by hand. */
export function fakeClock(startIso: string) {
  let nowMs = Date.parse(startIso);
  return {
    now: () => new Date(nowMs),
    advanceSeconds: (seconds: number) => {
      nowMs += seconds * 1000;
    },
  };
}

export interface ReceivedCallback {
  path: string;
  contentType: string | undefined;
  raw: string;
  body: unknown;
}

/** A real HTTP server that receives the sandbox's callbacks; it can be told to fail the next few. */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private failuresLeft = 0;
  private failureStatus = 500;
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readAll(req).then((raw) => {
        this.received.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          raw,
          body: JSON.parse(raw),
        });
        if (this.failuresLeft > 0) {
          this.failuresLeft--;
          res.writeHead(this.failureStatus).end('try again');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ResultCode: 0, ResultDesc: 'Accepted' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  url(path = '/mpesa/callback/3f9c2e7a'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  failNext(count: number, status = 500): void {
    this.failuresLeft = count;
    this.failureStatus = status;
  }

  /** The stkCallback objects received for one CheckoutRequestID, in arrival order. */
  callbacksFor(checkoutRequestId: string): Record<string, unknown>[] {
    return this.received
      .map((r) => (r.body as { Body: { stkCallback: Record<string, unknown> } }).Body.stkCallback)
      .filter((cb) => cb.CheckoutRequestID === checkoutRequestId);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A thin Daraja client over real fetch, written from the docs (it shares no code with the sandbox). */
export class DarajaClient {
  constructor(readonly baseUrl: string) {}

  async getToken(
    key = CONSUMER_KEY,
    secret = CONSUMER_SECRET,
    grantType = 'client_credentials',
  ): Promise<JsonResponse> {
    const response = await fetch(`${this.baseUrl}/oauth/v1/generate?grant_type=${encodeURIComponent(grantType)}`, {
      headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async token(): Promise<string> {
    const { status, body } = await this.getToken();
    if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`no token: ${status}`);
    return body.access_token;
  }

  async post(path: string, token: string | undefined, body: unknown): Promise<JsonResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  push(token: string | undefined, body: Record<string, unknown>): Promise<JsonResponse> {
    return this.post('/mpesa/stkpush/v1/processrequest', token, body);
  }

  query(token: string | undefined, checkoutRequestId: string, timestamp = SAMPLE_TIMESTAMP): Promise<JsonResponse> {
    return this.post('/mpesa/stkpushquery/v1/query', token, {
      BusinessShortCode: SHORTCODE,
      Password: password(timestamp),
      Timestamp: timestamp,
      CheckoutRequestID: checkoutRequestId,
    });
  }
}

/** A valid STK Push request (the documented sample's fields), with overrides. */
export function pushRequest(callbackUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const phone = (overrides.PhoneNumber as string | undefined) ?? TEST_PHONE;
  return {
    BusinessShortCode: SHORTCODE,
    Password: SAMPLE_PASSWORD,
    Timestamp: SAMPLE_TIMESTAMP,
    TransactionType: 'CustomerPayBillOnline',
    Amount: '1',
    PartyA: phone,
    PartyB: SHORTCODE,
    PhoneNumber: phone,
    CallBackURL: callbackUrl,
    AccountReference: 'SUB-000123',
    TransactionDesc: 'Monthly plan',
    ...overrides,
  };
}

export interface Harness {
  sandbox: MpesaSandbox;
  client: DarajaClient;
  receiver: CallbackReceiver;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts a sandbox on a free port and a callback receiver. Outcomes wait for deliverPendingCallbacks() unless
 * callbackDelayMs says otherwise; retries are quick. */
export async function startHarness(options: Partial<MpesaSandboxOptions> = {}): Promise<Harness> {
  const sandbox = createMpesaSandbox({
    consumerKey: CONSUMER_KEY,
    consumerSecret: CONSUMER_SECRET,
    passkey: PASSKEY,
    callbackDelayMs: 60_000,
    callbackRetryDelaysMs: [10, 10, 10],
    ...options,
  });
  const port = await sandbox.listen(0);
  const receiver = new CallbackReceiver();
  await receiver.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    sandbox,
    client: new DarajaClient(baseUrl),
    receiver,
    baseUrl,
    async stop() {
      await sandbox.close();
      await receiver.stop();
    },
  };
}
