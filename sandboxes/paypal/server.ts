// A local stand-in for PayPal's REST API (OAuth, Orders v2 with Vault v3 payment tokens, Payments v2 refunds,
// webhooks and webhook signature verification), written from PayPal's documented wire protocol and the samples in
// /work/shared/psp-samples. Tests and `npm start` (without real credentials) talk to it over real HTTP.
// It imports nothing from src/: it is an independent reading of the protocol, not a mirror of our adapter.
// Behaviour, scripted outcomes and sandbox-only routes are described in sandboxes/paypal/README.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError, detail, invalidClient, invalidToken, type ErrorDetail, type Link, type Reply } from './errors.js';
import * as ids from './ids.js';
import { formatAmount, parseAmount, summaryAmount } from './money.js';
import { keepFor, type Kept, type ResourceRef } from './requestIds.js';
import {
  isObject,
  json,
  link,
  type Capture,
  type Ctx,
  type Order,
  type Outcome,
  type Payer,
  type Refund,
  type VaultToken,
} from './model.js';
import { validateOrder } from './orderValidation.js';
import { CERT_PATH, SandboxState } from './state.js';
import { captureJson, orderFull, orderJson, refundJson, vaultJson, wantsRepresentation } from './representations.js';
import { checkoutDecision, checkoutPage } from './pages.js';

export type { Payer };
import { AUTH_ALGO, signedMessage, verifyMessage, type DeliveryRecord, type WebhookEvent } from './webhooks.js';

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

const MAX_BODY = 1024 * 1024;

