// The numbers a business watches: how many subscriptions are in each state, what they bring in each month, and
// what was invoiced and collected over a range of dates. For ADMIN users (everything) and client apps with
// read:reports (their own customers, deleted ones included: their invoices and payments remain).
//
// Everything is aggregated in SQL, one statement per figure, on indexed columns: a report reads counts and sums,
// never rows per subscription or invoice.
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { parseInput } from '../kernel/validate.js';
import type { Money } from '../domain/money.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import {
  customerScope,
  plansOf,
  recurringRevenueOf,
  recurringRows,
  statusCounts,
  sums,
  type TotalRow,
} from './reportSql.js';

/** A report spans at most this much, so one request cannot ask Postgres to sum years of rows. */
export const MAX_REPORT_DAYS = 366;

const reportInputSchema = z
  .object({ from: z.date(), to: z.date() })
  .refine((range) => range.to > range.from, { path: ['to'], message: 'must be after from' })
  .refine((range) => range.to.getTime() - range.from.getTime() <= MAX_REPORT_DAYS * 86_400_000, {
    path: ['to'],
    message: `must be at most ${MAX_REPORT_DAYS} days after from`,
  });

export interface BillingReport {
  /** When the point-in-time figures (statuses, recurring revenue) were read. */
  asOf: Date;
  from: Date;
  to: Date;
  subscriptionsByStatus: { status: SubscriptionStatus; count: number }[];
  /** At list prices (quantity and tiers applied), before coupons and tax. */
  monthlyRecurringRevenue: Money[];
  /** Invoices issued in [from, to) that are not void: OPEN, PAID or UNCOLLECTIBLE. */
  invoiced: { totals: Money[]; count: number };
  /** Successful payments completed in [from, to). */
  collected: { totals: Money[]; count: number };
  /** Offline payments received in [from, to) (not in `collected`). */
  collectedOffline: { totals: Money[]; count: number };
  /** Credit notes issued in [from, to). */
  credited: { totals: Money[]; count: number };
  /** Refunds that succeeded in [from, to). */
  refunded: { totals: Money[]; count: number };
  /** Credit customers hold as of `asOf` (count: customers holding some), owed until their invoices spend it. */
  creditOutstanding: { totals: Money[]; count: number };
  /** Subscriptions created in [from, to). */
  startedSubscriptions: number;
  /** Subscriptions that ended (canceled, unpaid, expired) in [from, to). */
  endedSubscriptions: number;
}

export async function billingReport(
  em: EntityManager,
  caller: Caller,
  input: { from: Date; to: Date },
): Promise<BillingReport> {
  const known = requireScope(caller, 'read:reports');
  const { from, to } = parseInput(reportInputSchema, input, '');
  // Whose customers: a client app's own, or everyone's for an administrator (the scope check above lets no
  // CUSTOMER user through).
  const scope = customerScope(known.kind === 'apiClient' ? known.apiClientId : null);
  const { where, params } = scope;

  // One snapshot (REPEATABLE READ), so every figure describes the same moment even while payments land.
  return em.transactional(
    async (tx) => {
      const read = <Row>(sql: string, ...values: unknown[]) => tx.execute<Row[]>(sql, params(...values));
      // The snapshot's own clock: the moment the point-in-time figures describe.
      const asOf = await tx.execute<{ now: Date }[]>('select now() as now');
      const statusRows = await statusCounts(tx, scope);
      const chargeRows = await recurringRows(tx, scope);
      // Sums per currency of one table's rows whose `at` column falls in [from, to) and that meet `condition`.
      const totalsIn = (table: string, amount: string, at: string, condition = 'true') =>
        read<TotalRow>(
          `select t.currency, sum(t.${amount})::text as total, count(*)::int as count
           from ${table} t join customers c on c.id = t.customer_id
           where ${where(`t.${at} >= ? and t.${at} < ? and ${condition}`)}
           group by t.currency order by t.currency`,
          from,
          to,
        );
      const invoicedRows = await totalsIn(
        'invoices',
        'total',
        'issued_at',
        `t.status in ('OPEN', 'PAID', 'UNCOLLECTIBLE')`,
      );
      const collectedRows = await totalsIn('payments', 'amount', 'completed_at', `t.status = 'SUCCEEDED'`);
      const offlineRows = await totalsIn('offline_payments', 'amount', 'received_at');
      const creditedRows = await totalsIn('credit_notes', 'amount', 'issued_at');
      const refundedRows = await totalsIn('refunds', 'amount', 'completed_at', `t.status = 'SUCCEEDED'`);
      const [lifecycle] = await read<{ started: number; ended: number }>(
        `select count(*) filter (where s.created_at >= ? and s.created_at < ?)::int as started,
                count(*) filter (where s.ended_at >= ? and s.ended_at < ?)::int as ended
         from subscriptions s join customers c on c.id = s.customer_id
         where ${where('((s.created_at >= ? and s.created_at < ?) or (s.ended_at >= ? and s.ended_at < ?))')}`,
        from,
        to,
        from,
        to,
        from,
        to,
        from,
        to,
      );
      // What is owed to customers as credit (as of the snapshot): a liability until their invoices spend it.
      const creditRows = await read<TotalRow>(
        `select k.currency, sum(k.amount)::text as total, count(distinct k.customer_id)::int as count
         from customer_credits k join customers c on c.id = k.customer_id
         where ${where('true')}
         group by k.currency having sum(k.amount) <> 0 order by k.currency`,
      );
      const plans = await plansOf(tx, chargeRows);
      return {
        asOf: new Date(asOf[0]!.now),
        from,
        to,
        subscriptionsByStatus: statusRows,
        monthlyRecurringRevenue: recurringRevenueOf(chargeRows, plans),
        invoiced: sums(invoicedRows),
        collected: sums(collectedRows),
        collectedOffline: sums(offlineRows),
        credited: sums(creditedRows),
        refunded: sums(refundedRows),
        creditOutstanding: sums(creditRows),
        startedSubscriptions: lifecycle?.started ?? 0,
        endedSubscriptions: lifecycle?.ended ?? 0,
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
