// Renewals coming: subscriptions that will be invoiced within the next 7 and 30 days (a trial's end or the current
// period's end), at what the next period costs at list price (a plan change waiting for the period end applied).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomerScope, PlanQuantityCount } from './reportSql.js';

export const UPCOMING_RENEWAL_DAYS = [7, 30] as const;

/**
 * The instant a subscription is next invoiced: its period's end, or its trial's end while trialing. Indexed by this
 * very expression (Migration20261206100000_admin_indexes).
 */
export const RENEWAL_AT = 'coalesce(s.current_period_end, s.trial_end)';
export const RENEWING_STATUSES = `s.status in ('TRIALING', 'ACTIVE', 'PAST_DUE') and not s.cancel_at_period_end`;

/** Per window (7 or 30 days from now), what renews, per (plan, quantity) of the next period. */
export function upcomingRenewalRows(em: EntityManager, scope: CustomerScope) {
  return em.execute<(PlanQuantityCount & { days: number })[]>(
    `select w.days, coalesce(s.pending_plan_id, s.plan_id) as plan_id,
            coalesce(s.pending_quantity, s.quantity) as quantity, count(*)::int as subscriptions
     from (values ${UPCOMING_RENEWAL_DAYS.map((days) => `(${days})`).join(', ')}) w(days)
     join subscriptions s on ${RENEWAL_AT} >= now() and ${RENEWAL_AT} < now() + w.days * interval '1 day'
     join customers c on c.id = s.customer_id
     where ${scope.where(RENEWING_STATUSES)}
     group by 1, 2, 3`,
    scope.params(),
  );
}