export function createPaypalSandbox(options: PaypalSandboxOptions): PaypalSandbox {
  const state = new SandboxState(options);

  // ---------------------------------------------------------------- webhooks

  function emit(eventType: string, resourceType: string, resourceVersion: string, summary: string, resource: unknown) {
    const id = ids.webhookEventId();
    const base = state.publicBase();
    const event: WebhookEvent = {
      id,
      event_version: '1.0',
      create_time: state.now().toISOString(),
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
    state.webhooks.enqueue(event);
  }

  function emitCapture(c: Capture) {
    const amount = summaryAmount(c.minor, c.currency);
    const [type, summary] =
      c.status === 'PENDING'
        ? ['PAYMENT.CAPTURE.PENDING', `Payment pending for ${amount}`]
        : c.status === 'DECLINED'
          ? ['PAYMENT.CAPTURE.DENIED', `Payment denied for ${amount}`]
          : ['PAYMENT.CAPTURE.COMPLETED', `Payment completed for ${amount}`];
    emit(type, 'capture', '2.0', summary, captureJson(state, c, state.publicBase(), true));
  }

  // ---------------------------------------------------------------- money movement

  function complete(c: Capture) {
    c.status = 'COMPLETED';
    state.ledgerEntries.push({
      orderId: c.orderId,
      captureId: c.id,
      amount: formatAmount(c.minor, c.currency),
      currency: c.currency,
      vaultId: c.vaultId,
      requestId: c.requestId,
      completedAt: state.now().toISOString(),
    });
  }

  function settle(captureId: string, result: 'COMPLETED' | 'DECLINED') {
    const pending = state.pendingTimers.get(captureId);
    if (pending) clearTimeout(pending.timer);
    state.pendingTimers.delete(captureId);
    const c = state.captures.get(captureId);
    if (!c || c.status !== 'PENDING') return;
    c.updateTime = state.iso();
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
      const taken = [...state.captures.values()].some(
        (c) => c.invoice_id === order.unit.invoice_id && c.status !== 'DECLINED',
      );
      if (taken) return apiError(422, 'orders', [detail('DUPLICATE_INVOICE_ID')]);
    }

    const time = state.iso();
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
      state.vault.set(token.id, token);
      order.vaultId = token.id;
      emit(
        'VAULT.PAYMENT-TOKEN.CREATED',
        'payment_token',
        '3.0',
        'A payment token has been created.',
        vaultJson(state, token, state.publicBase()),
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
    state.captures.set(capture.id, capture);
    order.captureId = capture.id;
    order.status = 'COMPLETED';
    order.updateTime = time;
    if (capture.status === 'COMPLETED') complete(capture);
    emitCapture(capture);
    if (script?.outcome === 'pending') {
      const result = script.settle;
      const timer = setTimeout(() => settle(capture.id, result), state.pendingDelayMs);
      state.pendingTimers.set(capture.id, { timer, settle: result });
    }

    const resource: ResourceRef = { kind: 'order', id: order.id };
    // A lost response: the capture happened, so a replay with the same request id answers the order.
    if (script?.outcome === 'lost-response') return { ...apiError(503, 'orders', []), resource };
    return { ...json(201, orderJson(state, order, ctx)), resource };
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
    const at = state.now().getTime();
    // While a token is valid PayPal hands the same one out again, with the seconds it has left.
    let token = state.currentToken;
    if (!token || (state.tokens.get(token) ?? 0) <= at + 1000) {
      token = ids.accessToken();
      state.tokens.set(token, at + state.tokenTtlSeconds * 1000);
      state.currentToken = token;
    }
    const expiresIn = Math.floor(((state.tokens.get(token) ?? at) - at) / 1000);
    return json(200, {
      scope: SCOPE,
      access_token: token,
      token_type: 'Bearer',
      app_id: state.appId,
      expires_in: expiresIn,
      nonce: `${state.iso()}${ids.nonceSuffix()}`,
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
    const expiry = state.tokens.get(match[1]!);
    if (expiry === undefined || expiry <= state.now().getTime()) return invalidToken();
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
    const time = state.iso();
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
      const token = state.vault.get(draft.vaultId!);
      const where = { field: '/payment_source/paypal/vault_id', value: draft.vaultId };
      if (!token) return apiError(422, 'orders', [detail('TOKEN_ID_NOT_FOUND', where)]);
      if (token.deleted) return apiError(422, 'orders', [detail('AGREEMENT_ALREADY_CANCELLED', where)]);
      order.vaultId = token.id;
      order.payer = token.payer;
      // A merchant-initiated order against a vaulted wallet is captured at once, without the payer.
      return charge(order, ctx, () => state.orders.set(order.id, order));
    }
    state.orders.set(order.id, order);
    return { ...json(201, orderJson(state, order, ctx)), resource: { kind: 'order', id: order.id } };
  }

  function captureOrder(ctx: Ctx, id: string): Outcome {
    const order = state.orders.get(id);
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
    const order = state.orders.get(id);
    if (!order) return notFound('order_id', id, 'orders');
    if (order.status === 'APPROVED') return json(200, orderFull(state, order, state.publicBase()));
    if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
      return apiError(422, 'orders', [detail('ORDER_CANNOT_BE_APPROVED')]);
    }
    order.payer = { ...state.defaultPayer, ...payer, name: { ...state.defaultPayer.name, ...payer?.name } };
    order.status = 'APPROVED';
    order.updateTime = state.iso();
    return json(200, orderFull(state, order, state.publicBase()));
  }

  function refundCapture(ctx: Ctx, id: string): Outcome {
    const capture = state.captures.get(id);
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
      createTime: state.iso(),
    };
    state.refunds.set(refund.id, refund);
    capture.refundedMinor += minor;
    capture.status = capture.refundedMinor >= capture.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = refund.createTime;
    emit(
      'PAYMENT.CAPTURE.REFUNDED',
      'refund',
      '2.0',
      `A ${summaryAmount(minor, capture.currency)} capture payment was refunded`,
      refundJson(state, refund, state.publicBase(), true),
    );
    return {
      ...json(201, refundJson(state, refund, ctx.base, wantsRepresentation(ctx))),
      resource: { kind: 'refund', id: refund.id },
    };
  }

  function deleteVaultToken(id: string, base: string): Reply {
    const token = state.vault.get(id);
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
      verifyMessage(message, text('transmission_sig'), state.material.certificate);
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
        const order = state.orders.get(id!);
        return order ? json(200, orderFull(state, order, ctx.base)) : notFound('order_id', id!, 'orders');
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
        const capture = state.captures.get(id!);
        return capture
          ? json(200, captureJson(state, capture, ctx.base, true))
          : notFound('capture_id', id!, 'payments');
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
        const refund = state.refunds.get(id!);
        return refund ? json(200, refundJson(state, refund, ctx.base, true)) : notFound('refund_id', id!, 'payments');
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v3/vault/payment-tokens/${ID}$`),
      auth: true,
      handler: (ctx, [id]) => {
        const token = state.vault.get(id!);
        return token && !token.deleted ? json(200, vaultJson(state, token, ctx.base)) : notFound('id', id!, 'vault');
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
        body: state.material.certificatePem,
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
        const capture = state.captures.get(id!);
        if (!capture) return notFound('capture_id', id!, 'payments');
        if (capture.status !== 'PENDING') return json(409, { error: `capture is ${capture.status}, not PENDING` });
        settle(capture.id, action === 'complete' ? 'COMPLETED' : 'DECLINED');
        return json(200, captureJson(state, capture, ctx.base, true));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/__sandbox/vault/${ID}/revoke$`),
      auth: false,
      handler: (ctx, [id]) => deleteVaultToken(id!, ctx.base),
    },
    { method: 'GET', pattern: /^\/__sandbox\/ledger$/, auth: false, handler: () => json(200, state.ledger()) },
    {
      method: 'GET',
      pattern: /^\/__sandbox\/webhooks$/,
      auth: false,
      handler: () => json(200, state.webhooks.log()),
    },
    {
      method: 'POST',
      pattern: /^\/__sandbox\/reset$/,
      auth: false,
      handler: () => {
        state.reset();
        return json(200, { reset: true });
      },
    },
    { method: 'GET', pattern: /^\/checkoutnow$/, auth: false, handler: (ctx) => checkoutPage(state.orders, ctx) },
    {
      method: 'POST',
      pattern: /^\/checkoutnow\/(approve|cancel)$/,
      auth: false,
      handler: (ctx, [decision]) =>
        checkoutDecision(state.orders, ctx, decision as 'approve' | 'cancel', (id) => approveOrder(id)),
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
    const kept = state.replays.get(ctx.path, requestId);
    if (kept) return replay(kept, ctx);
    const outcome = run();
    const keep = keepFor(outcome);
    if (keep) state.replays.set(ctx.path, requestId, keep);
    return { status: outcome.status, body: outcome.body, headers: outcome.headers };
  }

  function replay(kept: Kept, ctx: Ctx): Reply {
    const headers = { 'x-sandbox-replay': 'true' };
    if ('reply' in kept)
      return { status: kept.reply.status, body: kept.reply.raw, headers: { ...kept.reply.headers, ...headers } };
    const { kind, id } = kept.resource;
    if (kind === 'order') return json(200, orderJson(state, state.orders.get(id)!, ctx), headers);
    return json(200, refundJson(state, state.refunds.get(id)!, ctx.base, wantsRepresentation(ctx)), headers);
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
            base: options.publicUrl?.replace(/\/$/, '') ?? (host ? `http://${host}` : state.publicBase()),
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
      const reply = approveOrder(orderId, payer);
      if (reply.status !== 200) {
        const issue = (reply.body as { details?: ErrorDetail[] }).details?.[0]?.issue ?? String(reply.status);
        throw new Error(`paypal sandbox: cannot approve order ${orderId}: ${issue}`);
      }
    },
    async deliverPendingWebhooks() {
      for (const [captureId, { settle: result }] of [...state.pendingTimers]) settle(captureId, result);
      await state.webhooks.flushAll();
    },
    webhookLog: () => state.webhooks.log(),
    reset: () => state.reset(),
  };
}
