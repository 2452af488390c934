// The sandbox's request handlers: tokens, orders, captures, refunds, vault tokens and webhook signature checks.
import { apiError, detail, invalidClient, invalidToken, type ErrorDetail, type Link, type Reply } from './errors.js';
import * as ids from './ids.js';
import { formatAmount, parseAmount, summaryAmount } from './money.js';
import { isObject, json, link, type Ctx, type Order, type Outcome, type Payer, type Refund } from './model.js';
import { validateOrder } from './orderValidation.js';
import { orderFull, orderJson, refundJson, wantsRepresentation } from './representations.js';
import { CERT_PATH, type SandboxState } from './state.js';
import { MOCK_CODES, SCOPE } from './scripted.js';
import { AUTH_ALGO, signedMessage, verifyMessage } from './webhooks.js';
import { charge, declined, emit } from './moneyMovement.js';

export function parseJsonBody(
  state: SandboxState,
  ctx: Ctx,
  api: 'orders' | 'payments' | 'webhooks',
): { body: unknown } | { error: Reply } {
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
export function mockResponse(state: SandboxState, ctx: Ctx, extraLinks: Link[] = []): Reply | undefined {
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
  return declined(state, code, 'orders', code === 'INSTRUMENT_DECLINED' ? extraLinks : []);
}

export function notFound(
  state: SandboxState,
  field: string,
  value: string,
  api: 'orders' | 'payments' | 'vault',
): Reply {
  return apiError(404, api, [detail('INVALID_RESOURCE_ID', { field, value, location: 'path' })]);
}

export function createToken(state: SandboxState, ctx: Ctx): Reply {
  const header = String(ctx.headers.authorization ?? '');
  const match = /^Basic\s+(.+)$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const id = colon >= 0 ? decoded.slice(0, colon) : '';
  const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
  if (!match || id !== state.options.clientId || secret !== state.options.clientSecret) return invalidClient();
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

export function authenticate(state: SandboxState, ctx: Ctx): Reply | undefined {
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

export function createOrder(state: SandboxState, ctx: Ctx): Outcome {
  const parsed = parseJsonBody(state, ctx, 'orders');
  if ('error' in parsed) return parsed.error;
  const checked = validateOrder(parsed.body);
  if ('error' in checked) return checked.error;
  const mocked = mockResponse(state, ctx);
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
    return charge(state, order, ctx, () => state.orders.set(order.id, order));
  }
  state.orders.set(order.id, order);
  return { ...json(201, orderJson(state, order, ctx)), resource: { kind: 'order', id: order.id } };
}

export function captureOrder(state: SandboxState, ctx: Ctx, id: string): Outcome {
  const order = state.orders.get(id);
  if (!order) return notFound(state, 'order_id', id, 'orders');
  const parsed = parseJsonBody(state, ctx, 'orders');
  if ('error' in parsed) return parsed.error;
  const redirect = [link(`${ctx.base}/checkoutnow?token=${order.id}`, 'redirect', 'GET')];
  const mocked = mockResponse(state, ctx, redirect);
  if (mocked) return mocked;
  if (order.status === 'COMPLETED') return apiError(422, 'orders', [detail('ORDER_ALREADY_CAPTURED')]);
  if (order.status !== 'APPROVED') return apiError(422, 'orders', [detail('ORDER_NOT_APPROVED')]);
  return charge(state, order, ctx, () => undefined);
}

export function approveOrder(state: SandboxState, id: string, payer?: Partial<Payer>): Reply {
  const order = state.orders.get(id);
  if (!order) return notFound(state, 'order_id', id, 'orders');
  if (order.status === 'APPROVED') return json(200, orderFull(state, order, state.publicBase()));
  if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
    return apiError(422, 'orders', [detail('ORDER_CANNOT_BE_APPROVED')]);
  }
  order.payer = { ...state.defaultPayer, ...payer, name: { ...state.defaultPayer.name, ...payer?.name } };
  order.status = 'APPROVED';
  order.updateTime = state.iso();
  return json(200, orderFull(state, order, state.publicBase()));
}

export function refundCapture(state: SandboxState, ctx: Ctx, id: string): Outcome {
  const capture = state.captures.get(id);
  if (!capture) return notFound(state, 'capture_id', id, 'payments');
  const parsed = parseJsonBody(state, ctx, 'payments');
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
  // Scripted: PayPal holds some refunds (an eCheck-funded capture); 5.00 completes later, 5.01 fails later.
  const scripted = formatAmount(minor, capture.currency);
  const pendingEnd = scripted === '5.00' ? 'COMPLETED' : scripted === '5.01' ? 'FAILED' : null;
  const refund: Refund = {
    id: ids.resourceId(),
    captureId: capture.id,
    status: pendingEnd ? 'PENDING' : 'COMPLETED',
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
  if (pendingEnd) {
    const timer = setTimeout(() => settleRefund(state, refund, pendingEnd), state.pendingDelayMs);
    state.pendingRefundTimers.set(refund.id, timer);
  } else announceRefund(state, refund);
  return {
    ...json(201, refundJson(state, refund, ctx.base, wantsRepresentation(ctx))),
    resource: { kind: 'refund', id: refund.id },
  };
}

function announceRefund(state: SandboxState, refund: Refund): void {
  emit(
    state,
    'PAYMENT.CAPTURE.REFUNDED',
    'refund',
    '2.0',
    `A ${summaryAmount(refund.minor, refund.currency)} capture payment was refunded`,
    refundJson(state, refund, state.publicBase(), true),
  );
}

/** A held refund ends: COMPLETED (announced), or FAILED (its amount is refundable again). */
function settleRefund(state: SandboxState, refund: Refund, end: 'COMPLETED' | 'FAILED'): void {
  state.pendingRefundTimers.delete(refund.id);
  if (refund.status !== 'PENDING') return;
  refund.status = end;
  refund.updateTime = state.iso();
  if (end === 'COMPLETED') return announceRefund(state, refund);
  const capture = state.captures.get(refund.captureId);
  if (!capture) return;
  capture.refundedMinor -= refund.minor;
  capture.status = capture.refundedMinor > 0 ? 'PARTIALLY_REFUNDED' : 'COMPLETED';
  capture.updateTime = refund.updateTime;
}

export function deleteVaultToken(state: SandboxState, id: string, base: string): Reply {
  const token = state.vault.get(id);
  if (!token || token.deleted) return notFound(state, 'id', id, 'vault');
  token.deleted = true;
  emit(state, 'VAULT.PAYMENT-TOKEN.DELETED', 'payment_token', '3.0', 'A payment token has been deleted.', {
    id: token.id,
    links: [link(`${base}/v3/vault/payment-tokens/${token.id}`, 'self', 'GET')],
  });
  return { status: 204 };
}

export function verifySignature(state: SandboxState, ctx: Ctx): Reply {
  const parsed = parseJsonBody(state, ctx, 'webhooks');
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
