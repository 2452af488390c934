// Support for test/sandboxes/paypal.test.ts: a webhook receiver on a real port, a fetch-based API client, the
// provider samples (copies of /work/shared/psp-samples/paypal-*.json, reformatted by prettier), and an
// independent CRC-32 so the signature check does not lean on the sandbox's own code.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createPaypalSandbox, type PaypalSandbox, type PaypalSandboxOptions } from '../../sandboxes/paypal/server.js';

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
export const WEBHOOK_ID = '1JE4291016473214C';

export function sample(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'paypal-samples', `paypal-${name}.json`), 'utf8'));
}

/** The value at a dotted path (`purchase_units.0.payments.captures.0.id`), or undefined. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function text(value: unknown, path: string): string {
  const found = at(value, path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path}, found ${JSON.stringify(found)}`);
  return found;
}

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * The key paths of `reference` that `actual` lacks or holds with another JSON type (arrays: compared by their first
 * element). An empty list means `actual` has at least the shape of the provider sample.
 */
export function shapeGaps(actual: unknown, reference: unknown, path = ''): string[] {
  if (kind(actual) !== kind(reference)) return [`${path || '/'}: ${kind(reference)} expected, got ${kind(actual)}`];
  if (Array.isArray(reference)) {
    if (reference.length === 0) return [];
    if ((actual as unknown[]).length === 0) return [`${path}/0: missing`];
    return shapeGaps((actual as unknown[])[0], reference[0], `${path}/0`);
  }
  if (kind(reference) !== 'object') return [];
  return Object.entries(reference as Record<string, unknown>).flatMap(([key, value]) =>
    key in (actual as object)
      ? shapeGaps((actual as Record<string, unknown>)[key], value, `${path}/${key}`)
      : [`${path}/${key}: missing`],
  );
}

// CRC-32/ISO-HDLC (the zlib / PNG one): reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  event: unknown;
  /** What the receiver answered. */
  answered: number;
}

/** A real HTTP endpoint for webhooks. `answer` picks the status for the n-th delivery (0-based); default 200. */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly answer: (index: number, event: unknown) => number = () => 200) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const event = JSON.parse(raw.toString('utf8')) as unknown;
        const answered = this.answer(this.deliveries.length, event);
        this.deliveries.push({ headers: req.headers, raw, event, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/webhooks/paypal`;
  }

  types(): string[] {
    return this.deliveries.map((d) => text(d.event, 'event_type'));
  }

  of(type: string, resourceId?: string): Delivery[] {
    return this.deliveries.filter(
      (d) =>
        at(d.event, 'event_type') === type && (resourceId === undefined || at(d.event, 'resource.id') === resourceId),
    );
  }

  /** Waits until `count` deliveries of `type` (for `resourceId`) have arrived. */
  async waitFor(type: string, resourceId?: string, count = 1, timeoutMs = 5000): Promise<Delivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(type, resourceId);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} x ${type}; got ${JSON.stringify(this.types())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  raw: string;
  body: unknown;
}

export interface Harness {
  sandbox: PaypalSandbox;
  receiver: WebhookReceiver;
  base: string;
  token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function fetchJson(url: string, init: RequestInit = {}): Promise<ApiResponse> {
  const response = await fetch(url, init);
  const raw = await response.text();
  let body: unknown;
  try {
    body = raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    body = raw;
  }
  return { status: response.status, headers: response.headers, raw, body };
}

export const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export async function requestToken(base: string, id = CLIENT_ID, secret = CLIENT_SECRET): Promise<ApiResponse> {
  return fetchJson(`${base}/v1/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: basic(id, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

/** Sandbox on port 0 wired to a fresh webhook receiver, with a token already fetched. */
export async function startHarness(
  options: Partial<PaypalSandboxOptions> = {},
  answer?: (index: number, event: unknown) => number,
): Promise<Harness> {
  const receiver = new WebhookReceiver(answer);
  await receiver.start();
  const sandbox = createPaypalSandbox({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    webhookUrl: receiver.url,
    webhookId: WEBHOOK_ID,
    webhookDelayMs: 20,
    ...options,
  });
  const port = await sandbox.listen(0);
  const base = `http://127.0.0.1:${port}`;
  const token = text((await requestToken(base)).body, 'access_token');
  return {
    sandbox,
    receiver,
    base,
    token,
    call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'Content-Type': 'application/json', ...init.headers };
      }
      return fetchJson(`${base}${path}`, init);
    },
    async close() {
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** A first order with vault attributes, like paypal-order-create-vault-request.json, for `value` USD. */
export function vaultOrder(value = '10.00', reference = 'sub_000123_2024-03') {
  return {
    intent: 'CAPTURE',
    purchase_units: [
      {
        reference_id: reference,
        custom_id: 'sub_000123',
        invoice_id: `INV-${reference}`,
        amount: { currency_code: 'USD', value },
      },
    ],
    payment_source: {
      paypal: {
        attributes: {
          vault: {
            store_in_vault: 'ON_SUCCESS',
            usage_type: 'MERCHANT',
            customer_type: 'CONSUMER',
            usage_pattern: 'SUBSCRIPTION_PREPAID',
          },
        },
        experience_context: {
          return_url: 'https://example.com/returnUrl',
          cancel_url: 'https://example.com/cancelUrl',
          user_action: 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
        },
      },
    },
  };
}

/** A merchant-initiated renewal, like paypal-order-mit-request.json. */
export function renewalOrder(vaultId: string, value = '10.00', currency = 'USD', reference = 'sub_000123_2024-04') {
  return {
    intent: 'CAPTURE',
    purchase_units: [
      {
        reference_id: reference,
        custom_id: 'sub_000123',
        invoice_id: `INV-${reference}`,
        amount: { currency_code: currency, value },
      },
    ],
    payment_source: {
      paypal: {
        vault_id: vaultId,
        stored_credential: {
          payment_initiator: 'MERCHANT',
          usage: 'SUBSEQUENT',
          usage_pattern: 'SUBSCRIPTION_PREPAID',
        },
      },
    },
  };
}

/** Runs the whole first payment (create, approve, capture) and returns the vault id and capture. */
export async function vaultFirstPayment(h: Harness, value = '10.00'): Promise<{ vaultId: string; capture: unknown }> {
  const created = await h.call('POST', '/v2/checkout/orders', vaultOrder(value));
  const orderId = text(created.body, 'id');
  h.sandbox.approve(orderId);
  const captured = await h.call('POST', `/v2/checkout/orders/${orderId}/capture`, {});
  if (captured.status !== 201) throw new Error(`first payment capture failed: ${captured.raw}`);
  return {
    vaultId: text(captured.body, 'payment_source.paypal.attributes.vault.id'),
    capture: at(captured.body, 'purchase_units.0.payments.captures.0'),
  };
}
