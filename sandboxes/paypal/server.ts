// A local stand-in for PayPal's REST API (OAuth, Orders v2 with Vault v3 payment tokens, Payments v2 refunds,
// webhooks and webhook signature verification), written from PayPal's documented wire protocol and the samples in
// /work/shared/psp-samples. Tests and `npm start` (without real credentials) talk to it over real HTTP.
// It imports nothing from src/: it is an independent reading of the protocol, not a mirror of our adapter.
// Behaviour, scripted outcomes and sandbox-only routes are described in sandboxes/paypal/README.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError, type ErrorDetail, type Reply } from './errors.js';
import { approveOrder } from './handlers.js';
import * as ids from './ids.js';
import type { Ctx, Payer } from './model.js';
import { settle } from './moneyMovement.js';
import { route } from './routes.js';
import { MOCK_CODES, SCRIPTED_AMOUNTS } from './scripted.js';
import { SandboxState } from './state.js';
import type { DeliveryRecord } from './webhooks.js';

export { MOCK_CODES, SCRIPTED_AMOUNTS };
export type { Payer };

export interface PaypalSandboxOptions {
  clientId: string;
  clientSecret: string;
  /** Where webhooks go; none are sent without it. */
  webhookUrl?: string;
  /** The id of the webhook subscription; part of every signed message. Generated when absent. */
  webhookId?: string;
  /** Lifetime of access tokens, seconds (PayPal: 32400). */
  tokenTtlSeconds?: number;
  /** Delay before a webhook's first delivery attempt, ms (default 200). */
  webhookDelayMs?: number;
  /** Deliver every webhook twice. */
  duplicateWebhooks?: boolean;
  /** Deliver webhooks raised within one webhookDelayMs window newest first. */
  reorderWebhooks?: boolean;
  /** Delivery attempts per webhook before it is given up (default 8). */
  webhookMaxAttempts?: number;
  /** How long a scripted PENDING capture stays pending, ms (default webhookDelayMs / 2). */
  pendingCaptureDelayMs?: number;
  /** Refuse a capture whose invoice_id was already captured (PayPal's default account setting). Default off. */
  rejectDuplicateInvoiceIds?: boolean;
  /** Base URL for links and PAYPAL-CERT-URL when the sandbox sits behind another name; default its own address. */
  publicUrl?: string;
  /** Clock for timestamps and token expiry. */
  now?: () => Date;
}

/** A capture that reached COMPLETED: what the provider actually collected. */
export interface CaptureEntry {
  orderId: string;
  captureId: string;
  amount: string;
  currency: string;
  vaultId: string | null;
  requestId: string | null;
  completedAt: string;
}

export interface PaypalSandbox {
  server: Server;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
  /** Base URL once listening, e.g. http://127.0.0.1:4020. */
  url(): string;
  ledger(): CaptureEntry[];
  /** The payer approves the order (what the payer-action page does). Throws if the order cannot be approved. */
  approve(orderId: string, payer?: Partial<Payer>): void;
  certificatePem: string;
  webhookId: string;
  /** Settles scripted PENDING captures now and delivers every queued webhook now; resolves when attempted. */
  deliverPendingWebhooks(): Promise<void>;
  webhookLog(): DeliveryRecord[];
  reset(): void;
}

const MAX_BODY = 1024 * 1024;

export function createPaypalSandbox(options: PaypalSandboxOptions): PaypalSandbox {
  const state = new SandboxState(options);

  function headerValue(headers: IncomingMessage['headers'], name: string): string | null {
    const value = headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? (value[0] ?? null) : value;
  }

  function send(res: ServerResponse, reply: Reply) {
    const headers: Record<string, string> = { 'paypal-debug-id': ids.debugId(), ...reply.headers };
    let payload = '';
    if (reply.body !== undefined && reply.status !== 204) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  const server = createServer((req, res) => {
    void (async () => {
      let reply: Reply;
      try {
        const raw = await readBody(req);
        if (raw === undefined) {
          reply = apiError(413, 'orders', [
            { issue: 'PAYLOAD_TOO_LARGE', description: 'The request body exceeds the sandbox limit of 1 MiB.' },
          ]);
        } else {
          const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
          const host = req.headers.host;
          const ctx: Ctx = {
            method: (req.method ?? 'GET').toUpperCase(),
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            raw,
            base: options.publicUrl?.replace(/\/$/, '') ?? (host ? `http://${host}` : state.publicBase()),
            requestId: headerValue(req.headers, 'paypal-request-id'),
          };
          reply = route(state, ctx);
        }
      } catch (error) {
        console.error('paypal sandbox: request failed', error);
        reply = apiError(500, 'orders', []);
      }
      if (!res.headersSent) send(res, reply);
    })();
  });

  // ---------------------------------------------------------------- control surface

  return {
    server,
    certificatePem: state.material.certificatePem,
    webhookId: state.webhookId,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          const name =
            host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
          state.listeningBase = `http://${name}:${bound}`;
          resolve(bound);
        });
      });
    },
    async close() {
      for (const { timer } of state.pendingTimers.values()) clearTimeout(timer);
      state.pendingTimers.clear();
      for (const timer of state.pendingRefundTimers.values()) clearTimeout(timer);
      state.pendingRefundTimers.clear();
      await state.webhooks.close();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    url: () => state.publicBase(),
    ledger: () => state.ledger(),
    approve(orderId, payer) {
      const reply = approveOrder(state, orderId, payer);
      if (reply.status !== 200) {
        const issue = (reply.body as { details?: ErrorDetail[] }).details?.[0]?.issue ?? String(reply.status);
        throw new Error(`paypal sandbox: cannot approve order ${orderId}: ${issue}`);
      }
    },
    async deliverPendingWebhooks() {
      for (const [captureId, { settle: result }] of [...state.pendingTimers]) settle(state, captureId, result);
      await state.webhooks.flushAll();
    },
    webhookLog: () => state.webhooks.log(),
    reset: () => state.reset(),
  };
}
