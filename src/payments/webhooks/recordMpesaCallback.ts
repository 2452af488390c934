// An M-Pesa STK callback arrives unsigned, so it is trusted for nothing: it is stored raw first (whatever it is),
// identified by CheckoutRequestID and result so a repeat is recognised, and answered quickly. Value is granted
// only after an STK Query confirms it (the charge step does that), never on the callback's word.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { WebhookEvent } from '../../entities/index.js';
import { parseStkCallback, type StkCallback } from '../mpesa/callback.js';

export interface Delivery {
  pathSecret: string;
  rawBody: string;
  headers: Record<string, string>;
}

export type DeliveryVerdict =
  | { status: 'ACCEPTED'; httpStatus: 200; callback: StkCallback }
  | { status: 'DUPLICATE'; httpStatus: 200; callback: StkCallback }
  | { status: 'REJECTED'; httpStatus: 400 | 404; reason: string };

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
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

export async function recordMpesaCallback(
  rootEm: EntityManager,
  delivery: Delivery,
  expectedSecret: string,
): Promise<DeliveryVerdict> {
  const em = rootEm.fork();
  const base = { provider: 'MPESA' as const, headers: delivery.headers, rawBody: delivery.rawBody };
  const reject = async (httpStatus: 400 | 404, reason: string): Promise<DeliveryVerdict> => {
    em.create(WebhookEvent, { ...base, status: 'REJECTED', reason });
    await em.flush();
    return { status: 'REJECTED', httpStatus, reason };
  };

  // A wrong path answers like an unknown route (404), but the attempt is kept for audit.
  if (!sameSecret(delivery.pathSecret, expectedSecret)) return reject(404, 'wrong path secret');
  const callback = parse(delivery.rawBody);
  if (!callback) return reject(400, 'not an STK callback');

  const eventKey = `${callback.checkoutRequestId}:${callback.resultCode}`;
  try {
    em.create(WebhookEvent, { ...base, eventKey, status: 'ACCEPTED' });
    await em.flush();
    return { status: 'ACCEPTED', httpStatus: 200, callback };
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const again = rootEm.fork();
    again.create(WebhookEvent, { ...base, eventKey, status: 'DUPLICATE' });
    await again.flush();
    return { status: 'DUPLICATE', httpStatus: 200, callback };
  }
}
