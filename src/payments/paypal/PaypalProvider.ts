// PayPal adapter (Orders v2 + Vault): first payments wait for the buyer's approval and store the account in the vault;
// renewals are merchant-initiated orders against the vault id. Every POST carries PayPal-Request-Id = the charge's
// idempotency key, so a retried call after a lost answer gets the original result instead of a second charge.
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
} from '../provider.js';
import { toDecimalString, type Money } from '../../domain/money.js';
import { PaypalClient } from './client.js';
import { stringField } from './json.js';
import { isPaypalCurrency } from './currencies.js';
import { PaypalTransportError, type PaypalResponse } from './http.js';
import { renewalOrder, vaultingOrder } from './orderRequests.js';
import { captureOutcome, errorOutcome, issueOf, orderOutcome, vaultIdOf } from './outcomes.js';
import { captureRequestId } from './requestIds.js';
import { PaypalAuthError, PaypalTokenCache } from './tokenCache.js';

export type RefundOutcome =
  | { kind: 'refunded'; refundId: string; pending: boolean }
  | { kind: 'declined'; code: string; message: string }
  | { kind: 'unavailable'; code: string; message: string };

export interface PaypalProviderOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Per HTTP request, default 30 s. */
  timeoutMs?: number;
  /** Clock for token expiry; default the system clock. */
  now?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class PaypalProvider implements PaymentProvider {
  readonly name = 'PAYPAL' as const;
  private readonly client: PaypalClient;

  constructor(options: PaypalProviderOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const fetchFn = options.fetch ?? globalThis.fetch;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const tokens = new PaypalTokenCache({
      baseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      fetch: fetchFn,
      timeoutMs,
      now: options.now ?? (() => new Date()),
    });
    this.client = new PaypalClient({ baseUrl, fetch: fetchFn, timeoutMs, tokens });
  }

  supportsCurrency(currency: string): boolean {
    return isPaypalCurrency(currency);
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    return (await this.placeOrder(request)).outcome;
  }

  /**
   * Creates the charge's order: a first payment's (buyer approval, then vault) or a renewal's (captured at once).
   * A retried create with the same PayPal-Request-Id is answered 200 with the order as it is NOW, so the answer is
   * read for what it says, never assumed fresh: an order the buyer APPROVED since is captured (under the same
   * request id as every other capture of this payment, so once), and a COMPLETED one is paid by its capture.
   * `vaultId` is the account a first payment saved, for renewals (null otherwise).
   */
  async placeOrder(request: ChargeRequest): Promise<{ outcome: ChargeOutcome; vaultId: string | null }> {
    if (!this.supportsCurrency(request.amount.currency)) {
      throw new UnsupportedCurrencyError(this.name, request.amount.currency);
    }
    const method = request.method;
    if (method.kind !== 'paypalApproval' && method.kind !== 'paypalVault') {
      throw new InvalidPaymentMethodError(`PAYPAL cannot charge a ${method.kind} payment method`);
    }
    const body =
      method.kind === 'paypalApproval'
        ? vaultingOrder(request, method.returnUrl, method.cancelUrl)
        : renewalOrder(request, method.vaultId);
    let order: unknown = null;
    const outcome = await this.call(
      () => this.client.post('/v2/checkout/orders', body, request.idempotencyKey),
      (answer) => {
        order = answer;
        return orderOutcome(answer);
      },
    );
    const orderId = stringField(order, 'id');
    if (stringField(order, 'status') === 'APPROVED' && orderId) {
      return this.captureApprovedOrder(orderId, captureRequestId(request.idempotencyKey));
    }
    // Only a first payment saves an account; a renewal's order names the vault id it was charged to already.
    const saved = method.kind === 'paypalApproval' && (outcome.kind === 'succeeded' || outcome.kind === 'pending');
    return { outcome, vaultId: saved ? vaultIdOf(order) : null };
  }

  /**
   * Captures a first-payment order once the buyer approved it. `vaultId` is the saved PayPal account to use for
   * renewals (null unless the capture went through). Not yet approved: declined, soft (ORDER_NOT_APPROVED).
   */
  async captureApprovedOrder(
    orderId: string,
    idempotencyKey: string,
  ): Promise<{ outcome: ChargeOutcome; vaultId: string | null }> {
    const path = `/v2/checkout/orders/${encodeURIComponent(orderId)}`;
    let vaultId: string | null = null;
    const outcome = await this.call(
      async () => {
        const captured = await this.client.post(`${path}/capture`, {}, idempotencyKey);
        // Captured earlier under another key: the order itself says how it went.
        if (captured.status === 422 && issueOf(captured.body) === 'ORDER_ALREADY_CAPTURED')
          return this.client.get(path);
        return captured;
      },
      (order) => {
        vaultId = vaultIdOf(order);
        return orderOutcome(order);
      },
    );
    return { outcome, vaultId: outcome.kind === 'succeeded' || outcome.kind === 'pending' ? vaultId : null };
  }

  /** Where a charge stands: `providerReference` is a capture id, or an order id while no capture exists. */
  async status(providerReference: string): Promise<ChargeOutcome> {
    const id = encodeURIComponent(providerReference);
    let found: 'capture' | 'order' = 'capture';
    return this.call(
      async () => {
        const capture = await this.client.get(`/v2/payments/captures/${id}`);
        if (capture.status !== 404) return capture;
        found = 'order';
        return this.client.get(`/v2/checkout/orders/${id}`);
      },
      (body) => (found === 'capture' ? (captureOutcome(body) ?? orderOutcome(body)) : orderOutcome(body)),
    );
  }

  /**
   * Gives money back on a capture (a credit): `amount` omitted refunds what is left. Keyed like a charge, so a retried
   * refund after a lost answer returns the first refund instead of refunding twice.
   */
  async refundCapture(captureId: string, amount: Money | null, idempotencyKey: string): Promise<RefundOutcome> {
    if (amount && !this.supportsCurrency(amount.currency))
      throw new UnsupportedCurrencyError(this.name, amount.currency);
    const body = amount ? { amount: { currency_code: amount.currency, value: toDecimalString(amount) } } : {};
    const response = await reachPaypal(() =>
      this.client.post(`/v2/payments/captures/${encodeURIComponent(captureId)}/refund`, body, idempotencyKey),
    );
    if ('kind' in response) return response;
    return refundOutcome(response);
  }

  /** Where a refund stands (GET /v2/payments/refunds/{id}): a PENDING one is COMPLETED or FAILED later. */
  async refundStatus(refundId: string): Promise<RefundOutcome> {
    const response = await reachPaypal(() => this.client.get(`/v2/payments/refunds/${encodeURIComponent(refundId)}`));
    if ('kind' in response) return response;
    return refundOutcome(response);
  }

  /**
   * Asks PayPal whether a webhook delivery is genuine (POST /v1/notifications/verify-webhook-signature). PayPal
   * re-serialises the event it is given, so this suits deliveries whose body is PayPal's own compact JSON.
   */
  async verifyWebhookSignature(
    headers: Record<string, string>,
    webhookId: string,
    event: unknown,
  ): Promise<{ ok: boolean; reason?: string }> {
    const body = {
      auth_algo: headers['paypal-auth-algo'] ?? '',
      cert_url: headers['paypal-cert-url'] ?? '',
      transmission_id: headers['paypal-transmission-id'] ?? '',
      transmission_sig: headers['paypal-transmission-sig'] ?? '',
      transmission_time: headers['paypal-transmission-time'] ?? '',
      webhook_id: webhookId,
      webhook_event: event,
    };
    if (!body.transmission_id || !body.transmission_sig) return { ok: false, reason: 'signature headers missing' };
    let response: PaypalResponse;
    try {
      response = await this.client.post('/v1/notifications/verify-webhook-signature', body);
    } catch (error) {
      if (error instanceof PaypalTransportError || error instanceof PaypalAuthError) {
        throw new Error(`PayPal could not verify the webhook now: ${error.message}`, { cause: error });
      }
      throw error;
    }
    if (response.status === 200) {
      const status = stringField(response.body, 'verification_status');
      return status === 'SUCCESS' ? { ok: true } : { ok: false, reason: 'PayPal says the signature does not match' };
    }
    if (response.status >= 500) throw new Error(`PayPal could not verify the webhook now (HTTP ${response.status})`);
    return { ok: false, reason: `PayPal refused to verify (${issueOf(response.body) ?? response.status})` };
  }

  /** Runs one PayPal exchange; 2xx goes through `onSuccess`, errors and unreachability become outcomes. */
  private async call(
    send: () => Promise<PaypalResponse>,
    onSuccess: (body: unknown) => ChargeOutcome,
  ): Promise<ChargeOutcome> {
    const response = await reachPaypal(send);
    if ('kind' in response) return response;
    if (response.status >= 200 && response.status < 300) return onSuccess(response.body);
    return errorOutcome(response);
  }
}

