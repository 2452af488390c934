// Data for the entitlement benchmark in its own database: an administrator, one client app (read:subscriptions)
// with a fresh API key, a product, a plan, and CUSTOMER_COUNT customers of that app, each with an ACTIVE
// subscription in its current period. Idempotent: a second run reuses what is there and only makes a new key.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApiClient, createApiKey, revokeApiKey } from '../src/accounts/apiClients.js';
import { createAdminUser } from '../src/accounts/register.js';
import type { Caller } from '../src/kernel/caller.js';
import { createPlan } from '../src/catalog/createPlan.js';
import { createProduct } from '../src/catalog/createProduct.js';
import type { Config } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { ApiClient, ApiKey, Plan, Product } from '../src/entities/index.js';

export const CUSTOMER_COUNT = 10_000;
export const PRODUCT_CODE = 'bench-analytics';
const CLIENT_NAME = 'entitlement-bench';
const PLAN_NAME = 'Bench Pro monthly';
const ADMIN_EMAIL = 'bench-admin@example.test';
const BATCH = 1_000;

/** The app's own id for customer `index` (0-based): bench-00000 … bench-09999. */
export function externalId(index: number): string {
  return `bench-${String(index).padStart(5, '0')}`;
}

export interface BenchData {
  apiClientId: string;
  apiKey: string;
  productCode: string;
  planId: string;
  planName: string;
  customers: number;
  /** Rows this run inserted (0 when everything was reused). */
  inserted: { customers: number; subscriptions: number };
  postgresVersion: string;
  setupSeconds: number;
}

export async function prepareBenchData(config: Config): Promise<BenchData> {
  const started = performance.now();
  await ensureDatabaseExists(config.database.url);
  const orm = createOrm(config.database);
  const sql = new pg.Client({ connectionString: config.database.url });
  try {
    await migrate(orm);
    await sql.connect();

    // createAdminUser returns the existing user when there is one; the password is never used.
    const adminUser = await createAdminUser(orm.em.fork(), ADMIN_EMAIL, `bench-${randomBytes(18).toString('hex')}`);
    const admin: Caller = { kind: 'user', userId: adminUser.id, role: 'ADMIN', customerId: null };

    const client =
      (await orm.em.fork().findOne(ApiClient, { name: CLIENT_NAME })) ??
      (await createApiClient(orm.em.fork(), admin, { name: CLIENT_NAME, scopes: ['read:subscriptions'] }));
    // A key is shown only when it is made: each run revokes the previous run's keys and makes its own.
    for (const old of await orm.em.fork().find(ApiKey, { apiClient: client.id, revokedAt: null }))
      await revokeApiKey(orm.em.fork(), admin, old.id);
    const { key } = await createApiKey(orm.em.fork(), admin, client.id, `bench run ${new Date().toISOString()}`);

    const product =
      (await orm.em.fork().findOne(Product, { code: PRODUCT_CODE })) ??
      (await createProduct(orm.em.fork(), admin, {
        code: PRODUCT_CODE,
        name: 'Analytics (benchmark)',
        features: ['dashboards', 'exports'],
      }));
    const plan =
      (await orm.em.fork().findOne(Plan, { product: product.id, name: PLAN_NAME })) ??
      (await createPlan(orm.em.fork(), admin, {
        productId: product.id,
        name: PLAN_NAME,
        amount: 250_000,
        currency: 'KES',
        interval: 'MONTH',
        trialDays: 0,
        features: ['dashboards', 'exports', 'api'],
        limits: { seats: 25, projects: 100 },
      }));

    // Raw SQL in batches: the use cases would take minutes for 10,000 customers and audit every one.
    let customers = 0;
    let subscriptions = 0;
    await sql.query('begin');
    for (let from = 0; from < CUSTOMER_COUNT; from += BATCH) {
      const inserted = await sql.query(
        `insert into customers (id, api_client_id, external_id, email, name, created_at, updated_at)
         select gen_random_uuid(), $1, 'bench-' || lpad(i::text, 5, '0'), 'bench-' || i || '@example.test',
                'Bench customer ' || i, now(), now()
         from generate_series($2::int, $3::int) as i
         on conflict do nothing`,
        [client.id, from, Math.min(from + BATCH, CUSTOMER_COUNT) - 1],
      );
      customers += inserted.rowCount ?? 0;
    }
    const inserted = await sql.query(
      `insert into subscriptions (id, customer_id, plan_id, status, billing_anchor, current_period_start,
                                  current_period_end, created_at, updated_at)
       select gen_random_uuid(), c.id, $2, 'ACTIVE', date_trunc('day', now()) - interval '45 days',
              date_trunc('day', now()) - interval '15 days', date_trunc('day', now()) + interval '15 days', now(), now()
       from customers c
       where c.api_client_id = $1 and c.external_id like 'bench-%'
         and not exists (select 1 from subscriptions s where s.customer_id = c.id)`,
      [client.id, plan.id],
    );
    subscriptions += inserted.rowCount ?? 0;
    await sql.query('commit');
    if (customers || subscriptions) await sql.query('vacuum analyze customers, subscriptions, plans, products');

    const { rows } = await sql.query<{ count: string }>(
      `select count(*) from customers c join subscriptions s on s.customer_id = c.id
       where c.api_client_id = $1 and c.external_id like 'bench-%' and s.status = 'ACTIVE' and s.plan_id = $2`,
      [client.id, plan.id],
    );
    const ready = Number(rows[0]?.count ?? 0);
    if (ready !== CUSTOMER_COUNT)
      throw new Error(`expected ${CUSTOMER_COUNT} customers with an ACTIVE subscription, found ${ready}`);
    const version = await sql.query<{ version: string }>('select version()');

    return {
      apiClientId: client.id,
      apiKey: key,
      productCode: PRODUCT_CODE,
      planId: plan.id,
      planName: plan.name,
      customers: ready,
      inserted: { customers, subscriptions },
      postgresVersion: version.rows[0]?.version ?? 'unknown',
      setupSeconds: Math.round(performance.now() - started) / 1000,
    };
  } finally {
    await sql.end().catch(() => undefined);
    await orm.close();
  }
}
