// PayPal's JSON for what the sandbox holds: captures, orders (minimal or full, as Prefer asks), vault tokens and
// refunds, with the HATEOAS links PayPal sends.
import type { Link } from './errors.js';
import type { Capture, Ctx, Order, Payer, Refund, VaultToken } from './model.js';
import { link } from './model.js';
import { feeFor } from './money.js';
import type { SandboxState } from './state.js';

export function captureJson(state: SandboxState, c: Capture, base: string, related = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    status: c.status,
    amount: state.amountJson(c),
    final_capture: true,
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
  };
  if (c.status !== 'DECLINED') {
    const fee = feeFor(c.minor, c.currency);
    out.seller_receivable_breakdown = {
      gross_amount: state.amountJson(c),
      paypal_fee: state.amountOf(fee, c.currency),
      net_amount: state.amountOf(c.minor - fee, c.currency),
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

export function walletJson(state: SandboxState, order: Order, base: string): Record<string, unknown> {
  const payer = order.payer;
  if (!payer) return {};
  const out: Record<string, unknown> = {
    email_address: payer.email_address,
    account_id: payer.payer_id,
    account_status: 'VERIFIED',
    name: { ...payer.name },
  };
  if (order.kind !== 'vaulted') out.address = { country_code: payer.country_code };
  const token = order.vaultId ? state.vault.get(order.vaultId) : undefined;
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

export function payerJson(state: SandboxState, payer: Payer) {
  return { name: { ...payer.name }, email_address: payer.email_address, payer_id: payer.payer_id };
}

export function orderLinks(state: SandboxState, order: Order, base: string): Link[] {
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
export function orderMinimal(state: SandboxState, order: Order, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: order.id, status: order.status };
  if (order.kind !== 'checkout' || order.payer) out.payment_source = { paypal: walletJson(state, order, base) };
  const capture = order.captureId ? state.captures.get(order.captureId) : undefined;
  if (capture) {
    out.purchase_units = [
      { reference_id: order.unit.reference_id, payments: { captures: [captureJson(state, capture, base)] } },
    ];
  }
  if (capture && order.payer) out.payer = payerJson(state, order.payer);
  out.links = orderLinks(state, order, base);
  return out;
}

/** `Prefer: return=representation`, and GET: the whole order. */
export function orderFull(state: SandboxState, order: Order, base: string): Record<string, unknown> {
  const unit: Record<string, unknown> = {
    reference_id: order.unit.reference_id,
    amount: state.amountJson(order.unit),
    payee: { ...state.merchant },
  };
  for (const key of ['description', 'custom_id', 'invoice_id', 'soft_descriptor'] as const) {
    if (order.unit[key] !== undefined) unit[key] = order.unit[key];
  }
  const capture = order.captureId ? state.captures.get(order.captureId) : undefined;
  if (capture) unit.payments = { captures: [captureJson(state, capture, base)] };
  const out: Record<string, unknown> = { id: order.id, intent: 'CAPTURE', status: order.status };
  if (order.kind !== 'checkout' || order.payer) out.payment_source = { paypal: walletJson(state, order, base) };
  out.purchase_units = [unit];
  if (order.payer) out.payer = payerJson(state, order.payer);
  out.create_time = order.createTime;
  out.update_time = order.updateTime;
  out.links = orderLinks(state, order, base);
  return out;
}

export function wantsRepresentation(ctx: Ctx): boolean {
  return /return=representation/i.test(String(ctx.headers.prefer ?? ''));
}
/** An order as the request's `Prefer` header asks for it. */
export function orderJson(state: SandboxState, order: Order, ctx: Ctx): Record<string, unknown> {
  return wantsRepresentation(ctx) ? orderFull(state, order, ctx.base) : orderMinimal(state, order, ctx.base);
}

export function vaultJson(state: SandboxState, token: VaultToken, base: string): Record<string, unknown> {
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

export function refundJson(state: SandboxState, r: Refund, base: string, full: boolean): Record<string, unknown> {
  const links = [
    link(`${base}/v2/payments/refunds/${r.id}`, 'self', 'GET'),
    link(`${base}/v2/payments/captures/${r.captureId}`, 'up', 'GET'),
  ];
  if (!full) return { id: r.id, status: r.status, links };
  const capture = state.captures.get(r.captureId);
  const out: Record<string, unknown> = {
    id: r.id,
    amount: state.amountJson(r),
    seller_payable_breakdown: {
      gross_amount: state.amountJson(r),
      paypal_fee: state.amountOf(0, r.currency),
      net_amount: state.amountJson(r),
      total_refunded_amount: state.amountOf(capture?.refundedMinor ?? r.minor, r.currency),
    },
  };
  if (r.invoice_id !== undefined) out.invoice_id = r.invoice_id;
  if (r.note_to_payer !== undefined) out.note_to_payer = r.note_to_payer;
  if (r.status === 'PENDING') out.status_details = { reason: 'ECHECK' };
  Object.assign(out, { status: r.status, create_time: r.createTime, update_time: r.updateTime ?? r.createTime, links });
  return out;
}
