// `resendEvent`: deliver an event again to one endpoint (or every endpoint of its app that takes its type), now,
// whatever happened before: a delivery that failed for good, or one the app lost after answering 2xx.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/recordAudit.js';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError } from '../kernel/errors.js';
import { DELIVERY_COLUMNS, type DeliveryRow } from './eventRows.js';
import { findEvent } from './listEvents.js';
import { appOf } from './endpoints/endpointAccess.js';

export async function resendEvent(
  em: EntityManager,
  caller: Caller,
  eventId: string,
  endpointId?: string | null,
): Promise<DeliveryRow[]> {
  appOf(caller, 'write:webhooks');
  const event = await findEvent(em, caller, eventId);
  if (!event) throw new NotFoundError('Event', eventId);
  const rows = await em.transactional(async (tx) => {
    const queued = await tx.execute<DeliveryRow[]>(
      `insert into event_deliveries as d (event_id, event_seq, endpoint_id, ordering_key)
       select e.id, e.seq, w.id, e.ordering_key from events e
       join webhook_endpoints w on w.api_client_id = e.api_client_id and w.status <> 'DISABLED'
       where e.id = ? and (w.id = ? or (?::uuid is null and (e.type = any (w.event_types) or '*' = any (w.event_types))))
       on conflict (event_id, endpoint_id) do update
         set status = 'PENDING', next_attempt_at = clock_timestamp(), lease_until = null, delivered_at = null,
             updated_at = clock_timestamp()
       returning ${DELIVERY_COLUMNS}`,
      [event.id, endpointId ?? null, endpointId ?? null],
    );
    if (endpointId && queued.length === 0) throw new NotFoundError('WebhookEndpoint', endpointId);
    recordAudit(tx, caller, 'event.resent', 'Event', event.id, { endpointId: endpointId ?? null });
    await tx.flush();
    return queued;
  });
  return rows;
}
