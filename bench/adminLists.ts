// `npm run bench:admin-lists`: how fast the admin console's lists, searches and overview answer on the database
// bench/seedAdmin.ts fills (100,000 customers, 1,000,000 invoices). The real API server runs in this process on a
// free port against BENCH_ADMIN_DATABASE_URL; each scenario is one page a console screen asks for (its nested
// relations included), sent BENCH_RUNS times one at a time after a warm-up, timed at the client. Targets (issue
// 15): every list page and search under 300 ms at p95, the overview under 1 s. A measurement, not a test: it exits
// non-zero only when an answer carries errors. Writes bench/results/admin-lists-<date>.json and -latest.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdminUser } from '../src/accounts/register.js';
import { loadConfig } from '../src/config.js';
import { createOrm } from '../src/db/orm.js';
import { buildBillingSchema } from '../src/graphql/schema.js';
import { apiDependencies, securityOptions } from '../src/http/apiDependencies.js';
import { createApiServer } from '../src/http/app.js';
import { createTemporalClient } from '../src/temporal/client.js';
import { BENCH_ADMIN_DATABASE_URL } from './adminDatabase.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const WARM_UP = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const LIST_TARGET_MS = 300;
const OVERVIEW_TARGET_MS = 1_000;

interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** A later page: the scenario first walks this many pages and times the next. */
  deepPages?: number;
  target: number;
}

const DAY = 86_400_000;
const page = (field: string, args: string, node: string) =>
  `query ($after: String) { ${field}(${args}${args ? ', ' : ''}first: 25, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${node} } } } }`;
const CUSTOMER = 'id name email phone status createdAt subscriptions { id status plan { name } }';
const SUBSCRIPTION = 'id status currentPeriodEnd quantity customer { name email } plan { name price { formatted } }';
const INVOICE = 'id number status issuedAt total { amount currency formatted } amountDue { amount } customer { name }';
const PAYMENT =
  'id provider status receiptNumber providerReference createdAt amount { formatted } invoice { number } customer { name }';

