// Queues that should be short, read at scrape time with one statement over partial indexes (every subquery reads
// only pending rows): notices waiting in the outbox, events waiting to reach client apps' endpoints, payments still
// pending and, with eTIMS on, invoices KRA has not signed yet, with the age of the oldest of each. An alert on age
// catches a stuck queue whatever its size.
import type { EntityManager } from '@mikro-orm/postgresql';
import client from 'prom-client';
import { registry } from './metrics.js';

const gauge = (name: string, help: string, labelNames: string[] = []) =>
  new client.Gauge({ name, help, labelNames, registers: [registry] });

const outboxPending = gauge('billing_outbox_pending', 'Notices in the outbox neither sent, failed nor skipped');
const outboxOldestAge = gauge(
  'billing_outbox_oldest_pending_age_seconds',
  'Age of the oldest pending notice in the outbox (0 when none)',
);
const deliveriesPending = gauge(
  'billing_event_deliveries_pending',
  'Event deliveries to client apps still pending (docs/webhooks.md)',
);
const deliveriesOldestAge = gauge(
  'billing_event_delivery_oldest_pending_age_seconds',
  'Age of the oldest pending event delivery (0 when none)',
);
const paymentsPending = gauge('billing_payments_pending', 'Payments still PENDING, by provider', ['provider']);
const paymentsOldestAge = gauge(
  'billing_payment_oldest_pending_age_seconds',
  'Age of the oldest PENDING payment, by provider',
  ['provider'],
);

const etimsUnsigned = gauge(
  'billing_etims_unsigned_invoices',
  'Finalized invoices issued since ETIMS_SUBMIT_FROM that eTIMS has not signed yet (docs/tax.md); absent with eTIMS off',
);
const etimsOldestAge = gauge(
  'billing_etims_oldest_unsigned_age_seconds',
  'Age of the oldest invoice eTIMS has not signed yet, from its creation (0 when none)',
);

const BACKLOG_SQL = `
  select 'outbox' as queue, null as provider, count(*)::int as pending,
         coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8 as oldest
    from outbox_messages where sent_at is null and failed_at is null and skipped_at is null
  union all
  select 'deliveries', null, count(*)::int, coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8
    from event_deliveries where status = 'PENDING'
  union all
  select 'payments', provider::text, count(*)::int, coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8
    from payments where status = 'PENDING' group by provider`;

/** Through invoices_etims_unsigned_index: only unsigned finalized invoices are read. */
const ETIMS_SQL = `
  select count(*)::int as pending,
         coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8 as oldest
    from invoices
   where etims_receipt_number is null and status in ('OPEN', 'PAID') and issued_at >= ?`;

interface BacklogRow {
  queue: 'outbox' | 'deliveries' | 'payments';
  provider: string | null;
  pending: number;
  oldest: number;
}

/** The scrape-time refresh of the backlog gauges, on the process's ORM; `etimsSince` when eTIMS is on. */
export function backlogRefresher(em: EntityManager, etimsSince: Date | null = null): () => Promise<void> {
  return async () => {
    const rows = await em.getConnection().execute<BacklogRow[]>(BACKLOG_SQL);
    if (etimsSince) {
      const [etims] = await em.getConnection().execute<{ pending: number; oldest: number }[]>(ETIMS_SQL, [etimsSince]);
      etimsUnsigned.set(etims?.pending ?? 0);
      etimsOldestAge.set(etims?.oldest ?? 0);
    }
    paymentsPending.reset();
    paymentsOldestAge.reset();
    for (const row of rows) {
      if (row.queue === 'outbox') {
        outboxPending.set(row.pending);
        outboxOldestAge.set(row.oldest);
      } else if (row.queue === 'deliveries') {
        deliveriesPending.set(row.pending);
        deliveriesOldestAge.set(row.oldest);
      } else if (row.provider) {
        paymentsPending.set({ provider: row.provider }, row.pending);
        paymentsOldestAge.set({ provider: row.provider }, row.oldest);
      }
    }
  };
}
