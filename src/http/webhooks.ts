// Provider callbacks and webhooks. Bodies are read as raw text: what is stored is exactly what arrived. A body
// refused before it can be read as a delivery (too large, not JSON, not UTF-8, empty) is stored too, REJECTED.
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import type { WebhookSignatureVerifier } from '../payments/paypal/webhookSignature.js';
import { recordMpesaCallback, sameSecret } from '../payments/webhooks/recordMpesaCallback.js';
import { recordPaypalWebhook } from '../payments/webhooks/recordPaypalWebhook.js';
import { providerWebhooks } from '../observability/metrics.js';
import { recordRefusedDelivery } from '../payments/webhooks/recordRefusedDelivery.js';
import { recordMpesaRefundResult, REFUND_RESULT_ROUTES } from '../payments/webhooks/recordMpesaRefundResult.js';
import type { RefundResultRoute } from '../payments/mpesa/reversal.js';
import type { MatchedPayment } from '../payments/webhooks/paymentByReference.js';
import type { PaymentProvider } from '../entities/Payment.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { PaymentNotifier } from '../temporal/notifyPayment.js';
import { readDeliveryBody } from './deliveryBody.js';
import { answerPaybillValidation } from '../payments/paybill/answerPaybillValidation.js';
import { recordPaybillConfirmation } from '../payments/paybill/recordPaybillConfirmation.js';
import { recordStandingOrderResult } from '../payments/ratiba/recordStandingOrderResult.js';

function headersOf(req: express.Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
  );
}

export interface WebhookOptions {
  em: EntityManager;
  mpesaCallbackSecret: string | null;
  paypal: WebhookSignatureVerifier | null;
  cipher: FieldCipher;
  /** Wakes the owning workflow; called after the answer is sent, so providers are answered fast. */
  notify: PaymentNotifier;
  /** Wakes a refund's workflow (an M-Pesa reversal or status result); after the answer, like `notify`. */
  notifyRefund?: (refundId: string) => Promise<void>;
  /** Wakes a standing order's workflow once the customer answered it on their phone; after the answer. */
  standingOrderAnswered?: (standingOrderId: string) => Promise<void>;
  /** Paybill (C2B) payments: our shortcode, and how an invoice they paid tells its collection (after the answer). */
  paybill?: { shortCode: string; invoiceClosed: (subscriptionId: string | null, invoiceId: string) => Promise<void> };
}

/**
 * Only a first delivery about a known payment wakes its workflow; duplicates change nothing, not even that. After
 * the answer, or once the provider has hung up on a slow one ('close' comes either way, 'finish' only with an
 * answer; it may have come before this is called): a provider that gave up waiting sends the callback again, that
 * delivery is a DUPLICATE, and without this the workflow would wait out MPESA_CALLBACK_WAIT_SECONDS (a loaded
 * billing run's 90-second tail).
 */
export function notifyAfterResponse(
  res: express.Response,
  notify: PaymentNotifier,
  verdict: { status: string; matched?: MatchedPayment | null },
): void {
  const matched = verdict.status === 'ACCEPTED' ? verdict.matched : null;
  if (!matched) return;
  afterResponse(res, () => void notify(matched.subscriptionId, matched.payment.id, matched.payment.invoice.id));
}

/** Runs `then` once the provider has its answer or has hung up: at once when it hung up while we were recording. */
function afterResponse(res: express.Response, then: () => void): void {
  if (res.destroyed || !res.socket || res.socket.destroyed) then();
  else res.once('close', then);
}

/**
 * The body as text, or null once a refusal has been stored and answered (in the provider's answer shape). `note`
 * adds to the stored reason what else was wrong (an M-Pesa path secret).
 */
async function deliveryText(
  req: express.Request,
  res: express.Response,
  options: WebhookOptions,
  provider: PaymentProvider,
  answer: (message: string) => unknown,
  note?: string,
): Promise<string | null> {
  const body = await readDeliveryBody(req);
  if (body.ok) return body.text;
  const reason = note ? `${body.reason}; ${note}` : body.reason;
  await recordRefusedDelivery(options.em, { provider, headers: headersOf(req), rawBody: body.stored, reason });
  providerWebhooks.inc({ provider, outcome: 'rejected' });
  if (body.refusal.unread) res.set('Connection', 'close');
  res.status(body.refusal.status).json(answer(body.refusal.message));
  return null;
}

