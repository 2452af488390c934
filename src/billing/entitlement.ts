// "Has this customer paid?": the hottest path in the system. One indexed statement answers it, and says why not:
// customers (api_client_id, external_id) -> subscriptions (customer_id, status) -> plans -> products (code).
// It runs as a named prepared statement on a small pool of its own: the ORM sends parameters inlined into the
// SQL text, which makes Postgres plan the query on every call (planning cost ~6x the execution, bench/).
import type pg from 'pg';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { ForbiddenError, ValidationError } from '../kernel/errors.js';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';

/** Why access is (not) granted, so an app can tell "not paid" from "you asked about a customer we don't know". */
export const ENTITLEMENT_REASONS = {
  SUBSCRIBED: 'an ACTIVE or TRIALING subscription to the product',
  GRACE_PERIOD: 'PAST_DUE, within the grace period (PAST_DUE_GRACE_DAYS)',
  SUBSCRIPTION_NOT_IN_GOOD_STANDING: 'the latest subscription to the product is past due, paused, unpaid or ended',
  NO_SUBSCRIPTION: 'the customer has never subscribed to the product',
  CUSTOMER_NOT_FOUND: 'the app has no customer with that externalId',
} as const;
export type EntitlementReason = keyof typeof ENTITLEMENT_REASONS;

export interface Entitlement {
  granted: boolean;
  reason: EntitlementReason;
  /** The reason in words, with what to do about it. */
  message: string;
  status: SubscriptionStatus | null;
  subscriptionId: string | null;
  planId: string | null;
  planName: string | null;
  periodEnd: Date | null;
  features: string[];
  limits: Record<string, number>;
}

/**
 * Raw rows skip the ORM's type mapping: instants come back as epoch milliseconds (float8, a JS number). A customer
 * without a subscription to the product comes back with the subscription's columns null.
 */
export type EntitlementRow = { customer_id: string } & (
  | {
      subscription_id: string;
      status: SubscriptionStatus;
      period_start_ms: number | null;
      period_end_ms: number | null;
      trial_end_ms: number | null;
      plan_id: string;
      plan_name: string;
      features: string[];
      limits: Record<string, number>;
    }
  | { subscription_id: null }
);
type SubscribedRow = Extract<EntitlementRow, { status: SubscriptionStatus }>;

/** Exported for the benchmark's baseline (bench/baseline-server.ts), which must run the very same statement. */
export const ENTITLEMENT_SQL = `
  select c.id as customer_id, x.*
  from customers c
  left join lateral (
    select s.id as subscription_id, s.status,
           (extract(epoch from s.current_period_start) * 1000)::float8 as period_start_ms,
           (extract(epoch from s.current_period_end) * 1000)::float8 as period_end_ms,
           (extract(epoch from s.trial_end) * 1000)::float8 as trial_end_ms,
           p.id as plan_id, p.name as plan_name, p.features, p.limits
    from subscriptions s
    join plans p on p.id = s.plan_id
    join products pr on pr.id = p.product_id
    where s.customer_id = c.id and pr.code = $3
    order by case s.status when 'ACTIVE' then 0 when 'TRIALING' then 1 when 'PAST_DUE' then 2 else 3 end,
             s.created_at desc
    limit 1
  ) x on true
  where c.api_client_id = $1 and c.external_id = $2 and c.deleted_at is null`;

/** Whether a subscription in this state still grants access: past-due ones keep it for a grace period. */
export function grantsAccess(
  row: Pick<SubscribedRow, 'status' | 'period_start_ms'>,
  now: Date,
  pastDueGraceDays: number,
): boolean {
  if (row.status === 'ACTIVE' || row.status === 'TRIALING') return true;
  if (row.status !== 'PAST_DUE' || row.period_start_ms === null) return false;
  return now.getTime() < row.period_start_ms + pastDueGraceDays * 86_400_000;
}

export type EntitlementLookup = (
  apiClientId: string,
  customerExternalId: string,
  productCode: string,
) => Promise<EntitlementRow | undefined>;

/** Bump the name when the statement changes: a connection keeps a prepared statement under its name. */
const STATEMENT_NAME = 'entitlement_v2';

export function entitlementLookup(pool: pg.Pool): EntitlementLookup {
  return async (apiClientId, customerExternalId, productCode) => {
    const result = await pool.query<EntitlementRow>({
      name: STATEMENT_NAME,
      text: ENTITLEMENT_SQL,
      values: [apiClientId, customerExternalId, productCode],
    });
    return result.rows[0];
  };
}

/**
 * Apps ask about their own customers. An administrator names the app (`apiClientId`), since a customer's externalId
 * is unique only within its app.
 */
function askingApp(caller: Caller, apiClientId: string | null | undefined): string {
  const known = requireScope(caller, 'read:subscriptions');
  if (known.kind === 'apiClient') {
    if (apiClientId && apiClientId !== known.apiClientId) {
      throw new ForbiddenError('an app asks about its own customers only: leave apiClientId out');
    }
    return known.apiClientId;
  }
  if (known.kind !== 'user' || known.role !== 'ADMIN')
    throw new ForbiddenError('entitlement answers client apps about their own customers');
  if (!apiClientId) {
    throw new ValidationError({ apiClientId: 'is required for administrators: the app whose customer this is' });
  }
  return apiClientId;
}

const NOTHING = { subscriptionId: null, planId: null, planName: null, periodEnd: null, features: [], limits: {} };

function refused(reason: EntitlementReason, message: string): Entitlement {
  return { granted: false, reason, message, status: null, ...NOTHING };
}

export async function entitlement(
  lookup: EntitlementLookup,
  caller: Caller,
  customerExternalId: string,
  productCode: string,
  options: { pastDueGraceDays: number; now?: Date; apiClientId?: string | null },
): Promise<Entitlement> {
  const apiClientId = askingApp(caller, options.apiClientId);
  const row = await lookup(apiClientId, customerExternalId, productCode);
  if (!row) {
    return refused(
      'CUSTOMER_NOT_FOUND',
      `this app has no customer with externalId "${customerExternalId}": create it with the app's key, or as an ` +
        'administrator with createCustomer(apiClientId) (moveCustomer gives an existing customer to the app)',
    );
  }
  if (row.subscription_id === null) {
    return refused('NO_SUBSCRIPTION', `the customer has no subscription to the product "${productCode}"`);
  }
  const granted = grantsAccess(row, options.now ?? new Date(), options.pastDueGraceDays);
  const reason: EntitlementReason = !granted
    ? 'SUBSCRIPTION_NOT_IN_GOOD_STANDING'
    : row.status === 'PAST_DUE'
      ? 'GRACE_PERIOD'
      : 'SUBSCRIBED';
  return {
    granted,
    reason,
    message: granted ? `the subscription is ${row.status}` : `the subscription is ${row.status}: no access`,
    status: row.status,
    subscriptionId: row.subscription_id,
    planId: row.plan_id,
    planName: row.plan_name,
    periodEnd:
      row.period_end_ms !== null
        ? new Date(row.period_end_ms)
        : row.trial_end_ms !== null
          ? new Date(row.trial_end_ms)
          : null,
    features: granted ? row.features : [],
    limits: granted ? row.limits : {},
  };
}
