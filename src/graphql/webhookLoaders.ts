// Deliveries and attempts for the events-out types: one statement per level, however many parents a query asks for.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ATTEMPT_COLUMNS, DELIVERY_COLUMNS, type AttemptRow, type DeliveryRow } from '../webhooks/eventRows.js';
import { childrenOf } from './loaders.js';

const idList = (ids: readonly string[]) => JSON.stringify(ids);

export function webhookLoaders(em: EntityManager) {
  const byEndpoint = new Map<number, DataLoader<string, DeliveryRow[]>>();
  return {
    deliveriesByEvent: childrenOf(
      (ids) =>
        em.execute<DeliveryRow[]>(
          `select ${DELIVERY_COLUMNS} from event_deliveries d
           where d.event_id in (select (jsonb_array_elements_text(?::jsonb))::uuid) order by d.created_at, d.id`,
          [idList(ids)],
        ),
      (row) => row.eventId,
    ),
    /** The newest `first` deliveries of each endpoint (one loader per page size asked for). */
    deliveriesByEndpoint(first: number) {
      let loader = byEndpoint.get(first);
      if (!loader) {
        loader = childrenOf(
          (ids) =>
            em.execute<DeliveryRow[]>(
              `select d.* from (select (jsonb_array_elements_text(?::jsonb))::uuid as endpoint_id) ids
               cross join lateral (select ${DELIVERY_COLUMNS} from event_deliveries d
                 where d.endpoint_id = ids.endpoint_id order by d.created_at desc, d.id desc limit ${first}) d`,
              [idList(ids)],
            ),
          (row) => row.endpointId,
        );
        byEndpoint.set(first, loader);
      }
      return loader;
    },
    attemptsByDelivery: childrenOf(
      (ids) =>
        em.execute<AttemptRow[]>(
          `select ${ATTEMPT_COLUMNS} from event_delivery_attempts a
           where a.delivery_id in (select (jsonb_array_elements_text(?::jsonb))::uuid) order by a.attempted_at, a.attempt`,
          [idList(ids)],
        ),
      (row) => row.deliveryId,
    ),
  };
}
