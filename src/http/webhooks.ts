// Provider callbacks and webhooks. Bodies are read as raw text: what is stored is exactly what arrived.
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import type { WebhookSignatureVerifier } from '../payments/paypal/webhookSignature.js';
import { recordMpesaCallback } from '../payments/webhooks/recordMpesaCallback.js';
import { recordPaypalWebhook } from '../payments/webhooks/recordPaypalWebhook.js';
import type { MatchedPayment } from '../payments/webhooks/paymentByReference.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { PaymentNotifier } from '../temporal/notifyPayment.js';

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

/** Only a first delivery about a known payment wakes its workflow; duplicates change nothing, not even that. */
function notifyAfterResponse(
  res: express.Response,
  notify: PaymentNotifier,
  verdict: { status: string; matched?: MatchedPayment | null },
): void {
  const matched = verdict.status === 'ACCEPTED' ? verdict.matched : null;
  if (matched) res.once('finish', () => void notify(matched.subscriptionId, matched.payment.id));
}

export function webhookRoutes(options: WebhookOptions): Router {
  const router = express.Router();
  const raw = express.text({ type: () => true, limit: '256kb' });
  router.post('/webhooks/paypal', raw, async (req, res, next) => {
    try {
      if (!options.paypal) {
        res.status(404).end();
        return;
      }
      const verdict = await recordPaypalWebhook(options.em, options.paypal, {
        rawBody: typeof req.body === 'string' ? req.body : '',
        headers: headersOf(req),
      });
      notifyAfterResponse(res, options.notify, verdict);
      res
        .status(verdict.httpStatus)
        .json(verdict.status === 'REJECTED' ? { error: verdict.reason } : { received: true });
    } catch (error) {
      next(error);
    }
  });
  router.post('/webhooks/mpesa/:secret', raw, async (req, res, next) => {
    try {
      if (!options.mpesaCallbackSecret) {
        res.status(404).end();
        return;
      }
      const verdict = await recordMpesaCallback(
        options.em,
        {
          pathSecret: String(req.params.secret),
          rawBody: typeof req.body === 'string' ? req.body : '',
          headers: headersOf(req),
        },
        options.mpesaCallbackSecret,
        options.cipher,
      );
      notifyAfterResponse(res, options.notify, verdict);
      // Daraja reads this acknowledgement; anything but 2xx makes it retry.
      if (verdict.httpStatus === 200) res.json({ ResultCode: 0, ResultDesc: 'Accepted' });
      else res.status(verdict.httpStatus).json({ ResultCode: 1, ResultDesc: 'Rejected' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
