// Money moving in the sandbox: charging an order, completing or declining a capture, and the webhooks that announce it.
import { apiError, detail, type Link, type Reply } from './errors.js';
import * as ids from './ids.js';
import { formatAmount, summaryAmount } from './money.js';
import { type ResourceRef } from './requestIds.js';
import { json, link, type Capture, type Ctx, type Order, type Outcome, type VaultToken } from './model.js';
import { captureJson, orderJson, vaultJson } from './representations.js';
import { type SandboxState } from './state.js';
import { MOCK_CODES, SCRIPTED_AMOUNTS } from './scripted.js';
import { type WebhookEvent } from './webhooks.js';

export function emit(
  state: SandboxState,
  eventType: string,
  resourceType: string,
  resourceVersion: string,
  summary: string,
  resource: unknown,
) {
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

export function emitCapture(state: SandboxState, c: Capture) {
  const amount = summaryAmount(c.minor, c.currency);
  const [type, summary] =
    c.status === 'PENDING'
      ? ['PAYMENT.CAPTURE.PENDING', `Payment pending for ${amount}`]
      : c.status === 'DECLINED'
        ? ['PAYMENT.CAPTURE.DENIED', `Payment denied for ${amount}`]
        : ['PAYMENT.CAPTURE.COMPLETED', `Payment completed for ${amount}`];
  emit(state, type, 'capture', '2.0', summary, captureJson(state, c, state.publicBase(), true));
}

// ---------------------------------------------------------------- money movement

export function complete(state: SandboxState, c: Capture) {
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

export function settle(state: SandboxState, captureId: string, result: 'COMPLETED' | 'DECLINED') {
  const pending = state.pendingTimers.get(captureId);
  if (pending) clearTimeout(pending.timer);
  state.pendingTimers.delete(captureId);
  const c = state.captures.get(captureId);
  if (!c || c.status !== 'PENDING') return;
  c.updateTime = state.iso();
  if (result === 'COMPLETED') complete(state, c);
  else c.status = 'DECLINED';
  emitCapture(state, c);
}

export function declined(state: SandboxState, issue: string, api: 'orders', extraLinks: Link[] = []): Reply {
  const status = MOCK_CODES[issue] ?? 422;
  return apiError(status, api, status === 500 ? [] : [detail(issue)], extraLinks);
}

/**
 * Moves the money for `order` (merchant-initiated create, or capture of an approved order): scripted outcome,
 * capture, vault token, ledger, webhooks; `persist` stores the order once money has moved.
 */
export function charge(state: SandboxState, order: Order, ctx: Ctx, persist: () => void): Outcome {
  const value = formatAmount(order.unit.minor, order.unit.currency);
  const script = SCRIPTED_AMOUNTS[value];
  const redirect =
    order.kind === 'vaulted' ? [] : [link(`${ctx.base}/checkoutnow?token=${order.id}`, 'redirect', 'GET')];
  if (script?.outcome === 'unavailable') return apiError(503, 'orders', []);
  if (script?.outcome === 'decline') {
    return declined(state, script.issue, 'orders', script.issue === 'INSTRUMENT_DECLINED' ? redirect : []);
  }
  if (state.options.rejectDuplicateInvoiceIds && order.unit.invoice_id !== undefined) {
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
      state,
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
  if (capture.status === 'COMPLETED') complete(state, capture);
  emitCapture(state, capture);
  if (script?.outcome === 'pending') {
    const result = script.settle;
    const timer = setTimeout(() => settle(state, capture.id, result), state.pendingDelayMs);
    state.pendingTimers.set(capture.id, { timer, settle: result });
  }

  const resource: ResourceRef = { kind: 'order', id: order.id };
  // A lost response: the capture happened, so a replay with the same request id answers the order.
  if (script?.outcome === 'lost-response') return { ...apiError(503, 'orders', []), resource };
  return { ...json(201, orderJson(state, order, ctx)), resource };
}
