// Pieces the reports share: whose customers a statement reads, per-currency sums read exactly, and recurring revenue
// priced from (plan, quantity, count) rows with the plans' own pricing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { planLine } from '../billing/pricing.js';
import type { Money } from '../domain/money.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { monthlyRecurringRevenue } from '../domain/recurringRevenue.js';
import { Plan } from '../entities/index.js';

/** A condition on customers `c` (their app) ANDed into a statement, with its parameters after the statement's own. */
export interface CustomerScope {
  where(condition: string): string;
  params(...values: unknown[]): unknown[];
}

/** Everyone's customers (null), or one app's. */
export function customerScope(apiClientId: string | null): CustomerScope {
  return {
    where: (condition) => (apiClientId ? `${condition} and c.api_client_id = ?` : condition),
    params: (...values) => (apiClientId ? [...values, apiClientId] : values),
  };
}

export interface TotalRow {
  currency: string;
  total: string;
  count: number;
}

export function sums(rows: TotalRow[]): { totals: Money[]; count: number } {
  return {
    // Summed as numeric and read as text: a total past 2^53 minor units then fails loudly in Money (SafeInt)
    // instead of being rounded by a float8 on the way.
    totals: rows.map((row) => ({ amount: Number(row.total), currency: row.currency.trim() })),
    count: rows.reduce((total, row) => total + row.count, 0),
  };
}

export interface PlanQuantityCount {
  plan_id: string;
  quantity: number;
  subscriptions: number;
}

/** The plans rows name, in one statement: pricing (tiers) is applied in code, as invoices apply it. */
export async function plansOf(em: EntityManager, rows: { plan_id: string }[]): Promise<Map<string, Plan>> {
  const ids = [...new Set(rows.map((row) => row.plan_id))];
  if (ids.length === 0) return new Map();
  return new Map((await em.find(Plan, { id: ids })).map((plan) => [plan.id, plan]));
}

/** Monthly recurring revenue per currency of (plan, quantity, count) rows, at list prices. */
export function recurringRevenueOf(rows: PlanQuantityCount[], plans: Map<string, Plan>): Money[] {
  return monthlyRecurringRevenue(
    rows.map((row) => {
      const plan = plans.get(row.plan_id)!;
      return {
        periodAmount: planLine(plan, row.quantity).amount,
        currency: plan.currency,
        cadence: { interval: plan.interval, intervalCount: plan.intervalCount },
        subscriptions: row.subscriptions,
      };
    }),
  );
}

/** What rows of one (plan, quantity) cost per period, added per currency (before coupons and tax). */
export function periodAmountsOf(rows: PlanQuantityCount[], plans: Map<string, Plan>): Money[] {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const plan = plans.get(row.plan_id)!;
    const amount = planLine(plan, row.quantity).amount * row.subscriptions;
    totals.set(plan.currency, (totals.get(plan.currency) ?? 0) + amount);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ amount, currency }));
}

/** How many subscriptions are in each status now, in the lifecycle's order. */
export function statusCounts(
  em: EntityManager,
  scope: CustomerScope,
): Promise<{ status: SubscriptionStatus; count: number }[]> {
  return em.execute(
    `select s.status, count(*)::int as count
     from subscriptions s join customers c on c.id = s.customer_id
     where ${scope.where('true')}
     group by s.status order by s.status`,
    scope.params(),
  );
}

/** Statuses whose subscriptions count as recurring revenue: paying, or still being collected from. */
export const RECURRING_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE'];

/** ACTIVE and PAST_DUE subscriptions now, per (plan, quantity). */
export function recurringRows(em: EntityManager, scope: CustomerScope): Promise<PlanQuantityCount[]> {
  return em.execute(
    `select s.plan_id, s.quantity, count(*)::int as subscriptions
     from subscriptions s join customers c on c.id = s.customer_id
     where ${scope.where(`s.status in (${RECURRING_STATUSES.map((status) => `'${status}'`).join(', ')})`)}
     group by s.plan_id, s.quantity`,
    scope.params(),
  );
}
