// The admin console's overview: the business now (statuses, recurring revenue, renewals coming) and over time
// (recurring revenue, paying and trialing subscriptions, invoiced, collected, failed payments, started and ended
// subscriptions per day, week or month), for ADMIN users, everyone's or one app's.
//
// One snapshot (a REPEATABLE READ, read-only transaction) so every figure describes the same moment, and a fixed
// number of statements whatever the range or bucket: the buckets are made by Postgres and every figure is an
// aggregate over an indexed range (Migration20261206100000_admin_indexes).
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireAdmin } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { parseInput } from '../kernel/validate.js';
import type { Money } from '../domain/money.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { bucketSql, isTimeZone, REPORT_BUCKETS, type ReportBucket } from './overviewBuckets.js';
import { invoicedPerBucket, lifecyclePerBucket, livePerBucket, paymentsPerBucket } from './overviewSeries.js';
import {
  customerScope,
  periodAmountsOf,
  plansOf,
  recurringRevenueOf,
  recurringRows,
  statusCounts,
  sums,
  type PlanQuantityCount,
} from './reportSql.js';
import { upcomingRenewalRows, UPCOMING_RENEWAL_DAYS } from './upcomingRenewals.js';

/** Days a range may span per bucket: at most about 400 buckets, and never more than three years of rows. */
const MAX_DAYS: Record<ReportBucket, number> = { DAY: 400, WEEK: 1_100, MONTH: 1_100 };

export const overviewInputSchema = z
  .object({
    from: z.date(),
    to: z.date(),
    bucket: z.enum(REPORT_BUCKETS),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Africa/Nairobi').default('UTC'),
    apiClientId: z.uuid('must be an app id').nullish(),
  })
  .refine((input) => input.to > input.from, { path: ['to'], message: 'must be after from' })
  .refine((input) => input.to.getTime() - input.from.getTime() <= MAX_DAYS[input.bucket] * 86_400_000, {
    path: ['to'],
    message: `must be at most ${MAX_DAYS.DAY} days after from with DAY buckets, ${MAX_DAYS.WEEK} with WEEK or MONTH`,
  });
export type OverviewInput = z.input<typeof overviewInputSchema>;

export interface OverviewBucket {
  start: Date;
  end: Date;
  /** At the bucket's end (or now), from ACTIVE-like subscriptions at list price. */
  monthlyRecurringRevenue: Money[];
  payingSubscriptions: number;
  trialingSubscriptions: number;
  invoiced: { totals: Money[]; count: number };
  collected: { totals: Money[]; count: number };
  failedPayments: number;
  startedSubscriptions: number;
  endedSubscriptions: number;
}

export interface AdminOverview {
  asOf: Date;
  from: Date;
  to: Date;
  bucket: ReportBucket;
  timeZone: string;
  subscriptionsByStatus: { status: SubscriptionStatus; count: number }[];
  monthlyRecurringRevenue: Money[];
  upcomingRenewals: { withinDays: number; count: number; totals: Money[] }[];
  series: OverviewBucket[];
}

export async function adminOverview(em: EntityManager, caller: Caller, input: OverviewInput): Promise<AdminOverview> {
  requireAdmin(caller);
  const { from, to, bucket, timeZone, apiClientId } = parseInput(overviewInputSchema, input, '');
  const scope = customerScope(apiClientId ?? null);
  const buckets = bucketSql(bucket, timeZone, from, to);
  return em.transactional(
    async (tx) => {
      const [{ now }] = (await tx.execute<{ now: Date }[]>('select now() as now')) as [{ now: Date }];
      const bucketRows = await tx.execute<{ bucket_start: Date; bucket_end: Date }[]>(
        `with ${buckets.cte} select bucket_start, bucket_end from b order by bucket_start`,
        buckets.params,
      );
      const statuses = await statusCounts(tx, scope);
      const recurring = await recurringRows(tx, scope);
      const renewals = await upcomingRenewalRows(tx, scope);
      const invoiced = await invoicedPerBucket(tx, buckets, scope);
      const payments = await paymentsPerBucket(tx, buckets, scope);
      const lifecycle = await lifecyclePerBucket(tx, buckets, scope);
      const live = await livePerBucket(tx, buckets, scope);
      const plans = await plansOf(tx, [...recurring, ...renewals, ...live]);

      const at = (row: { bucket_start: Date }) => new Date(row.bucket_start).getTime();
      const series = bucketRows.map((row): OverviewBucket => {
        const key = at(row);
        const mine = <T extends { bucket_start: Date }>(rows: T[]) => rows.filter((r) => at(r) === key);
        const paying = mine(live).filter((r) => r.kind === 'PAYING');
        const paid = mine(payments);
        const changes = mine(lifecycle)[0];
        return {
          start: new Date(row.bucket_start),
          end: new Date(row.bucket_end),
          monthlyRecurringRevenue: recurringRevenueOf(paying, plans),
          payingSubscriptions: total(paying),
          trialingSubscriptions: total(mine(live).filter((r) => r.kind === 'TRIALING')),
          invoiced: sums(sortByCurrency(mine(invoiced))),
          collected: sums(sortByCurrency(paid.filter((r) => r.count > 0))),
          failedPayments: paid.reduce((sum, r) => sum + r.failed, 0),
          startedSubscriptions: changes?.started ?? 0,
          endedSubscriptions: changes?.ended ?? 0,
        };
      });
      return {
        asOf: new Date(now),
        from,
        to,
        bucket,
        timeZone,
        subscriptionsByStatus: statuses,
        monthlyRecurringRevenue: recurringRevenueOf(recurring, plans),
        upcomingRenewals: UPCOMING_RENEWAL_DAYS.map((days) => {
          const within = renewals.filter((r) => r.days === days);
          return { withinDays: days, count: total(within), totals: periodAmountsOf(within, plans) };
        }),
        series,
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

function total(rows: PlanQuantityCount[]): number {
  return rows.reduce((sum, row) => sum + row.subscriptions, 0);
}

function sortByCurrency<T extends { currency: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.currency.localeCompare(b.currency));
}
