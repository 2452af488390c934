// The baseline's copy of the API's entitlement statement, and a check that it is still the same statement:
// a baseline running other SQL would make the comparison meaningless.
import { readFileSync } from 'node:fs';

/** Copied from src/billing/entitlement.ts (ENTITLEMENT_SQL), with pg's $n placeholders for MikroORM's `?`. */
export const ENTITLEMENT_SQL = `
  select s.id as subscription_id, s.status,
         (extract(epoch from s.current_period_start) * 1000)::float8 as period_start_ms,
         (extract(epoch from s.current_period_end) * 1000)::float8 as period_end_ms,
         (extract(epoch from s.trial_end) * 1000)::float8 as trial_end_ms,
         p.id as plan_id, p.name as plan_name, p.features, p.limits
  from customers c
  join subscriptions s on s.customer_id = c.id
  join plans p on p.id = s.plan_id
  join products pr on pr.id = p.product_id
  where c.api_client_id = $1 and c.external_id = $2 and c.deleted_at is null and pr.code = $3
  order by case s.status when 'ACTIVE' then 0 when 'TRIALING' then 1 when 'PAST_DUE' then 2 else 3 end, s.created_at desc
  limit 1`;

const normalize = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Throws when the statement in the API's source (the file at `sourcePath`) is no longer the copy above. */
export function assertSameSqlAsApi(sourcePath: string): void {
  const source = readFileSync(sourcePath, 'utf8');
  const match = /const ENTITLEMENT_SQL = `([^`]*)`/.exec(source);
  if (!match) throw new Error(`found no ENTITLEMENT_SQL in ${sourcePath}: update bench/entitlementSql.ts`);
  let n = 0;
  const api = normalize(match[1]!.replace(/\?/g, () => `$${++n}`));
  if (api !== normalize(ENTITLEMENT_SQL))
    throw new Error(
      `the baseline's SQL (bench/entitlementSql.ts) is no longer the API's (${sourcePath}): copy it again.\n` +
        `API:      ${api}\nbaseline: ${normalize(ENTITLEMENT_SQL)}`,
    );
}
