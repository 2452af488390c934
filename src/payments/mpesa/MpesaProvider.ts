// M-Pesa (Safaricom Daraja) behind the PaymentProvider contract: STK Push (M-Pesa Express) to charge, STK Push Query
// to ask where a charge stands. The push only opens a prompt on the customer's phone, so charge() answers `pending`
// with the CheckoutRequestID; the result comes as a callback (parseStkCallback) and is confirmed with status().
//
// Idempotency: Daraja has no idempotency header, and a resent push opens a second prompt (a second charge, unless
// the 2-minute duplicate rule catches it). This adapter deliberately invents no mechanism of its own. The caller
// (the charge activity) must record the CheckoutRequestID returned by charge() under the request's idempotencyKey
// before anything can retry, and a retry that finds a recorded CheckoutRequestID must call status() with it to
// reconcile instead of pushing again. Only an `unavailable` outcome (no CheckoutRequestID) may be pushed again.
//
// Secrets (consumer key/secret, passkey, tokens, Password) are never logged or put in messages.
import { isKenyanMobile, normalizePhone } from '../../domain/phone.js';
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
} from '../provider.js';
import { accountReference, transactionDescription } from './chargeTexts.js';
import { asDarajaError, darajaExchange, type DarajaExchange } from './http.js';
import { failedResultOutcome } from './resultCodes.js';
import { darajaTimestamp, stkPassword } from './timestamp.js';
import {
  b2cBody,
  reversalBody,
  statusQueryBody,
  type B2cRefundRequest,
  type ReversalRequest,
  type ReversalSettings,
} from './reversal.js';
import type { RefundOutcome } from '../../refunds/refundOutcome.js';
import { MpesaTokenCache, MpesaTokenError } from './tokenCache.js';

export { parseStkCallback, type StkCallback } from './callback.js';
import type { PaybillUrls } from './c2b.js';
import { acceptedStandingOrder, standingOrderBody, type StandingOrderRequest } from './ratiba.js';

export interface MpesaProviderOptions {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Paybill / till number: BusinessShortCode and PartyB. */
  shortcode: string;
  passkey: string;
  /** Where Daraja POSTs the result; should carry a secret path token (callbacks are not signed). */
  callbackUrl: string;
  /** Reversals and status queries (refunds); absent: M-Pesa refunds are refused as not configured. */
  reversal?: ReversalSettings | null;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Per HTTP request. Default 15 000 ms. */
  timeoutMs?: number;
}

const INVALID_TOKEN = '404.001.03';
const STILL_PROCESSING = '500.001.1001';
const MIN_KES = 1;
const MAX_KES = 250_000;

type Unavailable = Extract<ChargeOutcome, { kind: 'unavailable' }>;

export class MpesaProvider implements PaymentProvider {
  readonly name = 'MPESA' as const;

  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly tokens: MpesaTokenCache;

  constructor(private readonly options: MpesaProviderOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.tokens = new MpesaTokenCache({
      baseUrl: this.baseUrl,
      consumerKey: options.consumerKey,
      consumerSecret: options.consumerSecret,
      fetch: this.fetchImpl,
      now: this.now,
      timeoutMs: this.timeoutMs,
    });
  }

  supportsCurrency(currency: string): boolean {
    return currency === 'KES';
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const { phone, shillings } = this.validate(request);
    const timestamp = darajaTimestamp(this.now());
    const { shortcode } = this.options;
    const exchange = await this.authorized('/mpesa/stkpush/v1/processrequest', {
      BusinessShortCode: shortcode,
      Password: stkPassword(shortcode, this.options.passkey, timestamp),
      Timestamp: timestamp,
      TransactionType: 'CustomerPayBillOnline',
      Amount: shillings,
      PartyA: phone,
      PartyB: shortcode,
      PhoneNumber: phone,
      CallBackURL: this.options.callbackUrl,
      AccountReference: accountReference(request.invoiceNumber),
      TransactionDesc: transactionDescription(request.description),
    });
    if ('outcome' in exchange) return exchange.outcome;
    const { status, body } = exchange;
    if (status === 200 && isRecord(body) && body.ResponseCode !== undefined) {
      const checkoutRequestId = body.CheckoutRequestID;
      if (String(body.ResponseCode) === '0' && typeof checkoutRequestId === 'string' && checkoutRequestId) {
        return { kind: 'pending', providerReference: checkoutRequestId, awaiting: 'callback' };
      }
      if (String(body.ResponseCode) !== '0') {
        return {
          kind: 'declined',
          hard: true,
          code: String(body.ResponseCode),
          message: 'M-Pesa did not accept the payment request',
        };
      }
    }
    return errorOutcome(status, body);
  }

