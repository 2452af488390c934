// The delivery loop's SQL, on its own pool. Claiming leases rows instead of holding locks through the HTTP call: a
// worker that dies mid-delivery leaves a lease that expires, and the delivery is tried again (at least once).
import type pg from 'pg';
import type { AttemptOutcome } from './postEvent.js';

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  queuedAt: Date;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  event: {
    id: string;
    type: string;
    apiVersion: string;
    createdAt: Date;
    customerId: string;
    subscriptionId: string | null;
    data: unknown;
  };
}

/**
 * Leases up to `limit` due deliveries, at most `perEndpoint` of any one endpoint and none of `busyEndpoints`, each
 * the oldest pending delivery of its subscription to its endpoint: a later event waits until the earlier one is
 * delivered or given up on, so each endpoint sees a subscription's events in order.
 *
 * Endpoints take turns: the one served longest ago goes first (`last_claimed_at`, set by this claim), then the
 * longest-waiting delivery. Ordering by waiting time alone let a few dead endpoints, each with a backlog of retries
 * older than any new event, take every slot round after round while a healthy endpoint's events waited behind them.
 */
export async function claimDueDeliveries(
  pool: pg.Pool,
  options: {
    limit: number;
    perEndpoint: number;
    busyEndpoints: string[];
    /** When set, the only endpoints to take from. */
    onlyEndpoints: string[] | null;
    leaseSeconds: number;
  },
): Promise<ClaimedDelivery[]> {
  const { rows } = await pool.query<ClaimedDelivery>(
    `with claimed as (
       update event_deliveries d
       set lease_until = clock_timestamp() + make_interval(secs => $1), attempts = d.attempts + 1,
           updated_at = clock_timestamp()
       from (
         select c.id from webhook_endpoints w
         cross join lateral (
           select d2.id, d2.next_attempt_at, d2.event_seq from event_deliveries d2
           where d2.endpoint_id = w.id and d2.status = 'PENDING' and d2.next_attempt_at <= now()
             and (d2.lease_until is null or d2.lease_until < now())
             and not exists (
               select 1 from event_deliveries p
               where p.endpoint_id = d2.endpoint_id and p.ordering_key = d2.ordering_key
                 and p.status = 'PENDING' and p.event_seq < d2.event_seq)
           order by d2.next_attempt_at, d2.event_seq
           limit $2
           for update skip locked
         ) c
         where w.status <> 'DISABLED' and not (w.id = any ($3::uuid[]))
           and ($5::uuid[] is null or w.id = any ($5::uuid[]))
         order by w.last_claimed_at nulls first, c.next_attempt_at, c.event_seq
         limit $4
       ) due
       where d.id = due.id
       returning d.id, d.event_id, d.endpoint_id, d.attempts, d.created_at),
     turn as (
       update webhook_endpoints w set last_claimed_at = clock_timestamp()
       where w.id in (select endpoint_id from claimed))
     select c.id, c.event_id as "eventId", e.type as "eventType", c.endpoint_id as "endpointId", w.url,
       c.attempts as attempt, c.created_at as "queuedAt", w.secret_sealed as "secretSealed",
       w.previous_secret_sealed as "previousSecretSealed", w.previous_secret_expires_at as "previousSecretExpiresAt",
       json_build_object('id', e.id, 'type', e.type, 'apiVersion', e.api_version, 'createdAt', e.created_at,
         'customerId', e.customer_id, 'subscriptionId', e.subscription_id, 'data', e.data) as event
     from claimed c join events e on e.id = c.event_id join webhook_endpoints w on w.id = c.endpoint_id
     order by e.seq`,
    [options.leaseSeconds, options.perEndpoint, options.busyEndpoints, options.limit, options.onlyEndpoints],
  );
  return rows;
}

/** What became of an attempt: delivered, tried again at `retryAt`, or given up on (the endpoint is FAILING). */
export type Verdict = { kind: 'delivered' } | { kind: 'retry'; retryAt: Date } | { kind: 'give-up' };

