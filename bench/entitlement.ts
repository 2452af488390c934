// `npm run bench:entitlement`: how fast the API answers `entitlement` with an API key, the hottest path in the
// system, under fixed offered loads and at saturation, next to a bare node:http + pg baseline doing the same SQL.
// A measurement, not a test: it exits 0 whether or not the targets are met, and non-zero only when it cannot run.
//
// Prepares its own database (billing_bench), runs the real API and then the baseline as child processes (the
// load generator stays in this process), and writes bench/results/entitlement-<date>.json and
// bench/results/entitlement-latest.md. BENCH_DURATION_SECONDS (default 20) shortens the runs for a quick look;
// BENCH_SCENARIOS (comma-separated parts of scenario names, e.g. "saturation,5000 req/s steady") runs only the
// scenarios whose names contain one of them, on both servers (the warm-up always runs).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from '../scripts/lib/children.js';
import { assertPortFree } from '../scripts/lib/ports.js';
import { loadConfig } from '../src/config.js';
import {
  ENTITLEMENT_QUERY,
  machineBusy,
  runScenario,
  stopAllLoad,
  validEntitlement,
  type ScenarioResult,
  type ScenarioSpec,
  type Target,
} from './load.js';
import {
  CONNECTIONS_AT_TARGET,
  HIGH_TARGET_P95_MS,
  HIGH_TARGET_RATE,
  markdown,
  TARGET_SATURATION_RATIO,
  verdicts,
  type Machine,
  type Quiet,
  type Settings,
} from './report.js';
import { CUSTOMER_COUNT, externalId, prepareBenchData, type BenchData } from './setup.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/billing_bench';
const HOST = '127.0.0.1';
const API_PORT = 4600;
const BASELINE_PORT = 4601;
const CONNECTIONS = CONNECTIONS_AT_TARGET;
/**
 * Autocannon instances per fixed-rate run for steady arrivals: 100 instances of 5 connections started 10 ms apart,
 * so at most 5 requests start together. (One per connection would be steadier still, but each instance holds
 * about 2 MB of histograms, and the load generator shares the machine with the servers.)
 */
const STAGGERED = 100;
const WARM_UP_SECONDS = 5;
const PAUSE_MS = 2000;
/** Before each server's runs: wait up to QUIET_WAIT_MS for the machine to be at most QUIET_PERCENT busy. */
const QUIET_PERCENT = 15;
const QUIET_WAIT_MS = 60_000;
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 20);
const ONLY = (process.env.BENCH_SCENARIOS ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);

if (!Number.isInteger(DURATION) || DURATION < 1) {
  console.error(
    `BENCH_DURATION_SECONDS must be a whole number of seconds above 0, got ${process.env.BENCH_DURATION_SECONDS}`,
  );
  process.exit(2);
}

/** The API's settings: production mode, a rate limit far above what the benchmark offers, no Temporal needed. */
const apiEnvironment: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL,
  HOST,
  PORT: String(API_PORT),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '100000000',
  // entitlement never touches Temporal; the client connects lazily, so nothing listens here and nothing asks.
  TEMPORAL_ADDRESS: '127.0.0.1:1',
};
const jwtSecret = randomBytes(32).toString('base64url');
// Production requires a keyring for sealed payment methods; the entitlement path never opens one.
apiEnvironment.DATA_ENCRYPTION_KEYS = `bench:${randomBytes(32).toString('base64')}`;

const children = new Set<Child>();
let interrupted = false;

async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((child) => child.stop(15_000)));
  children.clear();
}

process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.log('\ninterrupted: stopping the load and the servers');
  stopAllLoad();
  void stopChildren().finally(() => process.exit(130));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(name: string, script: string, port: number, env: Record<string, string>): Promise<Child> {
  await assertPortFree(HOST, port, name, 'stop whatever listens there and run the benchmark again');
  const child = startChild(name, process.execPath, ['--enable-source-maps', join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  children.add(child);
  let exited: number | null | undefined;
  void child.exited.then((code) => (exited = code));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${name} exited with code ${exited} before it was ready`);
    try {
      if ((await fetch(`http://${HOST}:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${name} did not answer /healthz within 30 s`);
}

async function stopServer(child: Child): Promise<void> {
  await child.stop(15_000);
  children.delete(child);
}

/** One request before the load: a known customer is granted, an unknown one is not. */
async function sanityCheck(target: Target, data: BenchData): Promise<void> {
  const ask = async (customerExternalId: string) => {
    const response = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
      body: JSON.stringify({ query: ENTITLEMENT_QUERY, variables: { customerExternalId, product: data.productCode } }),
    });
    return { status: response.status, body: await response.text() };
  };
  const known = await ask(externalId(0));
  if (known.status !== 200 || !validEntitlement(known.body, data.planName))
    throw new Error(`${target.name}: ${externalId(0)} is not granted: ${known.status} ${known.body.slice(0, 300)}`);
  const unknown = await ask('no-such-customer');
  if (unknown.status !== 200 || !unknown.body.startsWith('{"data":{"entitlement":{"granted":false,'))
    throw new Error(`${target.name}: an unknown customer should not be granted: ${unknown.body.slice(0, 300)}`);
}

