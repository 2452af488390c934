// An M-Pesa STK callback arrives unsigned, so it is trusted for nothing: it is stored raw first (whatever it is),
// identified by CheckoutRequestID and result so a repeat is recognised, and answered quickly. Value is granted
// only after an STK Query confirms it (the charge step does that), never on the callback's word.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { storeOnce, storeRejected } from './storeDelivery.js';
import { parseStkCallback, type StkCallback } from '../mpesa/callback.js';
import { openMethod, sealingContext } from '../paymentMethods.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import { adoptOrphanPush } from './adoptOrphanPush.js';
import { recordReceipt } from './mpesaReceipts.js';
import { paymentByReference, type MatchedPayment } from './paymentByReference.js';

export interface Delivery {
  pathSecret: string;
  rawBody: string;
  headers: Record<string, string>;
}

export type DeliveryVerdict =
  | { status: 'ACCEPTED' | 'DUPLICATE'; httpStatus: 200; callback: StkCallback; matched: MatchedPayment | null }
  | { status: 'REJECTED'; httpStatus: 400 | 404; reason: string };

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function parse(rawBody: string): StkCallback | null {
  try {
    return parseStkCallback(JSON.parse(rawBody));
  } catch {
    return null;
  }
}

/**
 * A success callback must be for the amount and the phone that were charged; anything else is a forgery or a
 * mix-up, and grants nothing.
 */
function mismatch(callback: StkCallback, matched: MatchedPayment, cipher: FieldCipher): string | null {
  if (callback.resultCode !== 0) return null;
  const { payment } = matched;
  if (callback.amount === undefined || callback.amount * 100 !== payment.amount) {
    return 'amount does not match the payment';
  }
  const method = openMethod(cipher, payment.paymentMethodSealed!, sealingContext.payment(payment.id));
  if (method.kind !== 'mpesa' || callback.phone !== method.phone.replace(/^\+/, '')) {
    return 'phone does not match the payment';
  }
  return null;
}

export async function recordMpesaCallback(
  rootEm: EntityManager,
  delivery: Delivery,
  expectedSecret: string,
  cipher: FieldCipher,
): Promise<DeliveryVerdict> {
  const em = rootEm.fork();
  const base = { provider: 'MPESA' as const, headers: delivery.headers, rawBody: delivery.rawBody };
  const reject = async (httpStatus: 400 | 404, reason: string, paymentId?: string): Promise<DeliveryVerdict> => {
    await storeRejected(em, { ...base, paymentId: paymentId ?? null }, reason);
    return { status: 'REJECTED', httpStatus, reason };
  };

  // A wrong path answers like an unknown route (404), but the attempt is kept for audit.
  if (!sameSecret(delivery.pathSecret, expectedSecret)) return reject(404, 'wrong path secret');
  const callback = parse(delivery.rawBody);
  if (!callback) return reject(400, 'not an STK callback');

  // An unknown CheckoutRequestID is still acknowledged (Daraja would only retry it); nothing is granted by it, but a
  // paid prompt whose reference died with a worker is recognised (adoptOrphanPush). A prompt answered while its push's
  // answer is being recorded is neither: adoption then finds the reference recorded, so it is looked up once more
  // (without it, the callback woke nobody and the workflow waited MPESA_CALLBACK_WAIT_SECONDS: the billing run's tail).
  const byReference = () => paymentByReference(rootEm.fork(), 'MPESA', [callback.checkoutRequestId]);
  const matched =
    (await paymentByReference(em, 'MPESA', [callback.checkoutRequestId])) ??
    (await adoptOrphanPush(rootEm, cipher, callback)) ??
    (await byReference());
  const paymentId = matched?.payment.id ?? null;
  const problem = matched ? mismatch(callback, matched, cipher) : null;
  if (problem) return reject(400, problem, paymentId ?? undefined);

  const eventKey = `${callback.checkoutRequestId}:${callback.resultCode}`;
  const status = await storeOnce(rootEm, em, { ...base, eventKey, paymentId });
  // The receipt goes onto the payment now, before or after STK Query confirms it (src/payments/webhooks/mpesaReceipts.ts).
  if (status === 'ACCEPTED' && matched && callback.receipt) {
    await recordReceipt(rootEm, matched.payment.id, callback.receipt);
  }
  return { status, httpStatus: 200, callback, matched };
}