export interface AttemptRecord {
  delivery: Pick<ClaimedDelivery, 'id' | 'attempt'>;
  outcome: AttemptOutcome;
  verdict: Verdict;
}

const STATUS_OF: Record<Verdict['kind'], string> = { delivered: 'DELIVERED', retry: 'PENDING', 'give-up': 'FAILED' };

/**
 * Records attempts and their verdicts, many in one statement: the attempt log and the delivery never disagree, and
 * a busy loop spends one round trip per batch instead of one per delivery. An attempt whose lease another worker
 * took over meanwhile (the delivery's attempt count moved on) is logged but changes nothing.
 */
export async function recordAttempts(pool: pg.Pool, records: readonly AttemptRecord[]): Promise<void> {
  const rows = records.map(({ delivery, outcome, verdict }) => ({
    id: delivery.id,
    attempt: delivery.attempt,
    status_code: outcome.statusCode,
    latency_ms: outcome.latencyMs,
    response_excerpt: outcome.responseExcerpt,
    error: outcome.error,
    status: STATUS_OF[verdict.kind],
    retry_at: verdict.kind === 'retry' ? verdict.retryAt.toISOString() : null,
  }));
  await pool.query(
    `with input as (
       select * from jsonb_to_recordset($1::jsonb) as x(id uuid, attempt int, status_code int, latency_ms int,
         response_excerpt text, error text, status event_delivery_status, retry_at timestamptz)),
     attempt as (
       insert into event_delivery_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms,
         response_excerpt, error)
       select id, attempt, clock_timestamp() - make_interval(secs => latency_ms / 1000.0), status_code, latency_ms,
         response_excerpt, error
       -- An endpoint deleted meanwhile took its deliveries along: its attempts have nothing left to belong to.
       from input i where exists (select 1 from event_deliveries d where d.id = i.id)),
     delivery as (
       update event_deliveries d
       set status = i.status, lease_until = null, last_status_code = i.status_code, last_error = i.error,
           next_attempt_at = coalesce(i.retry_at, d.next_attempt_at),
           delivered_at = case when i.status = 'DELIVERED' then clock_timestamp() end, updated_at = clock_timestamp()
       from input i
       where d.id = i.id and d.status = 'PENDING' and d.attempts = i.attempt
       returning d.endpoint_id, i.status),
     verdicts as (
       select endpoint_id, bool_or(status = 'DELIVERED') as delivered, bool_or(status = 'FAILED') as failed
       from delivery group by endpoint_id),
     endpoints as (
       update webhook_endpoints w
       set status = case when v.delivered then 'ENABLED' else 'FAILING' end::webhook_endpoint_status,
           failing_since = case when v.delivered then null else clock_timestamp() end,
           updated_at = clock_timestamp()
       from verdicts v
       where w.id = v.endpoint_id
         and ((v.delivered and w.status = 'FAILING') or (v.failed and not v.delivered and w.status = 'ENABLED'))
       returning w.id, w.url, w.api_client_id, w.status, w.failing_since)
     -- An endpoint turning FAILING is news for the operators: a notice to each administrator, in this transaction.
     insert into outbox_messages (id, dedupe_key, kind, recipient, payload, created_at)
     select gen_random_uuid(), 'webhook_endpoint_failing:' || e.id || ':' || e.failing_since || ':' || u.id,
       'webhook_endpoint_failing', u.email,
       jsonb_build_object('endpointId', e.id, 'endpointUrl', e.url, 'appName', a.name,
         'failingSince', e.failing_since),
       clock_timestamp()
     from endpoints e join api_clients a on a.id = e.api_client_id
     cross join users u
     where e.status = 'FAILING' and u.role = 'ADMIN' and u.disabled_at is null
     on conflict (dedupe_key) do nothing`,
    [JSON.stringify(rows)],
  );
}
