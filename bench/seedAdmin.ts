// `npm run bench:seed-admin`: a database the size issue 15 measures the admin console at (100,000 customers, each
// with a subscription, 1,000,000 invoices, 500,000 payments), for bench/adminLists.ts. Rows are made by Postgres
// (generate_series, INSERT ... SELECT), not sent from here. Into BENCH_ADMIN_DATABASE_URL (default the
// billing_bench_admin database on the local server), created and migrated first; it refuses a database that holds
// customers already, so it never mixes into real data. Triggers (live events) are off while seeding.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createProduct } from '../src/catalog/createProduct.js';
import { createPlan } from '../src/catalog/createPlan.js';
import type { Caller } from '../src/kernel/caller.js';
import { BENCH_ADMIN_DATABASE_URL } from './adminDatabase.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const INVOICES_PER_SUBSCRIPTION = 10;

const admin: Caller = { kind: 'user', userId: randomUUID(), role: 'ADMIN', customerId: null };

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: BENCH_ADMIN_DATABASE_URL,
  });
  await ensureDatabaseExists(config.database.url);
  const orm = createOrm(config.database);
  try {
    await migrate(orm);
    const em = orm.em.fork();
    const [{ count }] = (await em.execute<{ count: number }[]>('select count(*)::int as count from customers')) as [
      { count: number },
    ];
    if (count > 0)
      throw new Error(`${BENCH_ADMIN_DATABASE_URL} already holds ${count} customers: drop it to seed again`);
    const product = await createProduct(orm.em.fork(), admin, { code: 'bench-admin', name: 'Bench', features: [] });
    const plans = [
      await createPlan(orm.em.fork(), admin, {
        productId: product.id,
        name: 'Basic',
        amount: 150_000,
        currency: 'KES',
        interval: 'MONTH',
        trialDays: 0,
      }),
      await createPlan(orm.em.fork(), admin, {
        productId: product.id,
        name: 'Pro',
        amount: 450_000,
        currency: 'KES',
        interval: 'MONTH',
        trialDays: 0,
      }),
      await createPlan(orm.em.fork(), admin, {
        productId: product.id,
        name: 'Team',
        amount: 4_900,
        currency: 'USD',
        interval: 'MONTH',
        trialDays: 0,
      }),
      await createPlan(orm.em.fork(), admin, {
        productId: product.id,
        name: 'Yearly',
        amount: 1_500_000,
        currency: 'KES',
        interval: 'YEAR',
        trialDays: 0,
      }),
    ];
    const started = Date.now();
    const step = async (what: string, sql: string, params: unknown[] = []) => {
      const t = Date.now();
      await em.execute(sql, params);
      console.log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    for (const table of ['customers', 'subscriptions', 'invoices', 'payments']) {
      await step(`triggers off on ${table}`, `alter table "${table}" disable trigger user`);
    }
    await step(
      `${CUSTOMERS.toLocaleString('en')} customers`,
      `insert into customers (id, email, name, phone, external_id, locale, preferences, status, created_at, updated_at)
       select gen_random_uuid(), 'customer' || n || '@bench.example', 
              (array['Wanjiru','Otieno','Achieng','Kamau','Njeri','Kiptoo','Amina','Mwangi','Zawadi','Baraka'])[1 + n % 10]
              || ' ' ||
              (array['Odhiambo','Mutua','Wekesa','Chebet','Omondi','Karanja','Hassan','Njoroge','Atieno','Kibet'])[1 + (n / 10) % 10]
              || ' ' || n,
              '+2547' || lpad((10000000 + n)::text, 8, '0'), 'ext-' || n, 'en-KE', '{}'::jsonb,
              case when n % 50 = 0 then 'SUSPENDED' else 'ACTIVE' end::customer_status,
              now() - (n % 730) * interval '1 day' - (n % 1440) * interval '1 minute',
              now()
       from generate_series(1, ?) n`,
      [CUSTOMERS],
    );
    await step(
      'one subscription per customer',
      `insert into subscriptions (id, customer_id, plan_id, status, billing_anchor, current_period_start,
                                  current_period_end, created_at, updated_at, quantity, ended_at, end_reason, paused_at,
                                  cancel_at_period_end)
       select gen_random_uuid(), c.id, (array[?, ?, ?, ?]::uuid[])[1 + k % 4], st.status::subscription_status,
              c.created_at, now() - (k % 30) * interval '1 day', now() + (30 - k % 30) * interval '1 day',
              c.created_at, now(), 1 + k % 3,
              case when st.status = 'CANCELED' then c.created_at + interval '200 days' end,
              case when st.status = 'CANCELED' then 'CANCELED_BY_REQUEST' end,
              case when st.status = 'PAUSED' then now() - interval '3 days' end, false
       from (select c.*, row_number() over () as k from customers c) c
       cross join lateral (select case
                             when k % 100 < 70 then 'ACTIVE' when k % 100 < 75 then 'TRIALING'
                             when k % 100 < 80 then 'PAST_DUE' when k % 100 < 83 then 'PAUSED'
                             when k % 100 < 98 then 'CANCELED' else 'INCOMPLETE' end as status) st`,
      plans.map((plan) => plan.id),
    );
    await step(
      `${(CUSTOMERS * INVOICES_PER_SUBSCRIPTION).toLocaleString('en')} invoices`,
      `insert into invoices (id, number, subscription_id, customer_id, status, period_index, period_start, period_end,
                             currency, subtotal, total, amount_due, issued_at, due_at, created_at, updated_at, paid_at,
                             kind, credit_applied, amount_paid)
       select gen_random_uuid(), 'B-' || lpad(s.k::text, 6, '0') || '-' || lpad(i::text, 2, '0'), s.id, s.customer_id,
              (case when s.status = 'PAST_DUE' and i = ? then 'OPEN' when i % 97 = 0 then 'VOID' else 'PAID' end)::invoice_status,
              i, s.created_at + i * interval '1 month', s.created_at + (i + 1) * interval '1 month',
              p.currency, p.amount * s.quantity, p.amount * s.quantity,
              p.amount * s.quantity,
              s.created_at + i * interval '1 month', s.created_at + i * interval '1 month' + interval '7 days',
              s.created_at + i * interval '1 month', now(),
              case when not (s.status = 'PAST_DUE' and i = ?) then s.created_at + i * interval '1 month' + interval '1 hour' end,
              'PERIOD', 0,
              case when not (s.status = 'PAST_DUE' and i = ?) and i % 97 <> 0 then p.amount * s.quantity else 0 end
       from (select s.*, row_number() over () as k from subscriptions s) s
       join plans p on p.id = s.plan_id
       cross join generate_series(0, ?) i`,
      [
        INVOICES_PER_SUBSCRIPTION - 1,
        INVOICES_PER_SUBSCRIPTION - 1,
        INVOICES_PER_SUBSCRIPTION - 1,
        INVOICES_PER_SUBSCRIPTION - 1,
      ],
    );
    await step(
      'payments for every other invoice',
      `insert into payments (id, invoice_id, customer_id, provider, status, attempt, amount, currency, idempotency_key,
                             provider_reference, receipt_number, failure_code, completed_at, created_at, updated_at)
       select gen_random_uuid(), i.id, i.customer_id, (case when i.currency = 'USD' then 'PAYPAL' else 'MPESA' end)::payment_provider,
              (case when i.status = 'OPEN' then 'FAILED' else 'SUCCEEDED' end)::payment_status, 1, i.total, i.currency,
              'bench-' || i.id, 'ws_CO_' || i.number, case when i.currency <> 'USD' then 'R' || upper(substr(md5(i.number), 1, 9)) end,
              case when i.status = 'OPEN' then '1032' end, i.issued_at + interval '1 hour', i.issued_at, now()
       from invoices i where i.period_index % 2 = 1 and i.status <> 'VOID'`,
    );
    for (const table of ['customers', 'subscriptions', 'invoices', 'payments']) {
      await step(`triggers on again on ${table}`, `alter table "${table}" enable trigger user`);
    }
    // As autovacuum leaves a table that stopped changing: statistics, and the visibility map index-only scans need.
    await step('vacuum analyze', 'vacuum analyze');
    console.log(`seeded ${BENCH_ADMIN_DATABASE_URL} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
