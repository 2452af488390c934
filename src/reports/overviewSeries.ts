// The overview's statements over time buckets: one statement per family of figures, whatever the number of buckets
// (generate_series and aggregates), each on an indexed range of its table.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BucketSql } from './overviewBuckets.js';
import type { CustomerScope, PlanQuantityCount, TotalRow } from './reportSql.js';

type BucketRow<T> = T & { bucket_start: Date };

/** Invoices issued per bucket and currency, not void (OPEN, PAID, UNCOLLECTIBLE). */
export function invoicedPerBucket(em: EntityManager, b: BucketSql, scope: CustomerScope) {
  return em.execute<BucketRow<TotalRow>[]>(
    `with ${b.cte}
     select b.bucket_start, i.currency, sum(i.total)::text as total, count(*)::int as count
     from b join invoices i on i.issued_at >= b.lo and i.issued_at < b.hi
     join customers c on c.id = i.customer_id
     where ${scope.where(`i.status in ('OPEN', 'PAID', 'UNCOLLECTIBLE')`)}
     group by b.bucket_start, i.currency`,
    scope.params(...b.params),
  );
}

/** Payments that ended per bucket and currency: collected (SUCCEEDED) sums, and how many FAILED. */
export function paymentsPerBucket(em: EntityManager, b: BucketSql, scope: CustomerScope) {
  return em.execute<BucketRow<TotalRow & { failed: number }>[]>(
    `with ${b.cte}
     select b.bucket_start, p.currency,
            coalesce(sum(p.amount) filter (where p.status = 'SUCCEEDED'), 0)::text as total,
            (count(*) filter (where p.status = 'SUCCEEDED'))::int as count,
            (count(*) filter (where p.status = 'FAILED'))::int as failed
     from b join payments p on p.completed_at >= b.lo and p.completed_at < b.hi
       and p.status in ('SUCCEEDED', 'FAILED')
     join customers c on c.id = p.customer_id
     where ${scope.where('true')}
     group by b.bucket_start, p.currency`,
    scope.params(...b.params),
  );
}

/** Subscriptions created and ended per bucket. */
export function lifecyclePerBucket(em: EntityManager, b: BucketSql, scope: CustomerScope) {
  return em.execute<BucketRow<{ started: number; ended: number }>[]>(
    `with ${b.cte}, e as (
       select s.created_at as at, true as started, s.customer_id from subscriptions s
       where s.created_at >= (select min(lo) from b) and s.created_at < (select max(hi) from b)
       union all
       select s.ended_at, false, s.customer_id from subscriptions s
       where s.ended_at >= (select min(lo) from b) and s.ended_at < (select max(hi) from b))
     select b.bucket_start, (count(*) filter (where e.started))::int as started,
            (count(*) filter (where not e.started))::int as ended
     from b join e on e.at >= b.lo and e.at < b.hi
     join customers c on c.id = e.customer_id
     where ${scope.where('true')}
     group by b.bucket_start`,
    scope.params(...b.params),
  );
}

export type LiveKind = 'PAYING' | 'TRIALING';

/**
 * Subscriptions live at each bucket's end (or now, for the bucket holding now), per (plan, quantity): PAYING from
 * the end of any trial (or creation) until it ended, was paused (while PAUSED) or became UNPAID (its last update:
 * the change leaves no other date); TRIALING from trial start to trial end. Statuses have no history, so this is
 * rebuilt from those dates: each span adds one at the bucket it starts in and takes one away at the bucket it ends in,
 * and a running sum (a window) gives the count at every bucket's end. First payments never made (INCOMPLETE,
 * INCOMPLETE_EXPIRED) count for nothing.
 */
export function livePerBucket(em: EntityManager, b: BucketSql, scope: CustomerScope) {
  return em.execute<BucketRow<PlanQuantityCount & { kind: LiveKind }>[]>(
    `with ${b.cte},
     spans as (
       select s.plan_id, s.quantity, 'PAYING' as kind, coalesce(s.trial_end, s.created_at) as since,
              least(s.ended_at, case s.status when 'PAUSED' then s.paused_at when 'UNPAID' then s.updated_at end)
                as until
       from subscriptions s join customers c on c.id = s.customer_id
       where ${scope.where(`s.status not in ('INCOMPLETE', 'INCOMPLETE_EXPIRED')`)}
       union all
       select s.plan_id, s.quantity, 'TRIALING', s.trial_start, least(s.trial_end, s.ended_at)
       from subscriptions s join customers c on c.id = s.customer_id
       where ${scope.where('s.trial_start is not null')}),
     edges as (
       select plan_id, quantity, kind, since as at, 1 as d from spans where until is null or until > since
       union all
       select plan_id, quantity, kind, until, -1 from spans where until > since),
     deltas as (
       select ${b.bucketOf('at')} as bucket_start, plan_id, quantity, kind, sum(d) as d
       from edges where at < (select max(bucket_end) from b) and at <= now()
       group by 1, 2, 3, 4),
     keys as (select distinct plan_id, quantity, kind from deltas)
     select * from (
       select b.bucket_start, k.plan_id, k.quantity, k.kind,
              (sum(coalesce(x.d, 0)) over (partition by k.plan_id, k.quantity, k.kind order by b.bucket_start))::int
                as subscriptions
       from b cross join keys k
       left join deltas x on x.bucket_start = b.bucket_start and x.plan_id = k.plan_id
         and x.quantity = k.quantity and x.kind = k.kind) counted
     where subscriptions <> 0`,
    [...scope.params(...b.params), ...scope.params()],
  );
}
