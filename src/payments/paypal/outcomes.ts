// PayPal answers (orders, captures, errors) turned into the provider-neutral ChargeOutcome.
import type { ChargeOutcome } from '../provider.js';
import type { PaypalResponse } from './http.js';
import { field, linkHref, stringField } from './json.js';

/** Declines that will not succeed on retry: the customer has to update the payment method. */
const HARD_DECLINES: ReadonlySet<string> = new Set([
  'INSTRUMENT_DECLINED',
  'PAYER_CANNOT_PAY',
  'AGREEMENT_ALREADY_CANCELLED',
  'TOKEN_ID_NOT_FOUND',
]);

/** The issue code of a PayPal error envelope (details[0].issue), else its name. */
export function issueOf(body: unknown): string | undefined {
  return stringField(body, 'details', 0, 'issue') ?? stringField(body, 'name') ?? stringField(body, 'error');
}

function messageOf(body: unknown, fallback: string): string {
  return (
    stringField(body, 'details', 0, 'description') ??
    stringField(body, 'message') ??
    stringField(body, 'error_description') ??
    fallback
  );
}

/**
 * A non-2xx answer. 422 is a business refusal (declined, hard or soft by issue). 400 and 404 will be the same next
 * time (a request PayPal cannot take, a vault token or order that no longer exists): hard declines, so collection
 * asks for another payment method instead of retrying forever. Anything else (401 after renewal, 429, 5xx) means
 * try again later.
 */
export function errorOutcome(response: PaypalResponse): ChargeOutcome {
  const code = issueOf(response.body) ?? `HTTP_${response.status}`;
  const message = messageOf(response.body, `PayPal answered HTTP ${response.status}`);
  if (response.status === 422) return { kind: 'declined', hard: HARD_DECLINES.has(code), code, message };
  if (response.status === 400 || response.status === 404) return { kind: 'declined', hard: true, code, message };
  return { kind: 'unavailable', code, message };
}

/** A capture resource (or an order's first capture) as an outcome. */
export function captureOutcome(capture: unknown): ChargeOutcome | undefined {
  const id = stringField(capture, 'id');
  const status = stringField(capture, 'status');
  if (id === undefined || status === undefined) return undefined;
  switch (status) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED': {
      const when = stringField(capture, 'update_time') ?? stringField(capture, 'create_time');
      const completedAt = when !== undefined && !Number.isNaN(Date.parse(when)) ? new Date(when) : new Date();
      return { kind: 'succeeded', providerReference: id, completedAt };
    }
    case 'PENDING':
      return { kind: 'pending', awaiting: 'webhook', providerReference: id };
    default: {
      const reason = stringField(capture, 'status_details', 'reason');
      return { kind: 'declined', hard: false, code: `CAPTURE_${status}`, message: reason ?? `Capture ${status}` };
    }
  }
}

/** An order (create, capture or lookup answer) as an outcome, from its capture when there is one. */
export function orderOutcome(order: unknown): ChargeOutcome {
  const fromCapture = captureOutcome(field(order, 'purchase_units', 0, 'payments', 'captures', 0));
  if (fromCapture) return fromCapture;
  const id = stringField(order, 'id') ?? '';
  const status = stringField(order, 'status');
  if (status === 'CREATED' || status === 'PAYER_ACTION_REQUIRED' || status === 'SAVED' || status === 'APPROVED') {
    const approvalUrl = linkHref(order, 'payer-action') ?? linkHref(order, 'approve');
    return {
      kind: 'pending',
      awaiting: 'buyerApproval',
      providerReference: id,
      ...(approvalUrl ? { approvalUrl } : {}),
    };
  }
  if (status === 'VOIDED') return { kind: 'declined', hard: false, code: 'ORDER_VOIDED', message: 'Order voided' };
  // COMPLETED without a capture in the answer: the capture's fate arrives by webhook.
  return { kind: 'pending', awaiting: 'webhook', providerReference: id };
}

/** The vault id PayPal returns when an order asked to store the account (payment_source.paypal.attributes.vault.id). */
export function vaultIdOf(order: unknown): string | null {
  return stringField(order, 'payment_source', 'paypal', 'attributes', 'vault', 'id') ?? null;
}