function scenarios(target: Target['name']): ScenarioSpec[] {
  const warmUp: ScenarioSpec = { name: 'warm-up', kind: 'warm-up', connections: 100, durationSeconds: WARM_UP_SECONDS };
  const fixed = (rate: number, staggered?: number): ScenarioSpec => ({
    name: `${rate} req/s${staggered ? ' steady' : ' in step'}`,
    kind: 'fixed-rate',
    connections: CONNECTIONS,
    rate,
    staggered,
    durationSeconds: DURATION,
  });
  const saturation = (connections: number): ScenarioSpec => ({
    name: `saturation, ${connections} connections`,
    kind: 'saturation',
    connections,
    durationSeconds: DURATION,
  });
  const all =
    target === 'api'
      ? [
          fixed(1000),
          fixed(2000),
          fixed(1000, STAGGERED),
          fixed(2000, STAGGERED),
          fixed(HIGH_TARGET_RATE, STAGGERED),
          saturation(100),
          saturation(CONNECTIONS),
        ]
      : [
          fixed(2000),
          fixed(2000, STAGGERED),
          fixed(HIGH_TARGET_RATE, STAGGERED),
          saturation(100),
          saturation(CONNECTIONS),
        ];
  return [warmUp, ...all.filter((spec) => !ONLY.length || ONLY.some((part) => spec.name.includes(part)))];
}

/** Other work on the machine skews every number: wait a while for it to stop, and record what was found. */
async function waitForQuiet(target: Target['name']): Promise<Quiet> {
  const started = Date.now();
  let busy = await machineBusy(3000);
  while (busy !== null && busy > QUIET_PERCENT && Date.now() - started < QUIET_WAIT_MS) {
    console.log(`${target}: the machine is ${busy}% busy before the run: waiting for it to go quiet...`);
    busy = await machineBusy(3000);
  }
  const quiet = busy === null || busy <= QUIET_PERCENT;
  if (!quiet) console.log(`${target}: still ${busy}% busy after ${QUIET_WAIT_MS / 1000} s: measuring anyway`);
  return { target, busyPercent: busy, waitedSeconds: Math.round((Date.now() - started) / 1000), quiet };
}

async function measure(target: Target, data: BenchData): Promise<ScenarioResult[]> {
  await sanityCheck(target, data);
  const results: ScenarioResult[] = [];
  for (const spec of scenarios(target.name)) {
    if (interrupted) break;
    process.stdout.write(`${target.name}: ${spec.name} (${spec.durationSeconds} s)... `);
    const result = await runScenario(target, spec, data.planName);
    const failed = result.errors + result.timeouts + result.non2xx + result.badBodies;
    console.log(
      `${result.achievedRate} req/s, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, ` +
        `p99 ${result.latencyMs.p99} ms, ${failed} failed, ${result.bodiesValid}/${result.bodiesChecked} bodies valid`,
    );
    if (result.firstBadBody) console.log(`  first bad body: ${result.firstBadBody}`);
    results.push(result);
    await sleep(PAUSE_MS);
  }
  return results;
}

