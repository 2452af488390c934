// Whether PayPal's transmission id was seen before, on a delivery whose signature held (accepted or duplicate).
// Deliveries rejected before are not counted: a forgery must not be able to spoil the id of the genuine delivery.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEvent } from '../../entities/index.js';

export type EarlierTransmission = 'none' | 'same body' | 'other body';

export async function earlierTransmission(
  em: EntityManager,
  transmissionId: string,
  rawBody: string,
): Promise<EarlierTransmission> {
  const earlier = await em.find(
    WebhookEvent,
    { provider: 'PAYPAL', transmissionId, status: { $in: ['ACCEPTED', 'DUPLICATE'] } },
    { fields: ['rawBody'] },
  );
  if (earlier.length === 0) return 'none';
  return earlier.every((row) => row.rawBody === rawBody) ? 'same body' : 'other body';
}
