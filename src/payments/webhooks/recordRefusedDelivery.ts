// A delivery refused for its body (too large, not JSON, not UTF-8, empty) before it could be read as a callback or a
// webhook is still kept, REJECTED with the reason: nothing a provider, or someone posing as one, sends is lost.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentProvider } from '../../entities/Payment.js';
import { WebhookEvent } from '../../entities/index.js';

export interface RefusedDelivery {
  provider: PaymentProvider;
  headers: Record<string, string>;
  /** What was read, as text or base64 (the reason says which), cut at the size limit. */
  rawBody: string;
  reason: string;
}

export async function recordRefusedDelivery(rootEm: EntityManager, delivery: RefusedDelivery): Promise<void> {
  const em = rootEm.fork();
  em.create(WebhookEvent, { ...delivery, status: 'REJECTED' });
  await em.flush();
}