  async status(checkoutRequestId: string, _request: Pick<ChargeRequest, 'amount' | 'method'>): Promise<ChargeOutcome> {
    const timestamp = darajaTimestamp(this.now());
    const { shortcode } = this.options;
    const exchange = await this.authorized('/mpesa/stkpushquery/v1/query', {
      BusinessShortCode: shortcode,
      Password: stkPassword(shortcode, this.options.passkey, timestamp),
      Timestamp: timestamp,
      CheckoutRequestID: checkoutRequestId,
    });
    if ('outcome' in exchange) return exchange.outcome;
    const { status, body } = exchange;
    if (status === 200 && isRecord(body) && String(body.ResponseCode) === '0') {
      // ResultCode is a STRING in STK Query answers (a number in callbacks): compare as strings.
      const resultCode = body.ResultCode;
      if (resultCode === undefined || resultCode === null || resultCode === '') {
        return { kind: 'pending', providerReference: checkoutRequestId, awaiting: 'callback' };
      }
      const code = String(resultCode).trim();
      // The query carries no receipt: the CheckoutRequestID stays the reference.
      if (code === '0') return { kind: 'succeeded', providerReference: checkoutRequestId, completedAt: this.now() };
      return failedResultOutcome(code);
    }
    const error = asDarajaError(body);
    if (error?.errorCode === STILL_PROCESSING) {
      // "The transaction is being processed": the customer has not answered yet.
      return { kind: 'pending', providerReference: checkoutRequestId, awaiting: 'callback' };
    }
    return errorOutcome(status, body);
  }

  /**
   * Asks Daraja to reverse a paid transaction (refunds). Accepted means only queued: the result comes to the refund's
   * ResultURL. Not idempotent on Daraja's side beyond "a transaction is reversed once": the caller commits that it
   * asked before asking, and follows up with queryReversal() rather than asking twice.
   */
  async reverse(request: ReversalRequest): Promise<RefundOutcome> {
    const settings = this.reversalSettings();
    if (!settings)
      return {
        kind: 'failed',
        code: 'MPESA_REVERSAL_NOT_CONFIGURED',
        message: 'M-Pesa reversals are not configured (MPESA_INITIATOR_NAME, MPESA_SECURITY_CREDENTIAL)',
      };
    const exchange = await this.authorized(
      '/mpesa/reversal/v1/request',
      reversalBody(settings, this.options.shortcode, this.options.callbackUrl, request),
    );
    if ('outcome' in exchange) return exchange.outcome;
    return accepted(exchange.status, exchange.body);
  }

  /**
   * A partial refund: pays the amount to the phone by B2C. The refund's id is the OriginatorConversationID (v3), and
   * the caller commits that it asked before asking, then follows up with queryReversal(), never asking twice.
   */
  async sendB2c(request: B2cRefundRequest): Promise<RefundOutcome> {
    const settings = this.reversalSettings();
    if (!settings)
      return {
        kind: 'failed',
        code: 'MPESA_REVERSAL_NOT_CONFIGURED',
        message: 'M-Pesa refunds are not configured (MPESA_INITIATOR_NAME, MPESA_SECURITY_CREDENTIAL)',
      };
    const exchange = await this.authorized(
      '/mpesa/b2c/v3/paymentrequest',
      b2cBody(settings, this.options.shortcode, this.options.callbackUrl, request),
    );
    if ('outcome' in exchange) return exchange.outcome;
    return accepted(exchange.status, exchange.body);
  }

  /** Asks Daraja for the status of a refund's reversal; the answer comes to the refund's status ResultURL. */
  async queryReversal(query: {
    refundId: string;
    receiptNumber: string | null;
    reversal: string | null;
  }): Promise<RefundOutcome> {
    const settings = this.reversalSettings();
    if (!settings)
      return {
        kind: 'unavailable',
        code: 'MPESA_REVERSAL_NOT_CONFIGURED',
        message: 'M-Pesa reversals are not configured',
      };
    const exchange = await this.authorized(
      '/mpesa/transactionstatus/v1/query',
      statusQueryBody(settings, this.options.shortcode, this.options.callbackUrl, query),
    );
    if ('outcome' in exchange) return exchange.outcome;
    return accepted(exchange.status, exchange.body);
  }

  /**
   * Register URL (C2B v2): where M-Pesa sends the paybill's payments made from phones (docs/paybill.md). Registering
   * again replaces the URLs on Daraja's sandbox; in production Safaricom may need to be asked to change them.
   */
  async registerPaybillUrls(urls: PaybillUrls): Promise<{ ok: true } | { ok: false; message: string }> {
    const exchange = await this.authorized('/mpesa/c2b/v2/registerurl', {
      ShortCode: this.options.shortcode,
      ResponseType: urls.responseType,
      ConfirmationURL: urls.confirmationUrl,
      ValidationURL: urls.validationUrl,
    });
    if ('outcome' in exchange) return { ok: false, message: exchange.outcome.message };
    if (exchange.status === 200 && isRecord(exchange.body) && String(exchange.body.ResponseCode) === '0') {
      return { ok: true };
    }
    const error = asDarajaError(exchange.body);
    return { ok: false, message: error ? `${error.errorCode} ${error.errorMessage}` : `HTTP ${exchange.status}` };
  }

