// Subscriptions by status, plan, product, customer, app and renewal date; sorted by creation or renewal date.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { Subscription } from '../entities/Subscription.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { CREATED_AT, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import { ofVisibleCustomers, range, sortedPage, sqlCondition } from './listFilters.js';

export interface SubscriptionSearch {
  status?: SubscriptionStatus | null;
  statuses?: SubscriptionStatus[] | null;
  planId?: string | null;
  productId?: string | null;
  customerId?: string | null;
  apiClientId?: string | null;
  renewsFrom?: Date | null;
  renewsTo?: Date | null;
}

/**
 * When a subscription is next invoiced: its period's end, its trial's end while trialing, else its billing anchor
 * (never null, so it can order a keyset). Indexed with id (Migration20261206110000_admin_search_indexes).
 */
export const RENEWS_AT = (a: string) => `coalesce(${a}.current_period_end, ${a}.trial_end, ${a}.billing_anchor)`;

export const SUBSCRIPTION_SORTS: Record<'CREATED_AT' | 'RENEWS_AT', SortKey<Subscription>> = {
  CREATED_AT,
  RENEWS_AT: {
    name: 'RENEWS_AT',
    column: RENEWS_AT,
    value: (s) => s.currentPeriodEnd ?? s.trialEnd ?? s.billingAnchor,
  },
};
export type SubscriptionSort = keyof typeof SUBSCRIPTION_SORTS;

export function subscriptionWhere(caller: Caller, filter: SubscriptionSearch = {}): Record<string, unknown> {
  const conditions: Record<string, unknown>[] = [ofVisibleCustomers(caller, filter)];
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.statuses?.length) conditions.push({ status: { $in: filter.statuses } });
  if (filter.planId) conditions.push({ plan: filter.planId });
  if (filter.productId) conditions.push({ plan: { product: filter.productId } });
  const renews = range('filter.renewsTo', filter.renewsFrom, filter.renewsTo);
  if (renews?.$gte) conditions.push(sqlCondition((a) => `${RENEWS_AT(a)} >= ?`, [renews.$gte]));
  if (renews?.$lt) conditions.push(sqlCondition((a) => `${RENEWS_AT(a)} < ?`, [renews.$lt]));
  return { $and: conditions };
}

export function searchSubscriptions(
  em: EntityManager,
  caller: Caller,
  filter: SubscriptionSearch | null | undefined,
  page: PageArgs & { sort?: SubscriptionSort | null; direction?: SortDirection | null },
): Promise<Page<Subscription>> {
  requireScope(caller, 'read:subscriptions');
  return sortedPage(em, Subscription, subscriptionWhere(caller, filter ?? {}), SUBSCRIPTION_SORTS, page);
}
