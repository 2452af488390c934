// The buyer's pages (payer action): what PayPal shows a buyer sent to approve an order, reduced to two buttons. Tests
// and people use them alike; no script, no style, nothing loaded from elsewhere.
import type { Reply } from './errors.js';
import { formatAmount } from './money.js';
import type { Ctx, Order } from './model.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function html(status: number, body: string, headers?: Record<string, string>): Reply {
  return {
    status,
    body: `<!doctype html><html><head><meta charset="utf-8"><title>PayPal sandbox</title></head><body>${body}</body></html>`,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  };
}

export function checkoutPage(orders: ReadonlyMap<string, Order>, ctx: Ctx): Reply {
  const id = ctx.query.get('token') ?? '';
  const order = orders.get(id);
  if (!order) return html(404, '<h1>Unknown order</h1>');
  const amount = `${formatAmount(order.unit.minor, order.unit.currency)} ${order.unit.currency}`;
  const token = encodeURIComponent(id);
  return html(
    200,
    `<h1>PayPal sandbox checkout</h1><p>Order ${escapeHtml(id)}: ${escapeHtml(amount)} (${order.status})</p>` +
      (order.vaultRequest ? '<p>Your PayPal account will be saved for future payments.</p>' : '') +
      `<form method="post" action="/checkoutnow/approve?token=${token}"><button>Pay with PayPal</button></form>` +
      `<form method="post" action="/checkoutnow/cancel?token=${token}"><button>Cancel</button></form>`,
  );
}

export function checkoutDecision(
  orders: ReadonlyMap<string, Order>,
  ctx: Ctx,
  decision: 'approve' | 'cancel',
  approveOrder: (id: string) => Reply,
): Reply {
  const id = ctx.query.get('token') ?? '';
  const order = orders.get(id);
  if (!order) return html(404, '<h1>Unknown order</h1>');
  if (decision === 'cancel') {
    if (!order.cancelUrl) return html(200, '<h1>Payment cancelled</h1>');
    const target = new URL(order.cancelUrl);
    target.searchParams.set('token', id);
    return html(303, '', { location: target.toString() });
  }
  const reply = approveOrder(id);
  if (reply.status !== 200) return html(reply.status, '<h1>This order cannot be approved</h1>');
  if (!order.returnUrl) return html(200, '<h1>Payment approved</h1><p>You can close this window.</p>');
  const target = new URL(order.returnUrl);
  target.searchParams.set('token', id);
  target.searchParams.set('PayerID', order.payer!.payer_id);
  return html(303, '', { location: target.toString() });
}
