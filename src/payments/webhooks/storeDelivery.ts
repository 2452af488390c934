// Storing a provider delivery, the M-Pesa way: the first of its kind (provider, event key) ACCEPTED, a repeat
// DUPLICATE (the unique index on (provider, event_key) decides, so concurrent repeats cannot both be first), and a
// refused one REJECTED with its reason. Shared by STK callbacks and refund Results.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { WebhookEvent } from '../../entities/index.js';

export interface StoredDelivery {
  provider: 'MPESA' | 'PAYPAL';
  headers: Record<string, string>;
  rawBody: string;
  paymentId?: string | null;
  refundId?: string | null;
}

export async function storeOnce(
  rootEm: EntityManager,
  em: EntityManager,
  delivery: StoredDelivery & { eventKey: string },
): Promise<'ACCEPTED' | 'DUPLICATE'> {
  try {
    em.create(WebhookEvent, { ...delivery, status: 'ACCEPTED' });
    await em.flush();
    return 'ACCEPTED';
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const again = rootEm.fork();
    again.create(WebhookEvent, { ...delivery, status: 'DUPLICATE' });
    await again.flush();
    return 'DUPLICATE';
  }
}

export async function storeRejected(em: EntityManager, delivery: StoredDelivery, reason: string): Promise<void> {
  em.create(WebhookEvent, { ...delivery, status: 'REJECTED', reason });
  await em.flush();
}
