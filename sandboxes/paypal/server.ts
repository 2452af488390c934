// A local stand-in for PayPal's REST API (OAuth, Orders v2 with Vault v3 payment tokens, Payments v2 refunds,
// webhooks and webhook signature verification), written from PayPal's documented wire protocol and the samples in
// /work/shared/psp-samples. Tests and `npm start` (without real credentials) talk to it over real HTTP.
// It imports nothing from src/: it is an independent reading of the protocol, not a mirror of our adapter.
// Behaviour, scripted outcomes and sandbox-only routes are described in sandboxes/paypal/README.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signingMaterial } from './certificate.js';
import { apiError, detail, invalidClient, invalidToken, type ErrorDetail, type Link, type Reply } from './errors.js';
import * as ids from './ids.js';
import { feeFor, formatAmount, parseAmount, summaryAmount } from './money.js';
import { keepFor, RequestIdStore, type Kept, type ResourceRef } from './requestIds.js';
import {
  isObject,
  json,
  link,
  type Capture,
  type Ctx,
  type Money,
  type Order,
  type Outcome,
  type Payer,
  type Refund,
  type VaultToken,
} from './model.js';
import { validateOrder } from './orderValidation.js';
import { checkoutDecision, checkoutPage } from './pages.js';

export type { Payer };
import {
  AUTH_ALGO,
  signedMessage,
  verifyMessage,
  WebhookDispatcher,
  type DeliveryRecord,
  type WebhookEvent,
} from './webhooks.js';

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

/**
 * Scripted outcomes, by the amount being charged (a merchant-initiated renewal, or the capture of an approved
 * order). Every other amount is captured at once.
 */
export const SCRIPTED_AMOUNTS: Readonly<
  Record<
    string,
    | { outcome: 'decline'; issue: string }
    | { outcome: 'pending'; settle: 'COMPLETED' | 'DECLINED' }
    | { outcome: 'unavailable' | 'lost-response' }
  >
> = {
  '4.22': { outcome: 'decline', issue: 'INSTRUMENT_DECLINED' },
  '4.23': { outcome: 'decline', issue: 'PAYER_CANNOT_PAY' },
  '4.24': { outcome: 'decline', issue: 'TRANSACTION_REFUSED' },
  '5.00': { outcome: 'pending', settle: 'COMPLETED' },
  '5.01': { outcome: 'pending', settle: 'DECLINED' },
  '5.03': { outcome: 'unavailable' },
  '5.04': { outcome: 'lost-response' },
};

/** Codes accepted in `PayPal-Mock-Response: {"mock_application_codes": "..."}` on order create and capture. */
export const MOCK_CODES: Readonly<Record<string, number>> = {
  INSTRUMENT_DECLINED: 422,
  PAYER_CANNOT_PAY: 422,
  TRANSACTION_REFUSED: 422,
  DUPLICATE_INVOICE_ID: 422,
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: 422,
  AGREEMENT_ALREADY_CANCELLED: 422,
  INTERNAL_SERVER_ERROR: 500,
};

const SCOPE = [
  'https://uri.paypal.com/services/invoicing',
  'https://uri.paypal.com/services/vault/payment-tokens/read',
  'https://uri.paypal.com/services/vault/payment-tokens/readwrite',
  'https://uri.paypal.com/services/payments/payment/authcapture',
  'https://uri.paypal.com/services/payments/refund',
  'https://uri.paypal.com/services/applications/webhooks',
  'openid',
].join(' ');

const CERT_PATH = '/__sandbox/certs/webhook.pem';
const MAX_BODY = 1024 * 1024;