/** A refund's answer (create or lookup): COMPLETED or PENDING is a refund; FAILED or CANCELLED, or a refusal, is not. */
function refundOutcome(response: PaypalResponse): RefundOutcome {
  const refundId = stringField(response.body, 'id');
  const status = stringField(response.body, 'status');
  if (response.status >= 200 && response.status < 300 && refundId && status) {
    return status === 'COMPLETED' || status === 'PENDING'
      ? { kind: 'refunded', refundId, pending: status === 'PENDING' }
      : { kind: 'declined', code: `REFUND_${status}`, message: `Refund ${status}` };
  }
  const outcome = errorOutcome(response);
  return outcome.kind === 'declined'
    ? { kind: 'declined', code: outcome.code, message: outcome.message }
    : {
        kind: 'unavailable',
        code: outcome.kind === 'unavailable' ? outcome.code : `HTTP_${response.status}`,
        message: 'PayPal could not refund now',
      };
}

type Unreachable = { kind: 'unavailable'; code: string; message: string };

/** Sends one exchange; PayPal unreachable, or refusing our credentials, is `unavailable` (try again later). */
async function reachPaypal(send: () => Promise<PaypalResponse>): Promise<PaypalResponse | Unreachable> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof PaypalTransportError) return { kind: 'unavailable', code: error.code, message: error.message };
    if (error instanceof PaypalAuthError) {
      return { kind: 'unavailable', code: 'AUTHENTICATION_FAILURE', message: error.message };
    }
    throw error;
  }
}