const scenarios: Scenario[] = [
  { name: 'customers: first page (newest)', query: page('customers', '', CUSTOMER), target: LIST_TARGET_MS },
  {
    name: 'customers: page 20 (keyset)',
    query: page('customers', '', CUSTOMER),
    deepPages: 19,
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: sorted by name, page 5',
    query: page('customers', 'sort: NAME, direction: ASC', CUSTOMER),
    deepPages: 4,
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: search "wanjiru chebet"… name contains "jiru"',
    query: page('customers', 'filter: { search: "jiru" }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: search by email contains',
    query: page('customers', 'filter: { search: "customer4242" }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: phone 0710004242 (exact)',
    query: page('customers', 'filter: { phone: "0710004242" }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: phone digits "04242"',
    query: page('customers', 'filter: { phone: "04242" }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: externalId',
    query: page('customers', 'filter: { externalId: "ext-77777" }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  {
    name: 'customers: SUSPENDED',
    query: page('customers', 'filter: { status: SUSPENDED }', CUSTOMER),
    target: LIST_TARGET_MS,
  },
  { name: 'subscriptions: first page', query: page('subscriptions', '', SUBSCRIPTION), target: LIST_TARGET_MS },
  {
    name: 'subscriptions: PAST_DUE',
    query: page('subscriptions', 'filter: { status: PAST_DUE }', SUBSCRIPTION),
    target: LIST_TARGET_MS,
  },
  {
    name: 'subscriptions: renewing in 7 days, by renewal',
    query: page(
      'subscriptions',
      'filter: { renewsFrom: $from, renewsTo: $to }, sort: RENEWS_AT, direction: ASC',
      SUBSCRIPTION,
    ).replace('($after: String)', '($after: String, $from: DateTimeISO, $to: DateTimeISO)'),
    variables: { from: new Date().toISOString(), to: new Date(Date.now() + 7 * DAY).toISOString() },
    target: LIST_TARGET_MS,
  },
  { name: 'invoices: first page (newest)', query: page('invoices', '', INVOICE), target: LIST_TARGET_MS },
  { name: 'invoices: page 20 (keyset)', query: page('invoices', '', INVOICE), deepPages: 19, target: LIST_TARGET_MS },
  { name: 'invoices: OPEN', query: page('invoices', 'filter: { status: OPEN }', INVOICE), target: LIST_TARGET_MS },
  {
    name: 'invoices: number contains "004242"',
    query: page('invoices', 'filter: { number: "004242" }', INVOICE),
    target: LIST_TARGET_MS,
  },
  {
    name: 'invoices: issued in a month, 4,000 to 5,000 KES, by total',
    query: page(
      'invoices',
      'filter: { from: $from, to: $to, minTotal: 400000, maxTotal: 500000, currency: "KES" }, sort: TOTAL, direction: DESC',
      INVOICE,
    ).replace('($after: String)', '($after: String, $from: DateTimeISO, $to: DateTimeISO)'),
    variables: {
      from: new Date(Date.now() - 60 * DAY).toISOString(),
      to: new Date(Date.now() - 30 * DAY).toISOString(),
    },
    target: LIST_TARGET_MS,
  },
  {
    name: 'invoices: by total, page 5',
    query: page('invoices', 'sort: TOTAL, direction: DESC', INVOICE),
    deepPages: 4,
    target: LIST_TARGET_MS,
  },
  { name: 'payments: first page', query: page('payments', '', PAYMENT), target: LIST_TARGET_MS },
  {
    name: 'payments: FAILED M-Pesa',
    query: page('payments', 'filter: { provider: MPESA, status: FAILED }', PAYMENT),
    target: LIST_TARGET_MS,
  },
  {
    name: 'payments: by reference (checkout id)',
    query: page('payments', 'filter: { reference: "ws_CO_B-004242-03" }', PAYMENT),
    target: LIST_TARGET_MS,
  },
  {
    name: 'payments: by amount, page 5',
    query: page('payments', 'sort: AMOUNT, direction: DESC', PAYMENT),
    deepPages: 4,
    target: LIST_TARGET_MS,
  },
  {
    name: 'overview: 12 months by MONTH',
    query: `query ($from: DateTimeISO!, $to: DateTimeISO!) { adminOverview(from: $from, to: $to, bucket: MONTH) {
      subscriptionsByStatus { status count } monthlyRecurringRevenue { amount currency } upcomingRenewals { withinDays count totals { amount currency } }
      series { start monthlyRecurringRevenue { amount currency } payingSubscriptions trialingSubscriptions invoiced { count totals { amount currency } }
        collected { count totals { amount currency } } failedPayments startedSubscriptions endedSubscriptions } } }`,
    variables: { from: new Date(Date.now() - 365 * DAY).toISOString(), to: new Date().toISOString() },
    target: OVERVIEW_TARGET_MS,
  },
  {
    name: 'overview: 90 days by DAY',
    query: `query ($from: DateTimeISO!, $to: DateTimeISO!) { adminOverview(from: $from, to: $to, bucket: DAY, timeZone: "Africa/Nairobi") {
      monthlyRecurringRevenue { amount } series { start monthlyRecurringRevenue { amount currency } invoiced { count } collected { count } failedPayments startedSubscriptions endedSubscriptions } } }`,
    variables: { from: new Date(Date.now() - 90 * DAY).toISOString(), to: new Date().toISOString() },
    target: OVERVIEW_TARGET_MS,
  },
  {
    name: 'past-due list (50)',
    query:
      '{ pastDueSubscriptions { subscriptionId retriesLeft amountDue { amount } subscription { customer { name } } } }',
    target: LIST_TARGET_MS,
  },
];

interface Result {
  scenario: string;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  targetMs: number;
  met: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: BENCH_ADMIN_DATABASE_URL,
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const orm = createOrm(config.database);
  const client = createTemporalClient(config.temporal);
  const dependencies = apiDependencies(config, orm.em, client);
  const api = await createApiServer({
    ...dependencies,
    ...securityOptions(config),
    schema: await buildBillingSchema(),
    readinessChecks: {},
  });
  const port = await api.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  const email = `bench-${randomUUID()}@example.test`;
  const password = 'bench admin password 42';
  await createAdminUser(orm.em.fork(), email, password);
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (json.errors) throw new Error(`${JSON.stringify(json.errors).slice(0, 500)}`);
    return json.data!;
  };
  const login = await post('mutation ($i: LoginInput!) { login(input: $i) { accessToken } }', {
    i: { email, password },
  });
  const token = (login.login as { accessToken: string }).accessToken;
  const results: Result[] = [];
  try {
    for (const scenario of scenarios) {
      let after: string | null = null;
      for (let i = 0; i < (scenario.deepPages ?? 0); i++) {
        const data = await post(scenario.query, { ...scenario.variables, after }, token);
        after = (Object.values(data)[0] as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
      }
      const variables = { ...scenario.variables, ...(scenario.deepPages ? { after } : {}) };
      for (let i = 0; i < WARM_UP; i++) await post(scenario.query, variables, token);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await post(scenario.query, variables, token);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      const p95 = round(percentile(times, 0.95));
      results.push({
        scenario: scenario.name,
        medianMs: round(percentile(times, 0.5)),
        p95Ms: p95,
        maxMs: round(times.at(-1)!),
        targetMs: scenario.target,
        met: p95 < scenario.target,
      });
      console.log(JSON.stringify(results.at(-1)));
    }
  } finally {
    await api.stop();
    await dependencies.close();
    await Promise.allSettled([orm.close(), client.connection.close()]);
  }
  write(results);
}

function write(results: Result[]): void {
  const at = new Date().toISOString();
  const file = `admin-lists-${at.replace(/[:.]/g, '-')}.json`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify({ at, machine, runs: RUNS, results }, null, 2)}\n`);
  const rows = results.map(
    (r) =>
      `| ${r.scenario} | ${r.medianMs} | ${r.p95Ms} | ${r.maxMs} | < ${r.targetMs} | ${r.met ? 'yes' : '**no**'} |`,
  );
  writeFileSync(
    join(RESULTS_DIR, 'admin-lists-latest.md'),
    `# Admin console lists benchmark: latest run

Generated by \`npm run bench:admin-lists\` at ${at} on ${machine}; full numbers in \`bench/results/${file}\`.
Database: \`npm run bench:seed-admin\` (100,000 customers each with a subscription, 1,000,000 invoices, 500,000
payments). Each scenario is one page a console screen asks for (25 rows with their nested relations, no
\`totalCount\`), POSTed ${RUNS} times one at a time after ${WARM_UP} warm-up requests, timed at the client; "page N"
walks N-1 pages first and times the next with its cursor. Targets from issue 15: list pages and searches under
${LIST_TARGET_MS} ms at p95, the overview under ${OVERVIEW_TARGET_MS} ms.

| scenario | median ms | p95 ms | max ms | target ms | met |
| --- | ---: | ---: | ---: | ---: | :-: |
${rows.join('\n')}
`,
  );
  console.log(`wrote bench/results/${file} and bench/results/admin-lists-latest.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