export function createPaypalSandbox(options: PaypalSandboxOptions): PaypalSandbox {
  const now = options.now ?? (() => new Date());
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 32400;
  const webhookDelayMs = options.webhookDelayMs ?? 200;
  const pendingDelayMs = options.pendingCaptureDelayMs ?? Math.floor(webhookDelayMs / 2);
  const webhookId = options.webhookId ?? ids.webhookId();
  const material = signingMaterial();
  const appId = `APP-${ids.resourceId()}`;
  const merchant = { email_address: 'merchant@example.com', merchant_id: ids.accountId() };
  const defaultPayer: Payer = {
    email_address: 'customer@example.com',
    payer_id: ids.accountId(),
    name: { given_name: 'John', surname: 'Doe' },
    country_code: 'US',
  };

  let listeningBase = 'http://127.0.0.1';
  const publicBase = () => options.publicUrl?.replace(/\/$/, '') ?? listeningBase;

  const tokens = new Map<string, number>(); // access token -> expiry (ms since epoch, on the `now` clock)
  let currentToken: string | undefined;
  let orders = new Map<string, Order>();
  let captures = new Map<string, Capture>();
  let refunds = new Map<string, Refund>();
  let vault = new Map<string, VaultToken>();
  const replays = new RequestIdStore();
  let ledgerEntries: CaptureEntry[] = [];
  const pendingTimers = new Map<string, { timer: NodeJS.Timeout; settle: 'COMPLETED' | 'DECLINED' }>();

  const webhooks = new WebhookDispatcher({
    url: options.webhookUrl,
    webhookId,
    certUrl: () => `${publicBase()}${CERT_PATH}`,
    privateKey: material.privateKey,
    delayMs: webhookDelayMs,
    duplicate: options.duplicateWebhooks ?? false,
    reorder: options.reorderWebhooks ?? false,
    maxAttempts: options.webhookMaxAttempts ?? 8,
    now,
  });

  const iso = () =>
    now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const amountJson = (m: Money) => ({ currency_code: m.currency, value: formatAmount(m.minor, m.currency) });
  const amountOf = (minor: number, currency: string) => ({
    currency_code: currency,
    value: formatAmount(minor, currency),
  });

  // ---------------------------------------------------------------- representations

  function captureJson(c: Capture, base: string, related = false): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: c.id,
      status: c.status,
      amount: amountJson(c),
      final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    };
    if (c.status !== 'DECLINED') {
      const fee = feeFor(c.minor, c.currency);
      out.seller_receivable_breakdown = {
        gross_amount: amountJson(c),
        paypal_fee: amountOf(fee, c.currency),
        net_amount: amountOf(c.minor - fee, c.currency),
      };
    }
    if (c.custom_id !== undefined) out.custom_id = c.custom_id;
    if (c.invoice_id !== undefined) out.invoice_id = c.invoice_id;
    out.links = [
      link(`${base}/v2/payments/captures/${c.id}`, 'self', 'GET'),
      link(`${base}/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'),
      link(`${base}/v2/checkout/orders/${c.orderId}`, 'up', 'GET'),
    ];
    out.create_time = c.createTime;
    out.update_time = c.updateTime;
    if (c.status === 'PENDING') out.status_details = { reason: 'PENDING_REVIEW' };
    if (related) out.supplementary_data = { related_ids: { order_id: c.orderId } };
    return out;
  }

  function walletJson(order: Order, base: string): Record<string, unknown> {
    const payer = order.payer;
    if (!payer) return {};
    const out: Record<string, unknown> = {
      email_address: payer.email_address,
      account_id: payer.payer_id,
      account_status: 'VERIFIED',
      name: { ...payer.name },
    };
    if (order.kind !== 'vaulted') out.address = { country_code: payer.country_code };
    const token = order.vaultId ? vault.get(order.vaultId) : undefined;
    if (token && order.kind === 'vaulted') {
      out.attributes = { vault: { id: token.id, customer: { id: token.customerId } } };
    } else if (token) {
      out.attributes = {
        vault: {
          id: token.id,
          status: 'VAULTED',
          customer: { id: token.customerId },
          links: [
            link(`${base}/v3/vault/payment-tokens/${token.id}`, 'self', 'GET'),
            link(`${base}/v3/vault/payment-tokens/${token.id}`, 'delete', 'DELETE'),
            link(`${base}/v2/checkout/orders/${order.id}`, 'up', 'GET'),
          ],
        },
      };
    }
    return out;
  }

  function payerJson(payer: Payer) {
    return { name: { ...payer.name }, email_address: payer.email_address, payer_id: payer.payer_id };
  }

  function orderLinks(order: Order, base: string): Link[] {
    const self = link(`${base}/v2/checkout/orders/${order.id}`, 'self', 'GET');
    const checkout = `${base}/checkoutnow?token=${order.id}`;
    switch (order.status) {
      case 'CREATED':
        return [
          self,
          link(checkout, 'approve', 'GET'),
          link(`${base}/v2/checkout/orders/${order.id}`, 'update', 'PATCH'),
          link(`${base}/v2/checkout/orders/${order.id}/capture`, 'capture', 'POST'),
        ];
      case 'PAYER_ACTION_REQUIRED':
        return [self, link(checkout, 'payer-action', 'GET')];
      case 'APPROVED':
        return [
          self,
          link(`${base}/v2/checkout/orders/${order.id}`, 'update', 'PATCH'),
          link(`${base}/v2/checkout/orders/${order.id}/capture`, 'capture', 'POST'),
        ];
      default:
        return [self];
    }
  }

  /** `Prefer: return=minimal` (PayPal's default): what the samples show for create and capture. */
  function orderMinimal(order: Order, base: string): Record<string, unknown> {
    const out: Record<string, unknown> = { id: order.id, status: order.status };
    if (order.kind !== 'checkout' || order.payer) out.payment_source = { paypal: walletJson(order, base) };
    const capture = order.captureId ? captures.get(order.captureId) : undefined;
    if (capture) {
      out.purchase_units = [
        { reference_id: order.unit.reference_id, payments: { captures: [captureJson(capture, base)] } },
      ];
    }
    if (capture && order.payer) out.payer = payerJson(order.payer);
    out.links = orderLinks(order, base);
    return out;
  }

  /** `Prefer: return=representation`, and GET: the whole order. */
  function orderFull(order: Order, base: string): Record<string, unknown> {
    const unit: Record<string, unknown> = {
      reference_id: order.unit.reference_id,
      amount: amountJson(order.unit),
      payee: { ...merchant },
    };
    for (const key of ['description', 'custom_id', 'invoice_id', 'soft_descriptor'] as const) {
      if (order.unit[key] !== undefined) unit[key] = order.unit[key];
    }
    const capture = order.captureId ? captures.get(order.captureId) : undefined;
    if (capture) unit.payments = { captures: [captureJson(capture, base)] };
    const out: Record<string, unknown> = { id: order.id, intent: 'CAPTURE', status: order.status };
    if (order.kind !== 'checkout' || order.payer) out.payment_source = { paypal: walletJson(order, base) };
    out.purchase_units = [unit];
    if (order.payer) out.payer = payerJson(order.payer);
    out.create_time = order.createTime;
    out.update_time = order.updateTime;
    out.links = orderLinks(order, base);
    return out;
  }

  const wantsRepresentation = (ctx: Ctx) => /return=representation/i.test(String(ctx.headers.prefer ?? ''));
  /** An order as the request's `Prefer` header asks for it. */
  const orderJson = (order: Order, ctx: Ctx) =>
    wantsRepresentation(ctx) ? orderFull(order, ctx.base) : orderMinimal(order, ctx.base);

  function vaultJson(token: VaultToken, base: string): Record<string, unknown> {
    const paypal: Record<string, unknown> = {};
    if (token.request.description !== undefined) paypal.description = token.request.description;
    if (token.request.usage_pattern !== undefined) paypal.usage_pattern = token.request.usage_pattern;
    Object.assign(paypal, {
      shipping: {},
      permit_multiple_payment_tokens: token.request.permit_multiple_payment_tokens,
      usage_type: token.request.usage_type,
      customer_type: token.request.customer_type,
      email_address: token.payer.email_address,
      payer_id: token.payer.payer_id,
      name: { ...token.payer.name },
    });
    const href = `${base}/v3/vault/payment-tokens/${token.id}`;
    return {
      id: token.id,
      customer: { id: token.customerId },
      payment_source: { paypal },
      links: [
        { rel: 'self', href, method: 'GET', encType: 'application/json' },
        { rel: 'delete', href, method: 'DELETE', encType: 'application/json' },
      ],
    };
  }

  function refundJson(r: Refund, base: string, full: boolean): Record<string, unknown> {
    const links = [
      link(`${base}/v2/payments/refunds/${r.id}`, 'self', 'GET'),
      link(`${base}/v2/payments/captures/${r.captureId}`, 'up', 'GET'),
    ];
    if (!full) return { id: r.id, status: 'COMPLETED', links };
    const capture = captures.get(r.captureId);
    const out: Record<string, unknown> = {
      id: r.id,
      amount: amountJson(r),
      seller_payable_breakdown: {
        gross_amount: amountJson(r),
        paypal_fee: amountOf(0, r.currency),
        net_amount: amountJson(r),
        total_refunded_amount: amountOf(capture?.refundedMinor ?? r.minor, r.currency),
      },
    };
    if (r.invoice_id !== undefined) out.invoice_id = r.invoice_id;
    if (r.note_to_payer !== undefined) out.note_to_payer = r.note_to_payer;
    Object.assign(out, { status: 'COMPLETED', create_time: r.createTime, update_time: r.createTime, links });
    return out;
  }

  // ---------------------------------------------------------------- webhooks

  function emit(eventType: string, resourceType: string, resourceVersion: string, summary: string, resource: unknown) {
    const id = ids.webhookEventId();
    const base = publicBase();
    const event: WebhookEvent = {
      id,
      event_version: '1.0',
      create_time: now().toISOString(),
      resource_type: resourceType,
      resource_version: resourceVersion,
      event_type: eventType,
      summary,
      resource,
      links: [
        link(`${base}/v1/notifications/webhooks-events/${id}`, 'self', 'GET'),
        link(`${base}/v1/notifications/webhooks-events/${id}/resend`, 'resend', 'POST'),
      ],
    };
    webhooks.enqueue(event);
  }

  function emitCapture(c: Capture) {
    const amount = summaryAmount(c.minor, c.currency);
    const [type, summary] =
      c.status === 'PENDING'
        ? ['PAYMENT.CAPTURE.PENDING', `Payment pending for ${amount}`]
        : c.status === 'DECLINED'
          ? ['PAYMENT.CAPTURE.DENIED', `Payment denied for ${amount}`]
          : ['PAYMENT.CAPTURE.COMPLETED', `Payment completed for ${amount}`];
    emit(type, 'capture', '2.0', summary, captureJson(c, publicBase(), true));
  }

  // ---------------------------------------------------------------- money movement

  function complete(c: Capture) {
    c.status = 'COMPLETED';
    ledgerEntries.push({
      orderId: c.orderId,
      captureId: c.id,
      amount: formatAmount(c.minor, c.currency),
      currency: c.currency,
      vaultId: c.vaultId,
      requestId: c.requestId,
      completedAt: now().toISOString(),
    });
  }

  function settle(captureId: string, result: 'COMPLETED' | 'DECLINED') {
    const pending = pendingTimers.get(captureId);
    if (pending) clearTimeout(pending.timer);
    pendingTimers.delete(captureId);
    const c = captures.get(captureId);
    if (!c || c.status !== 'PENDING') return;
    c.updateTime = iso();
    if (result === 'COMPLETED') complete(c);
    else c.status = 'DECLINED';
    emitCapture(c);
  }

  function declined(issue: string, api: 'orders', extraLinks: Link[] = []): Reply {
    const status = MOCK_CODES[issue] ?? 422;
    return apiError(status, api, status === 500 ? [] : [detail(issue)], extraLinks);
  }

  /**
   * Moves the money for `order` (merchant-initiated create, or capture of an approved order): scripted outcome,
   * capture, vault token, ledger, webhooks; `persist` stores the order once money has moved.
   */
  function charge(order: Order, ctx: Ctx, persist: () => void): Outcome {
    const value = formatAmount(order.unit.minor, order.unit.currency);
    const script = SCRIPTED_AMOUNTS[value];
    const redirect =
      order.kind === 'vaulted' ? [] : [link(`${ctx.base}/checkoutnow?token=${order.id}`, 'redirect', 'GET')];
    if (script?.outcome === 'unavailable') return apiError(503, 'orders', []);
    if (script?.outcome === 'decline') {
      return declined(script.issue, 'orders', script.issue === 'INSTRUMENT_DECLINED' ? redirect : []);
    }
    if (options.rejectDuplicateInvoiceIds && order.unit.invoice_id !== undefined) {
      const taken = [...captures.values()].some(
        (c) => c.invoice_id === order.unit.invoice_id && c.status !== 'DECLINED',
      );
      if (taken) return apiError(422, 'orders', [detail('DUPLICATE_INVOICE_ID')]);
    }

    const time = iso();
    persist();
    if (order.vaultRequest && !order.vaultId && order.payer) {
      const token: VaultToken = {
        id: ids.vaultTokenId(),
        customerId: order.vaultRequest.customerId ?? ids.customerId(),
        payer: order.payer,
        // The token's description comes from the vault attributes, else the purchase unit, else a generic one.
        request: {
          ...order.vaultRequest,
          description: order.vaultRequest.description ?? order.unit.description ?? 'Billing agreement',
        },
        orderId: order.id,
        deleted: false,
      };
      vault.set(token.id, token);
      order.vaultId = token.id;
      emit(
        'VAULT.PAYMENT-TOKEN.CREATED',
        'payment_token',
        '3.0',
        'A payment token has been created.',
        vaultJson(token, publicBase()),
      );
    }
    const capture: Capture = {
      id: ids.resourceId(),
      orderId: order.id,
      status: script?.outcome === 'pending' ? 'PENDING' : 'COMPLETED',
      currency: order.unit.currency,
      minor: order.unit.minor,
      custom_id: order.unit.custom_id,
      invoice_id: order.unit.invoice_id,
      refundedMinor: 0,
      vaultId: order.vaultId ?? null,
      requestId: ctx.requestId,
      createTime: time,
      updateTime: time,
    };
    captures.set(capture.id, capture);
    order.captureId = capture.id;
    order.status = 'COMPLETED';
    order.updateTime = time;
    if (capture.status === 'COMPLETED') complete(capture);
    emitCapture(capture);
    if (script?.outcome === 'pending') {
      const result = script.settle;
      const timer = setTimeout(() => settle(capture.id, result), pendingDelayMs);
      pendingTimers.set(capture.id, { timer, settle: result });
    }

    const resource: ResourceRef = { kind: 'order', id: order.id };
    // A lost response: the capture happened, so a replay with the same request id answers the order.
    if (script?.outcome === 'lost-response') return { ...apiError(503, 'orders', []), resource };
    return { ...json(201, orderJson(order, ctx)), resource };
  }

  // ---------------------------------------------------------------- request parsing

  function parseJsonBody(ctx: Ctx, api: 'orders' | 'payments' | 'webhooks'): { body: unknown } | { error: Reply } {
    if (ctx.raw.length === 0) return { body: undefined };
    const type = String(ctx.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(type)) {
      return {
        error: apiError(415, api, [
          {
            field: 'Content-Type',
            value: type,
            location: 'header',
            issue: 'UNSUPPORTED_MEDIA_TYPE',
            description: 'The request payload must be application/json.',
          },
        ]),
      };
    }
    try {
      return { body: JSON.parse(ctx.raw.toString('utf8')) as unknown };
    } catch {
      return { error: apiError(400, api, [detail('MALFORMED_REQUEST_JSON')]) };
    }
  }

  /** `PayPal-Mock-Response` negative testing: the reply to force, if the header asks for one. */
  function mockResponse(ctx: Ctx, extraLinks: Link[] = []): Reply | undefined {
    const header = ctx.headers['paypal-mock-response'];
    if (header === undefined) return undefined;
    const text = Array.isArray(header) ? header.join(',') : header;
    let code: unknown;
    try {
      const parsed = JSON.parse(text) as unknown;
      code = isObject(parsed) ? parsed.mock_application_codes : undefined;
    } catch {
      code = undefined;
    }
    if (typeof code !== 'string' || MOCK_CODES[code] === undefined) {
      return apiError(400, 'orders', [
        {
          field: 'PayPal-Mock-Response',
          value: text,
          location: 'header',
          issue: 'INVALID_PARAMETER_VALUE',
          description: `mock_application_codes must be one of ${Object.keys(MOCK_CODES).join(', ')}.`,
        },
      ]);
    }
    return declined(code, 'orders', code === 'INSTRUMENT_DECLINED' ? extraLinks : []);
  }

  function notFound(field: string, value: string, api: 'orders' | 'payments' | 'vault'): Reply {
    return apiError(404, api, [detail('INVALID_RESOURCE_ID', { field, value, location: 'path' })]);
  }

  function createToken(ctx: Ctx): Reply {
    const header = String(ctx.headers.authorization ?? '');
    const match = /^Basic\s+(.+)$/i.exec(header);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const id = colon >= 0 ? decoded.slice(0, colon) : '';
    const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (!match || id !== options.clientId || secret !== options.clientSecret) return invalidClient();
    const grant = new URLSearchParams(ctx.raw.toString('utf8')).get('grant_type');
    if (!grant) return json(400, { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
    if (grant !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'unsupported grant_type' });
    }
    const at = now().getTime();
    // While a token is valid PayPal hands the same one out again, with the seconds it has left.
    let token = currentToken;
    if (!token || (tokens.get(token) ?? 0) <= at + 1000) {
      token = ids.accessToken();
      tokens.set(token, at + tokenTtlSeconds * 1000);
      currentToken = token;
    }
    const expiresIn = Math.floor(((tokens.get(token) ?? at) - at) / 1000);
    return json(200, {
      scope: SCOPE,
      access_token: token,
      token_type: 'Bearer',
      app_id: appId,
      expires_in: expiresIn,
      nonce: `${iso()}${ids.nonceSuffix()}`,
    });
  }

  function authenticate(ctx: Ctx): Reply | undefined {
    const header = String(ctx.headers.authorization ?? '');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      const reply = apiError(401, 'orders', []);
      (reply.body as { links: Link[] }).links = [
        link('https://developer.paypal.com/api/rest/authentication/', 'information_link', 'GET'),
      ];
      return reply;
    }
    const expiry = tokens.get(match[1]!);
    if (expiry === undefined || expiry <= now().getTime()) return invalidToken();
    return undefined;
  }

  function createOrder(ctx: Ctx): Outcome {
    const parsed = parseJsonBody(ctx, 'orders');
    if ('error' in parsed) return parsed.error;
    const checked = validateOrder(parsed.body);
    if ('error' in checked) return checked.error;
    const mocked = mockResponse(ctx);
    if (mocked) return mocked;
    const { draft } = checked;
    const time = iso();
    const order: Order = {
      id: ids.resourceId(),
      status: draft.kind === 'checkout' ? 'CREATED' : 'PAYER_ACTION_REQUIRED',
      kind: draft.kind,
      unit: draft.unit,
      vaultRequest: draft.vaultRequest,
      returnUrl: draft.returnUrl,
      cancelUrl: draft.cancelUrl,
      createTime: time,
      updateTime: time,
    };
    if (draft.kind === 'vaulted') {
      const token = vault.get(draft.vaultId!);
      const where = { field: '/payment_source/paypal/vault_id', value: draft.vaultId };
      if (!token) return apiError(422, 'orders', [detail('TOKEN_ID_NOT_FOUND', where)]);
      if (token.deleted) return apiError(422, 'orders', [detail('AGREEMENT_ALREADY_CANCELLED', where)]);
      order.vaultId = token.id;
      order.payer = token.payer;
      // A merchant-initiated order against a vaulted wallet is captured at once, without the payer.
      return charge(order, ctx, () => orders.set(order.id, order));
    }
    orders.set(order.id, order);
    return { ...json(201, orderJson(order, ctx)), resource: { kind: 'order', id: order.id } };
  }

  function captureOrder(ctx: Ctx, id: string): Outcome {
    const order = orders.get(id);
    if (!order) return notFound('order_id', id, 'orders');
    const parsed = parseJsonBody(ctx, 'orders');
    if ('error' in parsed) return parsed.error;
    const redirect = [link(`${ctx.base}/checkoutnow?token=${order.id}`, 'redirect', 'GET')];
    const mocked = mockResponse(ctx, redirect);
    if (mocked) return mocked;
    if (order.status === 'COMPLETED') return apiError(422, 'orders', [detail('ORDER_ALREADY_CAPTURED')]);
    if (order.status !== 'APPROVED') return apiError(422, 'orders', [detail('ORDER_NOT_APPROVED')]);
    return charge(order, ctx, () => undefined);
  }

  function approveOrder(id: string, payer?: Partial<Payer>): Reply {
    const order = orders.get(id);
    if (!order) return notFound('order_id', id, 'orders');
    if (order.status === 'APPROVED') return json(200, orderFull(order, publicBase()));
    if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
      return apiError(422, 'orders', [detail('ORDER_CANNOT_BE_APPROVED')]);
    }
    order.payer = { ...defaultPayer, ...payer, name: { ...defaultPayer.name, ...payer?.name } };
    order.status = 'APPROVED';
    order.updateTime = iso();
    return json(200, orderFull(order, publicBase()));
  }

  function refundCapture(ctx: Ctx, id: string): Outcome {
    const capture = captures.get(id);
    if (!capture) return notFound('capture_id', id, 'payments');
    const parsed = parseJsonBody(ctx, 'payments');
    if ('error' in parsed) return parsed.error;
    const body = parsed.body ?? {};
    if (!isObject(body)) return apiError(400, 'payments', [detail('MALFORMED_REQUEST_JSON')]);
    const remaining = capture.minor - capture.refundedMinor;
    let minor = remaining;
    if (body.amount !== undefined) {
      const amount = body.amount;
      if (!isObject(amount) || typeof amount.value !== 'string' || typeof amount.currency_code !== 'string') {
        return apiError(400, 'payments', [detail('INVALID_PARAMETER_SYNTAX', { field: '/amount', value: amount })]);
      }
      if (amount.currency_code !== capture.currency) {
        return apiError(422, 'payments', [
          detail('CURRENCY_MISMATCH', { field: '/amount/currency_code', value: amount.currency_code }),
        ]);
      }
      const value = parseAmount(amount.value, capture.currency);
      if ('problem' in value) {
        const status = value.problem === 'CANNOT_BE_ZERO_OR_NEGATIVE' ? 422 : 400;
        return apiError(status, 'payments', [detail(value.problem, { field: '/amount/value', value: amount.value })]);
      }
      minor = value.minor;
    }
    for (const key of ['invoice_id', 'note_to_payer'] as const) {
      if (body[key] !== undefined && typeof body[key] !== 'string') {
        return apiError(400, 'payments', [detail('INVALID_PARAMETER_SYNTAX', { field: `/${key}`, value: body[key] })]);
      }
    }
    if (capture.status === 'PENDING') return apiError(422, 'payments', [detail('PENDING_CAPTURE')]);
    if (capture.status === 'DECLINED') return apiError(422, 'payments', [detail('REFUND_NOT_ALLOWED')]);
    if (capture.status === 'REFUNDED') return apiError(422, 'payments', [detail('CAPTURE_FULLY_REFUNDED')]);
    if (minor > remaining) {
      return apiError(422, 'payments', [
        detail('REFUND_AMOUNT_EXCEEDED', { field: '/amount/value', value: formatAmount(minor, capture.currency) }),
      ]);
    }
    const refund: Refund = {
      id: ids.resourceId(),
      captureId: capture.id,
      currency: capture.currency,
      minor,
      invoice_id: body.invoice_id as string | undefined,
      note_to_payer: body.note_to_payer as string | undefined,
      createTime: iso(),
    };
    refunds.set(refund.id, refund);
    capture.refundedMinor += minor;
    capture.status = capture.refundedMinor >= capture.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = refund.createTime;
    emit(
      'PAYMENT.CAPTURE.REFUNDED',
      'refund',
      '2.0',
      `A ${summaryAmount(minor, capture.currency)} capture payment was refunded`,
      refundJson(refund, publicBase(), true),
    );
    return {
      ...json(201, refundJson(refund, ctx.base, wantsRepresentation(ctx))),
      resource: { kind: 'refund', id: refund.id },
    };
  }

  function deleteVaultToken(id: string, base: string): Reply {
    const token = vault.get(id);
    if (!token || token.deleted) return notFound('id', id, 'vault');
    token.deleted = true;
    emit('VAULT.PAYMENT-TOKEN.DELETED', 'payment_token', '3.0', 'A payment token has been deleted.', {
      id: token.id,
      links: [link(`${base}/v3/vault/payment-tokens/${token.id}`, 'self', 'GET')],
    });
    return { status: 204 };
  }

  function verifySignature(ctx: Ctx): Reply {
    const parsed = parseJsonBody(ctx, 'webhooks');
    if ('error' in parsed) return parsed.error;
    const body = parsed.body;
    if (!isObject(body)) return apiError(400, 'webhooks', [detail('MALFORMED_REQUEST_JSON')]);
    const fields = [
      'auth_algo',
      'cert_url',
      'transmission_id',
      'transmission_sig',
      'transmission_time',
      'webhook_id',
    ] as const;
    const missing: ErrorDetail[] = [];
    for (const field of fields) {
      if (typeof body[field] !== 'string' || body[field] === '') {
        missing.push(detail('MISSING_REQUIRED_PARAMETER', { field: `/${field}` }));
      }
    }
    if (!isObject(body.webhook_event)) {
      missing.push(detail('MISSING_REQUIRED_PARAMETER', { field: '/webhook_event' }));
    }
    if (missing.length > 0) return apiError(400, 'webhooks', missing);
    const text = (key: (typeof fields)[number]) => body[key] as string;
    const certOk = URL.canParse(text('cert_url')) && new URL(text('cert_url')).pathname === CERT_PATH;
    // The event arrives parsed; PayPal re-serialises it. Events this sandbox sends are compact JSON.stringify output,
    // so a faithful parse + stringify gives back the bytes that were signed, and any change to them fails.
    const raw = Buffer.from(JSON.stringify(body.webhook_event));
    const message = signedMessage(text('transmission_id'), text('transmission_time'), text('webhook_id'), raw);
    const ok =
      certOk &&
      text('auth_algo') === AUTH_ALGO &&
      verifyMessage(message, text('transmission_sig'), material.certificate);
    return json(200, { verification_status: ok ? 'SUCCESS' : 'FAILURE' });
  }

  // ---------------------------------------------------------------- routing

  type Handler = (ctx: Ctx, params: string[]) => Outcome;
  interface Route {
    method: string;
    pattern: RegExp;
    auth: boolean;
    handler: Handler;
  }
  const ID = '([A-Za-z0-9_-]+)';
  const routes: Route[] = [
    { method: 'POST', pattern: /^\/v1\/oauth2\/token$/, auth: false, handler: (ctx) => createToken(ctx) },
    { method: 'POST', pattern: /^\/v2\/checkout\/orders$/, auth: true, handler: (ctx) => createOrder(ctx) },
    {
      method: 'GET',
      pattern: new RegExp(`^/v2/checkout/orders/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => {
        const order = orders.get(id!);
        return order ? json(200, orderFull(order, ctx.base)) : notFound('order_id', id!, 'orders');
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/v2/checkout/orders/${ID}/capture$`),
      auth: true,
      handler: (ctx, [id]) => captureOrder(ctx, id!),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v2/payments/captures/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => {
        const capture = captures.get(id!);
        return capture ? json(200, captureJson(capture, ctx.base, true)) : notFound('capture_id', id!, 'payments');
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/v2/payments/captures/${ID}/refund$`),
      auth: true,
      handler: (ctx, [id]) => refundCapture(ctx, id!),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v2/payments/refunds/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => {
        const refund = refunds.get(id!);
        return refund ? json(200, refundJson(refund, ctx.base, true)) : notFound('refund_id', id!, 'payments');
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v3/vault/payment-tokens/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => {
        const token = vault.get(id!);
        return token && !token.deleted ? json(200, vaultJson(token, ctx.base)) : notFound('id', id!, 'vault');
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/v3/vault/payment-tokens/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => deleteVaultToken(id!, ctx.base),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/notifications\/verify-webhook-signature$/,
      auth: true,
      handler: (ctx) => verifySignature(ctx),
    },
    // Sandbox-only routes: no credentials, never on PayPal.
    {
      method: 'GET',
      pattern: /^\/__sandbox\/certs\/webhook\.pem$/,
      auth: false,
      handler: () => ({
        status: 200,
        body: material.certificatePem,
        headers: { 'content-type': 'application/x-pem-file' },
      }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/__sandbox/orders/${ID}/approve$`),
      auth: false,
      handler: (ctx, [id]) => {
        let payer: Partial<Payer> | undefined;
        try {
          const body = ctx.raw.length ? (JSON.parse(ctx.raw.toString('utf8')) as unknown) : undefined;
          if (isObject(body) && isObject(body.payer)) payer = body.payer as Partial<Payer>;
        } catch {
          return apiError(400, 'orders', [detail('MALFORMED_REQUEST_JSON')]);
        }
        return approveOrder(id!, payer);
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/__sandbox/captures/${ID}/(complete|deny)$`),
      auth: false,
      handler: (ctx, [id, action]) => {
        const capture = captures.get(id!);
        if (!capture) return notFound('capture_id', id!, 'payments');
        if (capture.status !== 'PENDING') return json(409, { error: `capture is ${capture.status}, not PENDING` });
        settle(capture.id, action === 'complete' ? 'COMPLETED' : 'DECLINED');
        return json(200, captureJson(capture, ctx.base, true));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/__sandbox/vault/${ID}/revoke$`),
      auth: false,
      handler: (ctx, [id]) => deleteVaultToken(id!, ctx.base),
    },
    { method: 'GET', pattern: /^\/__sandbox\/ledger$/, auth: false, handler: () => json(200, ledger()) },
    { method: 'GET', pattern: /^\/__sandbox\/webhooks$/, auth: false, handler: () => json(200, webhooks.log()) },
    {
      method: 'POST',
      pattern: /^\/__sandbox\/reset$/,
      auth: false,
      handler: () => {
        reset();
        return json(200, { reset: true });
      },
    },
    { method: 'GET', pattern: /^\/checkoutnow$/, auth: false, handler: (ctx) => checkoutPage(orders, ctx) },
    {
      method: 'POST',
      pattern: /^\/checkoutnow\/(approve|cancel)$/,
      auth: false,
      handler: (ctx, [decision]) =>
        checkoutDecision(orders, ctx, decision as 'approve' | 'cancel', (id) => approveOrder(id)),
    },
  ];

  function route(ctx: Ctx): Reply {
    let pathMatched = false;
    for (const candidate of routes) {
      const match = candidate.pattern.exec(ctx.path);
      if (!match) continue;
      pathMatched = true;
      if (candidate.method !== ctx.method) continue;
      if (candidate.auth) {
        const refused = authenticate(ctx);
        if (refused) return refused;
      }
      const params = match.slice(1);
      const idempotent = candidate.auth && ctx.method === 'POST';
      if (!idempotent || ctx.requestId === null) {
        const outcome = candidate.handler(ctx, params);
        return { status: outcome.status, body: outcome.body, headers: outcome.headers };
      }
      return withRequestId(ctx, () => candidate.handler(ctx, params));
    }
    if (pathMatched) return apiError(405, 'orders', []);
    return json(404, {
      name: 'NOT_FOUND',
      message: `The sandbox does not implement ${ctx.method} ${ctx.path}.`,
      debug_id: ids.debugId(),
      details: [],
      links: [],
    });
  }

  /**
   * PayPal-Request-Id (see requestIds.ts): a repeat creates nothing. A request that created or acted on a resource
   * is answered 200 with that resource as it is now (an order captured since answers COMPLETED), in the shape the
   * repeat's `Prefer` asks for; a kept 422 is answered byte for byte.
   */
  function withRequestId(ctx: Ctx, run: () => Outcome): Reply {
    const requestId = ctx.requestId!;
    if (requestId.length > 108) {
      return apiError(400, 'orders', [
        {
          ...detail('INVALID_STRING_MAX_LENGTH', { field: 'PayPal-Request-Id', value: requestId, location: 'header' }),
        },
      ]);
    }
    const kept = replays.get(ctx.path, requestId);
    if (kept) return replay(kept, ctx);
    const outcome = run();
    const keep = keepFor(outcome);
    if (keep) replays.set(ctx.path, requestId, keep);
    return { status: outcome.status, body: outcome.body, headers: outcome.headers };
  }

  function replay(kept: Kept, ctx: Ctx): Reply {
    const headers = { 'x-sandbox-replay': 'true' };
    if ('reply' in kept)
      return { status: kept.reply.status, body: kept.reply.raw, headers: { ...kept.reply.headers, ...headers } };
    const { kind, id } = kept.resource;
    if (kind === 'order') return json(200, orderJson(orders.get(id)!, ctx), headers);
    return json(200, refundJson(refunds.get(id)!, ctx.base, wantsRepresentation(ctx)), headers);
  }

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
            base: options.publicUrl?.replace(/\/$/, '') ?? (host ? `http://${host}` : publicBase()),
            requestId: headerValue(req.headers, 'paypal-request-id'),
          };
          reply = route(ctx);
        }
      } catch (error) {
        console.error('paypal sandbox: request failed', error);
        reply = apiError(500, 'orders', []);
      }
      if (!res.headersSent) send(res, reply);
    })();
  });

  // ---------------------------------------------------------------- control surface

  function ledger(): CaptureEntry[] {
    return ledgerEntries.map((entry) => ({ ...entry }));
  }

  function reset() {
    for (const { timer } of pendingTimers.values()) clearTimeout(timer);
    pendingTimers.clear();
    orders = new Map();
    captures = new Map();
    refunds = new Map();
    vault = new Map();
    replays.reset();
    ledgerEntries = [];
    webhooks.reset();
  }

  return {
    server,
    certificatePem: material.certificatePem,
    webhookId,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          const name =
            host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
          listeningBase = `http://${name}:${bound}`;
          resolve(bound);
        });
      });
    },
    async close() {
      for (const { timer } of pendingTimers.values()) clearTimeout(timer);
      pendingTimers.clear();
      await webhooks.close();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    url: () => publicBase(),
    ledger,
    approve(orderId, payer) {
      const reply = approveOrder(orderId, payer);
      if (reply.status !== 200) {
        const issue = (reply.body as { details?: ErrorDetail[] }).details?.[0]?.issue ?? String(reply.status);
        throw new Error(`paypal sandbox: cannot approve order ${orderId}: ${issue}`);
      }
    },
    async deliverPendingWebhooks() {
      for (const [captureId, { settle: result }] of [...pendingTimers]) settle(captureId, result);
      await webhooks.flushAll();
    },
    webhookLog: () => webhooks.log(),
    reset,
  };
}
