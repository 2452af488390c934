// A PayPal webhook is stored raw first, whatever it is; then its signature is checked, and its event id makes
// a redelivery (PayPal delivers at least once, sometimes twice, in any order) a recognised duplicate.
// The signature covers the body only through its CRC-32, which a forger can match by padding a field, so a genuine
// delivery's headers could carry a new body. Hence two more checks on a signed delivery: its transmission id must not
// have come before with another body, and a transmission id not seen before must be recent
// (src/payments/paypal/transmissionWindow.ts). A repeat of a stored transmission with the same body is PayPal
// redelivering it: a duplicate, however old.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { WebhookEvent } from '../../entities/index.js';
import { transmissionTimeRefusal } from '../paypal/transmissionWindow.js';
import type { WebhookSignatureVerifier } from '../paypal/webhookSignature.js';
import { earlierTransmission } from './earlierTransmission.js';
import { paymentByReference, type MatchedPayment } from './paymentByReference.js';

export interface PaypalEvent {
  id: string;
  eventType: string;
  resource: Record<string, unknown>;
}

export type PaypalDeliveryVerdict =
  | { status: 'ACCEPTED' | 'DUPLICATE'; httpStatus: 200; event: PaypalEvent; matched: MatchedPayment | null }
  | { status: 'REJECTED'; httpStatus: 400; reason: string };

function parse(rawBody: string): PaypalEvent | null {
  try {
    const body = JSON.parse(rawBody) as { id?: unknown; event_type?: unknown; resource?: unknown };
    if (
      typeof body.id !== 'string' ||
      typeof body.event_type !== 'string' ||
      typeof body.resource !== 'object' ||
      !body.resource
    )
      return null;
    return { id: body.id, eventType: body.event_type, resource: body.resource as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** A capture event names the capture and, in its related ids, the order: a payment is known by one or the other. */
function referencesOf(event: PaypalEvent): string[] {
  const resource = event.resource;
  const related = (resource.supplementary_data as { related_ids?: { order_id?: unknown } } | undefined)?.related_ids;
  return [resource.id, related?.order_id].filter((value): value is string => typeof value === 'string');
}

const REUSED_TRANSMISSION = 'transmission id already used with another body';

export async function recordPaypalWebhook(
  rootEm: EntityManager,
  verifier: WebhookSignatureVerifier,
  delivery: { rawBody: string; headers: Record<string, string> },
): Promise<PaypalDeliveryVerdict> {
  const transmissionId = delivery.headers['paypal-transmission-id'] || null;
  const base = { provider: 'PAYPAL' as const, headers: delivery.headers, rawBody: delivery.rawBody, transmissionId };
  const store = async (row: {
    status: 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';
    eventKey?: string;
    reason?: string;
    paymentId?: string | null;
  }) => {
    const em = rootEm.fork();
    em.create(WebhookEvent, { ...base, ...row });
    await em.flush();
  };
  const reject = async (reason: string): Promise<PaypalDeliveryVerdict> => {
    await store({ status: 'REJECTED', reason });
    return { status: 'REJECTED', httpStatus: 400, reason };
  };
  const check = await verifier.verify(delivery.headers, delivery.rawBody);
  if (!check.ok) return reject(check.reason ?? 'signature rejected');
  const event = parse(delivery.rawBody);
  if (!event) return reject('not a PayPal event');
  // The verifiers refuse a delivery without a transmission id already; this only makes it plain.
  if (!transmissionId) return reject('signature headers missing');
  const earlier = await earlierTransmission(rootEm.fork(), transmissionId, delivery.rawBody);
  if (earlier === 'other body') return reject(REUSED_TRANSMISSION);
  if (earlier === 'none') {
    const stale = transmissionTimeRefusal(
      delivery.headers['paypal-transmission-time'],
      new Date(),
      verifier.transmissionToleranceSeconds,
    );
    if (stale) return reject(stale);
  }

  const matched = await paymentByReference(rootEm.fork(), 'PAYPAL', referencesOf(event));
  const paymentId = matched?.payment.id ?? null;
  try {
    await store({ status: 'ACCEPTED', eventKey: event.id, paymentId });
    return { status: 'ACCEPTED', httpStatus: 200, event, matched };
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // The event id, or the transmission id, is already accepted: by this very body (a redelivery), or by another one
    // that won a race under the same transmission id.
    if ((await earlierTransmission(rootEm.fork(), transmissionId, delivery.rawBody)) === 'other body') {
      return reject(REUSED_TRANSMISSION);
    }
    await store({ status: 'DUPLICATE', eventKey: event.id, paymentId });
    return { status: 'DUPLICATE', httpStatus: 200, event, matched };
  }
}