/** An M-Pesa delivery's body; a wrong path secret is noted on a refused one. Daraja retries anything but 2xx. */
function mpesaDeliveryText(
  req: express.Request,
  res: express.Response,
  options: WebhookOptions,
  secret: string,
  expected: string,
): Promise<string | null> {
  const note = sameSecret(secret, expected) ? undefined : 'wrong path secret';
  return deliveryText(req, res, options, 'MPESA', (message) => ({ ResultCode: 1, ResultDesc: message }), note);
}

/** Daraja reads the acknowledgement: ResultCode 0 for what we keep, 1 with the refusal's status otherwise. */
function acknowledgeMpesa(res: express.Response, httpStatus: number): void {
  if (httpStatus === 200) res.json({ ResultCode: 0, ResultDesc: 'Accepted' });
  else res.status(httpStatus).json({ ResultCode: 1, ResultDesc: 'Rejected' });
}

/** Any path segment is a secret to check, even one that does not decode (Express would answer it with an error). */
const MPESA_CALLBACK_PATH = /^\/webhooks\/mpesa\/[^/]+$/;

/**
 * Paybill payments (C2B, docs/paybill.md): `/webhooks/paybill/<secret>/validation` and `/confirmation`. Not under
 * /webhooks/mpesa: Register URL refuses URLs that contain "mpesa" or "safaricom".
 */
const PAYBILL_PATH = /^\/webhooks\/paybill\/([^/]+)\/(validation|confirmation)$/;

/** Results about a refund (docs/refunds.md): `/webhooks/mpesa/<secret>/refunds/<refundId>/<route>`. */
const MPESA_REFUND_RESULT_PATH = /^\/webhooks\/mpesa\/([^/]+)\/refunds\/([^/]+)\/([a-z0-9-]+)$/;

/** A Ratiba standing order's result (docs/ratiba.md): `/webhooks/mpesa/<secret>/ratiba/<standingOrderId>`. */
const RATIBA_RESULT_PATH = /^\/webhooks\/mpesa\/([^/]+)\/ratiba\/([^/]+)$/;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function pathSecret(path: string): string {
  return decoded(path.slice('/webhooks/mpesa/'.length));
}

