// `npm run bench:cli-import`: `billing import customers` of a 10,000-row CSV against the real API (in this process, on
// a free port, against its own database BENCH_CLI_IMPORT_DATABASE_URL, with the production rate limit), the CLI
// run as its built binary (dist/src/cli/main.js) with an app's API key. Target (issue 18): under a minute on this
// machine. Then the same file again: every row is skipped through the import's state file. A measurement, not a
// test: it exits non-zero only when the import fails or the customers counted are not the rows sent.
// Writes bench/results/cli-import-<date>.json and cli-import-latest.md.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdminUser } from '../src/accounts/register.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { buildBillingSchema } from '../src/graphql/schema.js';
import { apiDependencies, securityOptions } from '../src/http/apiDependencies.js';
import { createApiServer } from '../src/http/app.js';
import { createTemporalClient } from '../src/temporal/client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '4';
const TARGET_SECONDS = 60;
const DATABASE_URL =
  process.env.BENCH_CLI_IMPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/billing_bench_cli_import';

interface Run {
  run: string;
  seconds: number;
  rowsPerSecond: number;
  summary: Record<string, unknown>;
}

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL,
    TEMPORAL_ADDRESS: '127.0.0.1:1',
  });
  await ensureDatabaseExists(DATABASE_URL);
  const orm = createOrm(config.database);
  await migrate(orm);
  const temporal = createTemporalClient(config.temporal);
  const dependencies = apiDependencies(config, orm.em, temporal);
  const api = await createApiServer({
    ...dependencies,
    ...securityOptions(config),
    schema: await buildBillingSchema(),
    readinessChecks: {},
  });
  const port = await api.listen(0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-cli-import-'));
  const runs: Run[] = [];
  let counted: number | undefined;
  try {
    const post = async <T>(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await response.json()) as { data?: T; errors?: unknown[] };
      if (json.errors || !json.data) throw new Error(JSON.stringify(json.errors).slice(0, 500));
      return json.data;
    };
    // A fresh app each run: its customers are this run's only (email and externalId are unique per app).
    const email = `bench-${randomUUID()}@example.test`;
    const password = 'bench admin password 42';
    await createAdminUser(orm.em.fork(), email, password);
    const { login } = await post<{ login: { accessToken: string } }>(
      'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
      { i: { email, password } },
    );
    const admin = { authorization: `Bearer ${login.accessToken}` };
    const { createApiClient } = await post<{ createApiClient: { id: string } }>(
      'mutation ($i: CreateApiClientInput!) { createApiClient(input: $i) { id } }',
      { i: { name: `cli-import-bench-${randomUUID().slice(0, 8)}`, scopes: ['read:customers', 'write:customers'] } },
      admin,
    );
    const { createApiKey } = await post<{ createApiKey: { key: string } }>(
      'mutation ($id: ID!) { createApiKey(apiClientId: $id, name: "bench") { key } }',
      { id: createApiClient.id },
      admin,
    );
    const file = join(dir, 'customers.csv');
    const lines = Array.from({ length: ROWS }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return `customer-${n}@example.test,Customer ${n},07${String(10_000_000 + i).slice(-8)},legacy-${n}`;
    });
    await writeFile(file, ['email,name,phone,external_id', ...lines].join('\n'));
    const env = { PATH: process.env.PATH ?? '', BILLING_API_URL: apiUrl, BILLING_API_KEY: createApiKey.key };
    runs.push(await timeImport('first import', file, env));
    runs.push(await timeImport('same file again (state file)', file, env));
    const { customers } = await post<{ customers: { totalCount: number } }>(
      '{ customers(first: 1) { totalCount } }',
      {},
      { 'x-api-key': createApiKey.key },
    );
    counted = customers.totalCount;
  } finally {
    await api.stop();
    await dependencies.close();
    await Promise.allSettled([orm.close(), temporal.connection.close()]);
    await rm(dir, { recursive: true, force: true });
  }
  write(runs, counted ?? 0);
  if (counted !== ROWS) throw new Error(`counted ${counted} customers, expected ${ROWS}`);
}

async function timeImport(run: string, file: string, env: Record<string, string>): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, '--json', 'import', 'customers', file, '--concurrency', CONCURRENCY], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (code !== 0) throw new Error(`${run}: the CLI exited ${code}: ${stdout.slice(0, 500)}`);
  const { rejectedRows: _rows, ...summary } = JSON.parse(stdout) as Record<string, unknown>;
  const result = { run, seconds, rowsPerSecond: Math.round(ROWS / seconds), summary };
  console.log(JSON.stringify(result));
  return result;
}

function write(runs: Run[], counted: number): void {
  const at = new Date().toISOString();
  const file = `cli-import-${at.replace(/[:.]/g, '-')}.json`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const met = (runs[0]?.seconds ?? Infinity) < TARGET_SECONDS && counted === ROWS;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, file),
    `${JSON.stringify({ at, machine, rows: ROWS, concurrency: Number(CONCURRENCY), counted, runs, met }, null, 2)}\n`,
  );
  const rows = runs.map((r) => `| ${r.run} | ${r.seconds} | ${r.rowsPerSecond} | ${JSON.stringify(r.summary)} |`);
  writeFileSync(
    join(RESULTS_DIR, 'cli-import-latest.md'),
    `# CLI import benchmark: latest run

Generated by \`npm run bench:cli-import\` at ${at} on ${machine}; full numbers in \`bench/results/${file}\`.
\`billing import customers\` (the built binary, a child process) of ${ROWS.toLocaleString('en')} rows (email, name,
phone, external_id) against the real API in the benchmark's process (Postgres, the production rate limit of
1,200 requests a minute per key), ${CONCURRENCY} requests in flight, 25 rows a request. Time is the CLI's wall clock
from start to exit, reading and checking the file included. Target (issue 18): under ${TARGET_SECONDS} s.
Customers the app holds afterwards: ${counted.toLocaleString('en')} (${counted === ROWS ? 'every row once' : '**not the rows sent**'}).
Target met: ${met ? 'yes' : '**no**'}.

| run | seconds | rows/s | summary |
| --- | ---: | ---: | --- |
${rows.join('\n')}
`,
  );
  console.log(`wrote bench/results/${file} and bench/results/cli-import-latest.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
