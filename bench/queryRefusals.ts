// `npm run bench:refusals`: how long the API takes to refuse an abusive GraphQL document (too many aliases, too
// deep), measured from the client, next to a trivial accepted query. A measurement, not a test: it exits 0
// whatever the numbers, and non-zero only when a refusal is not the one expected.
//
// The real API server runs in this process on a free port; refusals never reach Postgres or Temporal, which are
// only given addresses. Requests are sent one at a time (each refusal's own cost, not a queue's), after a warm-up.
// Writes bench/results/refusals-<date>.json and bench/results/refusals-latest.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createOrm } from '../src/db/orm.js';
import { buildBillingSchema } from '../src/graphql/schema.js';
import { apiDependencies, securityOptions } from '../src/http/apiDependencies.js';
import { createApiServer } from '../src/http/app.js';
import { createTemporalClient } from '../src/temporal/client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const WARM_UP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_MS = 20;

interface Scenario {
  name: string;
  query: string;
  /** The refusal expected (`extensions.limit`), or null for a query that must be answered. */
  limit: string | null;
}

const aliases = (count: number, field: string, alias: (i: number) => string) =>
  `{ ${Array.from({ length: count }, (_, i) => `${alias(i)}: ${field}`).join(' ')} }`;
const nested = (depth: number): string =>
  depth === 0
    ? 'id'
    : `customers { edges { node { id subscriptions { plan { product { ${nested(depth - 1)} } } } } } }`;

const scenarios: Scenario[] = [
  { name: 'accepted: { __typename }', query: '{ __typename }', limit: null },
  { name: 'too deep (depth 13)', query: `{ ${nested(2)} }`, limit: 'depth' },
  { name: '31 aliases', query: aliases(31, 'me { id }', (i) => `a${i}`), limit: 'aliases' },
  { name: '1,000 aliases', query: aliases(1_000, 'me { id }', (i) => `a${i}`), limit: 'aliases' },
  { name: '5,000 aliases (the issue)', query: aliases(5_000, 'me { id }', (i) => `a${i}`), limit: 'aliases' },
  { name: '7,000 aliases (near 100 kB)', query: aliases(7_000, '__typename', () => 'a'), limit: 'aliases' },
];

interface Result {
  scenario: string;
  documentBytes: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function timeOne(url: string, scenario: Scenario): Promise<number> {
  const body = JSON.stringify({ query: scenario.query });
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { errors?: { extensions?: { code?: string; limit?: string } }[] };
  const elapsed = performance.now() - started;
  const error = json.errors?.[0]?.extensions;
  const ok =
    scenario.limit === null ? !json.errors : error?.code === 'QUERY_TOO_COMPLEX' && error.limit === scenario.limit;
  if (!ok)
    throw new Error(`${scenario.name}: unexpected answer ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
  return elapsed;
}

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    // Never asked: refusals happen before any resolver. The maintenance database exists on any Postgres.
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
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
  const results: Result[] = [];
  try {
    for (const scenario of scenarios) {
      for (let i = 0; i < WARM_UP; i++) await timeOne(url, scenario);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await timeOne(url, scenario));
      times.sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      results.push({
        scenario: scenario.name,
        documentBytes: Buffer.byteLength(scenario.query),
        minMs: round(times[0]!),
        medianMs: round(percentile(times, 0.5)),
        p95Ms: round(percentile(times, 0.95)),
        maxMs: round(times.at(-1)!),
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
  const file = `refusals-${at.replace(/[:.]/g, '-')}.json`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify({ at, machine, runs: RUNS, results }, null, 2)}\n`);
  const rows = results.map(
    (r) =>
      `| ${r.scenario} | ${r.documentBytes.toLocaleString('en')} | ${r.minMs} | ${r.medianMs} | ${r.p95Ms} | ${r.maxMs} |`,
  );
  writeFileSync(
    join(RESULTS_DIR, 'refusals-latest.md'),
    `# Query refusal benchmark: latest run

Generated by \`npm run bench:refusals\` at ${at} on ${machine}; full numbers in \`bench/results/${file}\`.

Each scenario is POSTed to the real API ${RUNS} times, one request at a time after ${WARM_UP} warm-up requests, and
timed at the client (send to last byte). The target from issue 11: a refusal under ${TARGET_MS} ms however many
aliases are sent.

| scenario | document bytes | min ms | median ms | p95 ms | max ms |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`,
  );
  console.log(`wrote bench/results/${file} and bench/results/refusals-latest.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