  /**
   * M-Pesa Ratiba: asks Daraja to put a standing order to our paybill on the customer's phone (docs/ratiba.md). The
   * customer's answer comes later to `callbackUrl`. Refused (`declined`) or not reached (`unavailable`, retried by
   * the caller) like a charge.
   */
  async createStandingOrder(
    request: Omit<StandingOrderRequest, 'callbackUrl'> & { callbackPath: string },
  ): Promise<{ kind: 'accepted'; refId: string } | Exclude<ChargeOutcome, { kind: 'succeeded' | 'pending' }>> {
    const { callbackPath, ...order } = request;
    const body = standingOrderBody(this.options.shortcode, {
      ...order,
      callbackUrl: `${this.options.callbackUrl}${callbackPath}`,
    });
    const exchange = await this.authorized('/standingorder/v1/createStandingOrderExternal', body);
    if ('outcome' in exchange) return exchange.outcome;
    const accepted = acceptedStandingOrder(exchange.status, exchange.body);
    if (accepted) return { kind: 'accepted', refId: accepted.refId };
    const outcome = errorOutcome(exchange.status, exchange.body);
    return outcome.kind === 'declined' || outcome.kind === 'unavailable'
      ? outcome
      : unavailable(`HTTP_${exchange.status}`, `M-Pesa answered HTTP ${exchange.status}`);
  }

  private reversalSettings(): ReversalSettings | null {
    return this.options.reversal ?? null;
  }

  /** Refuses before any HTTP call; returns the phone as 2547XXXXXXXX / 2541XXXXXXXX and the whole-KES amount. */
  private validate(request: ChargeRequest): { phone: string; shillings: number } {
    const { amount, method } = request;
    if (!this.supportsCurrency(amount.currency)) throw new UnsupportedCurrencyError(this.name, amount.currency);
    if (method.kind !== 'mpesa') {
      throw new InvalidPaymentMethodError(`M-Pesa cannot charge a ${method.kind} payment method`);
    }
    const e164 = normalizePhone(method.phone);
    if (!e164 || !isKenyanMobile(e164)) {
      throw new InvalidPaymentMethodError('M-Pesa needs a Kenyan mobile number');
    }
    if (!Number.isSafeInteger(amount.amount) || amount.amount % 100 !== 0) {
      throw new InvalidPaymentMethodError('M-Pesa takes whole shillings only (KES amounts without cents)');
    }
    const shillings = amount.amount / 100;
    if (shillings < MIN_KES || shillings > MAX_KES) {
      throw new InvalidPaymentMethodError(`M-Pesa takes ${MIN_KES} to ${MAX_KES} KES per payment`);
    }
    return { phone: e164.slice(1), shillings };
  }

  /**
   * POSTs with the cached Bearer token. An invalid token (HTTP 404, 404.001.03: expired, e.g. sooner than our clock says)
   * is dropped and the call retried once with a fresh token. Network failures come back as `unavailable`.
   */
  private async authorized(
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown } | { outcome: Unavailable }> {
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await this.tokens.get();
      } catch (error) {
        if (error instanceof MpesaTokenError) return { outcome: unavailable(error.code, error.message) };
        throw error;
      }
      const exchange: DarajaExchange = await darajaExchange(this.fetchImpl, `${this.baseUrl}${path}`, {
        method: 'POST',
        authorization: `Bearer ${token}`,
        body,
        timeoutMs: this.timeoutMs,
      });
      if (exchange.kind === 'network') return { outcome: unavailable(exchange.code, exchange.message) };
      if (exchange.status === 404 && asDarajaError(exchange.body)?.errorCode === INVALID_TOKEN && attempt === 1) {
        this.tokens.invalidate(token);
        continue;
      }
      return { status: exchange.status, body: exchange.body };
    }
  }
}

/** An asynchronous request's acknowledgement: ResponseCode 0 with the request's conversation ids, or a refusal. */
function accepted(status: number, body: unknown): RefundOutcome {
  if (
    status === 200 &&
    isRecord(body) &&
    String(body.ResponseCode) === '0' &&
    typeof body.ConversationID === 'string'
  ) {
    const originator = typeof body.OriginatorConversationID === 'string' ? body.OriginatorConversationID : null;
    return { kind: 'pending', providerReference: body.ConversationID, providerRequestId: originator };
  }
  const outcome = errorOutcome(status, body);
  if (outcome.kind === 'declined') return { kind: 'failed', code: outcome.code, message: outcome.message };
  if (outcome.kind === 'unavailable') return outcome;
  return { kind: 'unavailable', code: `HTTP_${status}`, message: `M-Pesa answered HTTP ${status}` };
}

/** Daraja error answers: 5xx family (server errors, spike arrest, subscriber locked) → unavailable; 400 → declined. */
function errorOutcome(status: number, body: unknown): ChargeOutcome {
  const error = asDarajaError(body);
  const code = error?.errorCode ?? `HTTP_${status}`;
  const message = error?.errorMessage || `M-Pesa answered HTTP ${status}`;
  if (status === 400 || code.startsWith('400.')) return { kind: 'declined', hard: true, code, message };
  // 5xx, 500.003.02 spike arrest, 500.001.1001 "Unable to lock subscriber", a token still refused after renewal,
  // or an answer we cannot read: nothing was charged as far as we know; try again later.
  return unavailable(code, message);
}

function unavailable(code: string, message: string): Unavailable {
  return { kind: 'unavailable', code, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
