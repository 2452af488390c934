// Provider callbacks and webhooks. Bodies are read as raw text: what is stored is exactly what arrived. A body
// refused before it can be read as a delivery (too large, not JSON, not UTF-8, empty) is stored too, REJECTED.
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import type { WebhookSignatureVerifier } from '../payments/paypal/webhookSignature.js';
import { recordMpesaCallback, sameSecret } from '../payments/webhooks/recordMpesaCallback.js';
import { recordPaypalWebhook } from '../payments/webhooks/recordPaypalWebhook.js';
import { recordRefusedDelivery } from '../payments/webhooks/recordRefusedDelivery.js';
import type { MatchedPayment } from '../payments/webhooks/paymentByReference.js';
import type { PaymentProvider } from '../entities/Payment.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { PaymentNotifier } from '../temporal/notifyPayment.js';
import { readDeliveryBody } from './deliveryBody.js';

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
  const wake = () => void notify(matched.subscriptionId, matched.payment.id);
  // The provider may have hung up while the delivery was being recorded: 'close' has been and gone.
  if (res.destroyed || !res.socket || res.socket.destroyed) wake();
  else res.once('close', wake);
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
  if (body.refusal.unread) res.set('Connection', 'close');
  res.status(body.refusal.status).json(answer(body.refusal.message));
  return null;
}

/** Any path segment is a secret to check, even one that does not decode (Express would answer it with an error). */
const MPESA_CALLBACK_PATH = /^\/webhooks\/mpesa\/[^/]+$/;

function pathSecret(path: string): string {
  const segment = path.slice('/webhooks/mpesa/'.length);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
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
      // Daraja reads the acknowledgement; anything but 2xx makes it retry.
      const rawBody = await deliveryText(
        req,
        res,
        options,
        'MPESA',
        (message) => ({ ResultCode: 1, ResultDesc: message }),
        sameSecret(secret, options.mpesaCallbackSecret) ? undefined : 'wrong path secret',
      );
      if (rawBody === null) return;
      const verdict = await recordMpesaCallback(
        options.em,
        { pathSecret: secret, rawBody, headers: headersOf(req) },
        options.mpesaCallbackSecret,
        options.cipher,
      );
      notifyAfterResponse(res, options.notify, verdict);
      if (verdict.httpStatus === 200) res.json({ ResultCode: 0, ResultDesc: 'Accepted' });
      else res.status(verdict.httpStatus).json({ ResultCode: 1, ResultDesc: 'Rejected' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