export function webhookRoutes(options: WebhookOptions): Router {
  const router = express.Router();
  router.post('/webhooks/paypal', async (req, res, next) => {
    try {
      if (!options.paypal) {
        res.status(404).end();
        return;
      }
      const rawBody = await deliveryText(req, res, options, 'PAYPAL', (error) => ({ error }));
      if (rawBody === null) return;
      const verdict = await recordPaypalWebhook(options.em, options.paypal, { rawBody, headers: headersOf(req) });
      providerWebhooks.inc({ provider: 'PAYPAL', outcome: verdict.status.toLowerCase() });
      notifyAfterResponse(res, options.notify, verdict);
      res
        .status(verdict.httpStatus)
        .json(verdict.status === 'REJECTED' ? { error: verdict.reason } : { received: true });
    } catch (error) {
      next(error);
    }
  });
  router.post(MPESA_CALLBACK_PATH, async (req, res, next) => {
    try {
      if (!options.mpesaCallbackSecret) {
        res.status(404).end();
        return;
      }
      const secret = pathSecret(req.path);
      const rawBody = await mpesaDeliveryText(req, res, options, secret, options.mpesaCallbackSecret);
      if (rawBody === null) return;
      const verdict = await recordMpesaCallback(
        options.em,
        { pathSecret: secret, rawBody, headers: headersOf(req) },
        options.mpesaCallbackSecret,
        options.cipher,
      );
      providerWebhooks.inc({ provider: 'MPESA', outcome: verdict.status.toLowerCase() });
      notifyAfterResponse(res, options.notify, verdict);
      acknowledgeMpesa(res, verdict.httpStatus);
    } catch (error) {
      next(error);
    }
  });
  router.post(PAYBILL_PATH, async (req, res, next) => {
    try {
      const [, secretSegment = '', route = ''] = PAYBILL_PATH.exec(req.path) ?? [];
      if (!options.mpesaCallbackSecret || !options.paybill) {
        res.status(404).end();
        return;
      }
      const secret = decoded(secretSegment);
      const rawBody = await mpesaDeliveryText(req, res, options, secret, options.mpesaCallbackSecret);
      if (rawBody === null) return;
      const delivery = { pathSecret: secret, rawBody, headers: headersOf(req) };
      const settings = { callbackSecret: options.mpesaCallbackSecret, shortCode: options.paybill.shortCode };
      if (route === 'validation') {
        const { answer, httpStatus } = await answerPaybillValidation(options.em, delivery, settings);
        res.status(httpStatus).json(answer);
        return;
      }
      const verdict = await recordPaybillConfirmation(options.em, delivery, settings);
      providerWebhooks.inc({ provider: 'MPESA', outcome: verdict.status.toLowerCase() });
      if (verdict.status === 'ACCEPTED' && verdict.paid.length > 0) {
        const { invoiceClosed } = options.paybill;
        afterResponse(res, () => {
          for (const { subscriptionId, invoiceId } of verdict.paid) {
            invoiceClosed(subscriptionId, invoiceId).catch((error: unknown) =>
              console.warn(`could not tell invoice ${invoiceId}'s collection it was paid: ${String(error)}`),
            );
          }
        });
      }
      acknowledgeMpesa(res, verdict.httpStatus);
    } catch (error) {
      next(error);
    }
  });
  router.post(RATIBA_RESULT_PATH, async (req, res, next) => {
    try {
      const [, secretSegment = '', orderSegment = ''] = RATIBA_RESULT_PATH.exec(req.path) ?? [];
      if (!options.mpesaCallbackSecret) {
        res.status(404).end();
        return;
      }
      const secret = decoded(secretSegment);
      const rawBody = await mpesaDeliveryText(req, res, options, secret, options.mpesaCallbackSecret);
      if (rawBody === null) return;
      const verdict = await recordStandingOrderResult(
        options.em,
        { pathSecret: secret, standingOrderId: decoded(orderSegment), rawBody, headers: headersOf(req) },
        options.mpesaCallbackSecret,
      );
      providerWebhooks.inc({ provider: 'MPESA', outcome: verdict.status.toLowerCase() });
      if (verdict.status === 'ACCEPTED' && options.standingOrderAnswered) {
        const wake = options.standingOrderAnswered;
        afterResponse(res, () => void wake(verdict.standingOrderId).catch(() => undefined));
      }
      acknowledgeMpesa(res, verdict.httpStatus);
    } catch (error) {
      next(error);
    }
  });
  router.post(MPESA_REFUND_RESULT_PATH, async (req, res, next) => {
    try {
      const [, secretSegment = '', refundSegment = '', route = ''] = MPESA_REFUND_RESULT_PATH.exec(req.path) ?? [];
      if (!options.mpesaCallbackSecret || !(REFUND_RESULT_ROUTES as readonly string[]).includes(route)) {
        res.status(404).end();
        return;
      }
      const secret = decoded(secretSegment);
      const rawBody = await mpesaDeliveryText(req, res, options, secret, options.mpesaCallbackSecret);
      if (rawBody === null) return;
      const verdict = await recordMpesaRefundResult(
        options.em,
        {
          pathSecret: secret,
          refundId: decoded(refundSegment),
          route: route as RefundResultRoute,
          rawBody,
          headers: headersOf(req),
        },
        options.mpesaCallbackSecret,
      );
      if (verdict.status === 'ACCEPTED' && options.notifyRefund) {
        const wake = options.notifyRefund;
        afterResponse(res, () => void wake(verdict.refundId));
      }
      acknowledgeMpesa(res, verdict.httpStatus);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
