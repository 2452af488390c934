// The sandbox's routes: which handler answers which method and path, and PayPal-Request-Id replays around them.
import { apiError, detail, type Reply } from './errors.js';
import * as ids from './ids.js';
import { keepFor, type Kept } from './requestIds.js';
import { isObject, json, type Ctx, type Outcome, type Payer } from './model.js';
import { checkoutDecision, checkoutPage } from './pages.js';
import { captureJson, orderFull, orderJson, refundJson, vaultJson, wantsRepresentation } from './representations.js';
import { type SandboxState } from './state.js';
import { settle } from './moneyMovement.js';
import {
  approveOrder,
  authenticate,
  captureOrder,
  createOrder,
  createToken,
  deleteVaultToken,
  notFound,
  refundCapture,
  verifySignature,
} from './handlers.js';

type Handler = (state: SandboxState, ctx: Ctx, params: string[]) => Outcome;
interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handler: Handler;
}
const ID = '([A-Za-z0-9_-]+)';
/** PayPal's endpoints this sandbox speaks, and its own controls under /__sandbox. */
const routes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/oauth2\/token$/, auth: false, handler: (state, ctx) => createToken(state, ctx) },
  { method: 'POST', pattern: /^\/v2\/checkout\/orders$/, auth: true, handler: (state, ctx) => createOrder(state, ctx) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/checkout/orders/${ID}$`),
    auth: true,
    handler: (state, ctx, [id]) => {
      const order = state.orders.get(id!);
      return order ? json(200, orderFull(state, order, ctx.base)) : notFound(state, 'order_id', id!, 'orders');
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v2/checkout/orders/${ID}/capture$`),
    auth: true,
    handler: (state, ctx, [id]) => captureOrder(state, ctx, id!),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/payments/captures/${ID}$`),
    auth: true,
    handler: (state, ctx, [id]) => {
      const capture = state.captures.get(id!);
      return capture
        ? json(200, captureJson(state, capture, ctx.base, true))
        : notFound(state, 'capture_id', id!, 'payments');
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v2/payments/captures/${ID}/refund$`),
    auth: true,
    handler: (state, ctx, [id]) => refundCapture(state, ctx, id!),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/payments/refunds/${ID}$`),
    auth: true,
    handler: (state, ctx, [id]) => {
      const refund = state.refunds.get(id!);
      return refund
        ? json(200, refundJson(state, refund, ctx.base, true))
        : notFound(state, 'refund_id', id!, 'payments');
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v3/vault/payment-tokens/${ID}$`),
    auth: true,
    handler: (state, ctx, [id]) => {
      const token = state.vault.get(id!);
      return token && !token.deleted
        ? json(200, vaultJson(state, token, ctx.base))
        : notFound(state, 'id', id!, 'vault');
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v3/vault/payment-tokens/${ID}$`),
    auth: true,
    handler: (state, ctx, [id]) => deleteVaultToken(state, id!, ctx.base),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/notifications\/verify-webhook-signature$/,
    auth: true,
    handler: (state, ctx) => verifySignature(state, ctx),
  },
  // Sandbox-only routes: no credentials, never on PayPal.
  {
    method: 'GET',
    pattern: /^\/__sandbox\/certs\/webhook\.pem$/,
    auth: false,
    handler: (state) => ({
      status: 200,
      body: state.material.certificatePem,
      headers: { 'content-type': 'application/x-pem-file' },
    }),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/__sandbox/orders/${ID}/approve$`),
    auth: false,
    handler: (state, ctx, [id]) => {
      let payer: Partial<Payer> | undefined;
      try {
        const body = ctx.raw.length ? (JSON.parse(ctx.raw.toString('utf8')) as unknown) : undefined;
        if (isObject(body) && isObject(body.payer)) payer = body.payer as Partial<Payer>;
      } catch {
        return apiError(400, 'orders', [detail('MALFORMED_REQUEST_JSON')]);
      }
      return approveOrder(state, id!, payer);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/__sandbox/captures/${ID}/(complete|deny)$`),
    auth: false,
    handler: (state, ctx, [id, action]) => {
      const capture = state.captures.get(id!);
      if (!capture) return notFound(state, 'capture_id', id!, 'payments');
      if (capture.status !== 'PENDING') return json(409, { error: `capture is ${capture.status}, not PENDING` });
      settle(state, capture.id, action === 'complete' ? 'COMPLETED' : 'DECLINED');
      return json(200, captureJson(state, capture, ctx.base, true));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/__sandbox/vault/${ID}/revoke$`),
    auth: false,
    handler: (state, ctx, [id]) => deleteVaultToken(state, id!, ctx.base),
  },
  { method: 'GET', pattern: /^\/__sandbox\/ledger$/, auth: false, handler: (state) => json(200, state.ledger()) },
  {
    method: 'GET',
    pattern: /^\/__sandbox\/webhooks$/,
    auth: false,
    handler: (state) => json(200, state.webhooks.log()),
  },
  {
    method: 'POST',
    pattern: /^\/__sandbox\/reset$/,
    auth: false,
    handler: (state) => {
      state.reset();
      return json(200, { reset: true });
    },
  },
  { method: 'GET', pattern: /^\/checkoutnow$/, auth: false, handler: (state, ctx) => checkoutPage(state.orders, ctx) },
  {
    method: 'POST',
    pattern: /^\/checkoutnow\/(approve|cancel)$/,
    auth: false,
    handler: (state, ctx, [decision]) =>
      checkoutDecision(state.orders, ctx, decision as 'approve' | 'cancel', (id) => approveOrder(state, id)),
  },
];

export function route(state: SandboxState, ctx: Ctx): Reply {
  let pathMatched = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(ctx.path);
    if (!match) continue;
    pathMatched = true;
    if (candidate.method !== ctx.method) continue;
    if (candidate.auth) {
      const refused = authenticate(state, ctx);
      if (refused) return refused;
    }
    const params = match.slice(1);
    const idempotent = candidate.auth && ctx.method === 'POST';
    if (!idempotent || ctx.requestId === null) {
      const outcome = candidate.handler(state, ctx, params);
      return { status: outcome.status, body: outcome.body, headers: outcome.headers };
    }
    return withRequestId(state, ctx, () => candidate.handler(state, ctx, params));
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
export function withRequestId(state: SandboxState, ctx: Ctx, run: () => Outcome): Reply {
  const requestId = ctx.requestId!;
  if (requestId.length > 108) {
    return apiError(400, 'orders', [
      {
        ...detail('INVALID_STRING_MAX_LENGTH', { field: 'PayPal-Request-Id', value: requestId, location: 'header' }),
      },
    ]);
  }
  const kept = state.replays.get(ctx.path, requestId);
  if (kept) return replay(state, kept, ctx);
  const outcome = run();
  const keep = keepFor(outcome);
  if (keep) state.replays.set(ctx.path, requestId, keep);
  return { status: outcome.status, body: outcome.body, headers: outcome.headers };
}

export function replay(state: SandboxState, kept: Kept, ctx: Ctx): Reply {
  const headers = { 'x-sandbox-replay': 'true' };
  if ('reply' in kept)
    return { status: kept.reply.status, body: kept.reply.raw, headers: { ...kept.reply.headers, ...headers } };
  const { kind, id } = kept.resource;
  if (kind === 'order') return json(200, orderJson(state, state.orders.get(id)!, ctx), headers);
  return json(200, refundJson(state, state.refunds.get(id)!, ctx.base, wantsRepresentation(ctx)), headers);
}