function machineFacts(postgres: string): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    postgres,
  };
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, ...apiEnvironment, JWT_SECRET: jwtSecret });
  console.log(`preparing ${CUSTOMER_COUNT.toLocaleString('en-US')} customers in ${DATABASE_URL}...`);
  const data = await prepareBenchData(config);
  console.log(
    `data ready in ${data.setupSeconds} s (inserted ${data.inserted.customers} customers, ` +
      `${data.inserted.subscriptions} subscriptions; the rest reused)`,
  );
  const customer = () => externalId(Math.floor(Math.random() * data.customers));
  const results: ScenarioResult[] = [];
  const quiet: Quiet[] = [];

  quiet.push(await waitForQuiet('api'));
  const api = await startServer('api', 'dist/server.js', API_PORT, { ...apiEnvironment, JWT_SECRET: jwtSecret });
  results.push(
    ...(await measure(
      {
        name: 'api',
        url: `http://${HOST}:${API_PORT}`,
        apiKey: data.apiKey,
        productCode: data.productCode,
        customer,
        pid: api.process.pid,
      },
      data,
    )),
  );
  await stopServer(api);

  if (!interrupted) {
    quiet.push(await waitForQuiet('baseline'));
    const baseline = await startServer('baseline', 'dist/bench/baseline-server.js', BASELINE_PORT, {
      BASELINE_PORT: String(BASELINE_PORT),
      BASELINE_HOST: HOST,
      DATABASE_URL,
      BENCH_API_KEY: data.apiKey,
      BENCH_API_CLIENT_ID: data.apiClientId,
    });
    results.push(
      ...(await measure(
        {
          name: 'baseline',
          url: `http://${HOST}:${BASELINE_PORT}`,
          apiKey: data.apiKey,
          productCode: data.productCode,
          customer,
          pid: baseline.process.pid,
        },
        data,
      )),
    );
    await stopServer(baseline);
  }
  if (interrupted) return;

  const generatedAt = new Date().toISOString();
  const autocannonVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const machine = machineFacts(data.postgresVersion);
  const settings: Settings = {
    databaseUrl: DATABASE_URL,
    customers: data.customers,
    productCode: data.productCode,
    apiUrl: `http://${HOST}:${API_PORT}/graphql`,
    baselineUrl: `http://${HOST}:${BASELINE_PORT}`,
    durationSeconds: DURATION,
    warmUpSeconds: WARM_UP_SECONDS,
    staggeredInstances: STAGGERED,
    apiEnvironment: {
      ...apiEnvironment,
      JWT_SECRET: '<random, 43 characters>',
      DATA_ENCRYPTION_KEYS: '<random>',
      DATABASE_POOL_MAX: '10 (default)',
      ENTITLEMENT_POOL_MAX: '10 (default), as many connections as the baseline',
      ENTITLEMENT_CACHE_SIZE: '100000 (default): every customer fits, so the API answers from memory after the warm-up',
      API_KEY_CACHE_SIZE:
        '10000 (default): the key is looked up once, then held until an event changes it; the entitlement fast path (src/http/entitlementFastPath.ts) answers every request after the first',
    },
    autocannon: `autocannon ${autocannonVersion}, HTTP/1.1 keep-alive, no pipelining, 10 s timeout, ${CONNECTIONS} connections for fixed rates`,
  };
  const outcome = verdicts(results);
  // The API key is left out on purpose: results are meant to be committed.
  const jsonFile = `bench/results/entitlement-${generatedAt.replace(/[:.]/g, '-')}.json`;
  const { apiKey: _secret, ...dataWithoutKey } = data;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(ROOT, jsonFile),
    `${JSON.stringify({ generatedAt, machine, settings, data: dataWithoutKey, quiet, results, verdicts: outcome }, null, 2)}\n`,
  );
  writeFileSync(
    join(RESULTS_DIR, 'entitlement-latest.md'),
    markdown({ generatedAt, jsonFile, machine, settings, quiet, results, verdicts: outcome }),
  );

  console.log(`\nwrote ${jsonFile} and bench/results/entitlement-latest.md`);
  const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
  if (outcome.latency)
    console.log(
      `p95 < 25 ms with no errors at 2,000 req/s: ${verdict(outcome.latency.met)} (p95 ${outcome.latency.p95} ms, ${outcome.latency.failures} failed)`,
    );
  if (outcome.latencyHigh)
    console.log(
      `p95 < ${HIGH_TARGET_P95_MS} ms with no errors at ${HIGH_TARGET_RATE.toLocaleString('en-US')} req/s: ` +
        `${verdict(outcome.latencyHigh.met)} (p95 ${outcome.latencyHigh.p95} ms, ${outcome.latencyHigh.failures} failed)`,
    );
  if (outcome.latencyInStep)
    console.log(
      `  all connections in step: p95 ${outcome.latencyInStep.p95} ms, ${outcome.latencyInStep.failures} failed (baseline p95 ${outcome.latencyInStep.baselineP95 ?? 'n/a'} ms)`,
    );
  if (outcome.saturation)
    console.log(
      `saturation >= ${TARGET_SATURATION_RATIO}x the baseline: ${verdict(outcome.saturation.met)} ` +
        `(${outcome.saturation.api} vs ${outcome.saturation.baseline} req/s, ratio ${outcome.saturation.ratio})`,
    );
}

try {
  await main();
  await stopChildren();
  if (interrupted) process.exit(130);
} catch (error) {
  console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  stopAllLoad();
  await stopChildren();
  process.exit(1);
}
