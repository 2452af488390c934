// A billing run: N subscriptions whose trial ends at the same instant, renewed by a real worker process, measured
// and checked. Used by `npm run bench:billing-run` (bench/billingRun.ts) and, small, by
// test/integration/scale/billingRun.test.ts, which asserts only the invariants.
//
// In this process: the M-Pesa sandbox, the API (createApiServer, as server.ts builds it: the sandbox's callbacks
// reach it and it signals the workflows; with `apis` > 1, that many `node dist/server.js` processes instead) and the
// subscribe use case the API runs. Each its own process: the Temporal dev server (SIGKILLed and started again on its
// state file in chaos mode), the workers (node <workerEntry>, killed with SIGKILL and restarted in chaos mode), and,
// for the ceiling, workers with the same settings running trivial workflows.
// test/integration/scale/billingRunChaos.test.ts runs the chaos mode small.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { createAdminUser } from '../src/accounts/register.js';
import { subscribe } from '../src/billing/subscribe.js';
import { createPlan } from '../src/catalog/createPlan.js';
import { loadConfig, type Config } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { checkPostgres } from '../src/db/health.js';
import { createOrm, migrate, type Orm } from '../src/db/orm.js';
import { buildBillingSchema } from '../src/graphql/schema.js';
import { apiDependencies, collectionPolicy, securityOptions, webAppSettings } from '../src/http/apiDependencies.js';
import { createApiServer } from '../src/http/app.js';
import type { Caller } from '../src/kernel/caller.js';
import { FieldCipher } from '../src/security/fieldCipher.js';
import { temporalCliPath } from '../src/temporal/binaries.js';
import { SubscriptionLifecycle } from '../src/temporal/subscriptionLifecycle.js';
import { createMpesaSandbox, type MpesaSandbox } from '../sandboxes/mpesa/server.js';
import { Meter, type CpuFigures, type Metered } from './billingRunMeter.js';
import {
  freePort,
  latencyOver,
  Proc,
  rssMiB,
  scrapeScheduleToStart,
  sleep,
  startDevServer,
  type DevServer,
  type Histograms,
  type LatencySummary,
} from './billingRunProcesses.js';

export type { CpuFigures } from './billingRunMeter.js';

export interface BillingRunOptions {
  /** Subscriptions renewed at the same instant. */
  n: number;
  databaseUrl: string;
  /** The worker's entry point (dist/worker.js, or a test build of it), started as its own process. */
  workerEntry: string;
  /** The ceiling's worker (dist/bench/ceilingWorker.js); absent: no ceiling. */
  ceilingWorkerEntry?: string;
  /** SIGKILL a worker this many times while renewals are unpaid, starting a new one each time. */
  chaosKills?: number;
  /** Milliseconds between two chaos events, at least and at most (default 1,000 to 3,000). */
  chaosEveryMs?: [number, number];
  /** SIGKILL the Temporal dev server this many times (after the first worker kill) and start it again. */
  temporalRestarts?: number;
  /** Keep Temporal's state in a SQLite file (in /dev/shm when there is one), not in memory; implied by restarts. */
  temporalDbFile?: boolean;
  /** Worker processes (default 1); the chaos kills take them in turn. */
  workers?: number;
  /**
   * API processes for the providers' callbacks. 1 (default): the API in this process, as server.ts builds it.
   * More: that many `node <apiEntry>` processes; worker i builds its M-Pesa CallBackURL from API i mod apis.
   */
  apis?: number;
  /** dist/server.js, for apis > 1. */
  apiEntry?: string;
  /** No-op activities per ceiling workflow (default: what a renewal runs, ACTIVITIES_PER_RENEWAL). */
  ceilingActivities?: number;
  /** Settings for the worker processes (tuning); the run's own (addresses, providers) are added. */
  workerSettings?: Record<string, string>;
  /** Extra `node` flags for the billing worker processes (e.g. `--cpu-prof --cpu-prof-dir=<dir>`; not the ceiling's). */
  workerNodeArgs?: string[];
  /** How long after the last subscription is created the instant is, at least. */
  leadMs?: number;
  /** Give up waiting for the last PAID after this long past the instant. */
  timeoutMs?: number;
  /** The M-Pesa customer's time to answer the prompt. */
  promptDelayMs?: number;
  log?: (line: string) => void;
  /** Worker and Temporal output, line by line (quiet when absent). */
  echo?: (line: string) => void;
}

export interface PhaseFigures {
  /** Seconds from the instant to the first and the last completion (PAID invoice; closed workflow). */
  firstSeconds: number | null;
  lastSeconds: number | null;
  completed: number;
  /** Completions per second between the instant and the last one. */
  perSecond: number | null;
  cpu: { worker: CpuFigures; temporal: CpuFigures; api: CpuFigures; postgres: CpuFigures; bench: CpuFigures };
  workerRssMiB: { max: number | null; end: number | null };
  scheduleToStart: LatencySummary[];
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

export interface Invariants {
  subscriptions: number;
  /** (subscription, period) pairs with more than one PERIOD invoice. */
  doubleInvoices: number;
  /** Subscriptions without their period-0 invoice. */
  missingInvoices: number;
  /** Invoices with more than one SUCCEEDED payment. */
  doubleSuccessfulPayments: number;
  /** Phones (one per subscription) the sandbox charged more than once. */
  doubleCharges: number;
  ledgerEntries: number;
  /** Ledger entries with no SUCCEEDED payment of that CheckoutRequestID. */
  ledgerWithoutPayment: number;
  unpaidInvoices: number;
  /** Subscriptions not ACTIVE. */
  notActive: number;
  ok: boolean;
}

export interface BillingRunResult {
  n: number;
  instant: string;
  createSeconds: number;
  /** Seconds between the last subscription created and the instant (negative: the instant came first). */
  slackSeconds: number;
  billing: PhaseFigures & {
    postgresConnectionsMax: number | null;
    invariants: Invariants;
    kills: number;
    temporalRestarts: number;
    workers: number;
    apis: number;
    /** M-Pesa callbacks the sandbox delivered (2xx) to each API. */
    callbacksByApi: Record<string, number>;
  };
  ceiling: (PhaseFigures & { activitiesPerWorkflow: number }) | null;
  /** billing renewals per second / ceiling workflows per second. */
  ratio: number | null;
  workerSettings: Record<string, string>;
}

/** What a renewal runs: issueAndChargePeriodInvoice, confirmPayment (before the lean-renewal patch, 3). */
export const ACTIVITIES_PER_RENEWAL = 2;
const PLAN_AMOUNT = 150_000; // KES 1,500.00: whole shillings, as M-Pesa takes them
const CALLBACK_SECRET = `bench-callback-${randomBytes(12).toString('hex')}`;
const MPESA = { MPESA_CONSUMER_KEY: 'ck', MPESA_CONSUMER_SECRET: 'cs', MPESA_PASSKEY: 'pk' };

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `node <entry>` with the shell's settings but the run's database, once it has said `ready` (a worker: polling). */
export async function startNodeProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  echo: ((line: string) => void) | null,
  ready = 'worker polling task queue',
  nodeArgs: string[] = [],
): Promise<Proc> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, entry], {
    // Several workers on one machine: no metrics listener (its port, and the SDK exporter's next to it, are fixed).
    env: { ...inherited, WORKER_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new Proc(name, child, echo);
  await proc.waitFor(ready, 60_000);
  return proc;
}

/** Where a restartable dev server keeps its state: memory-backed /dev/shm when there is one (no disk in the way). */
function temporalDbFile(runId: string): string {
  return join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `billing-run-temporal-${runId}.db`);
}

/** The chaos events in order: the worker kills, with the Temporal restarts after the first half of them. */
export function chaosSchedule(kills: number, restarts: number): ('kill' | 'restart')[] {
  const events: ('kill' | 'restart')[] = Array<'kill'>(kills).fill('kill');
  events.splice(Math.max(1, Math.floor(kills / 2)), 0, ...Array<'restart'>(restarts).fill('restart'));
  return events.slice(0, kills + restarts);
}

/** Callbacks the sandbox delivered with a 2xx answer, by the API they went to. */
function callbacksByApi(sandbox: MpesaSandbox, urls: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(urls.map((url) => [url, 0]));
  for (const delivery of sandbox.deliveries()) {
    const url = urls.find((candidate) => delivery.url.startsWith(candidate));
    if (url && delivery.status !== undefined && delivery.status < 300) counts[url] = (counts[url] ?? 0) + 1;
  }
  return counts;
}

interface Apis {
  urls: string[];
  /** Their process ids when they are processes of their own. */
  pids(): (number | undefined)[];
  stop(): Promise<void>;
}

/** The API as server.ts builds it, in this process, for the sandbox's callbacks (which signal the workflows). */
async function startApiHere(apiConfig: Config, orm: Orm, client: Client): Promise<Apis> {
  const dependencies = apiDependencies(apiConfig, orm.em, client);
  const api = await createApiServer({
    ...dependencies,
    ...securityOptions(apiConfig),
    webApp: webAppSettings(apiConfig),
    graphqlIde: false,
    schema: await buildBillingSchema(),
    readinessChecks: {
      postgres: () => checkPostgres(orm),
      temporal: async () => void (await client.workflowService.getSystemInfo({})),
    },
  });
  const url = `http://127.0.0.1:${await api.listen(0, '127.0.0.1')}`;
  return {
    urls: [url],
    pids: () => [],
    stop: async () => {
      await api.stop();
      await dependencies.close();
    },
  };
}

/** `count` API processes (`node <entry>`, i.e. dist/server.js), each on a free port. */
async function startApiProcesses(
  count: number,
  entry: string,
  settings: Record<string, string>,
  echo: ((line: string) => void) | null,
): Promise<Apis> {
  const procs = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      const env = { ...settings, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port) };
      const proc = await startNodeProcess(`api-${i}`, entry, env, echo, 'API ready at');
      return { proc, url: `http://127.0.0.1:${port}` };
    }),
  );
  return {
    urls: procs.map(({ url }) => url),
    pids: () => procs.map(({ proc }) => proc.pid),
    stop: async () => void (await Promise.all(procs.map(({ proc }) => proc.stop(10_000)))),
  };
}

/** Runs `work` on `items` with at most `limit` at once. */
async function inParallel<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

async function createCustomers(sql: pg.Client, runId: string, n: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `insert into customers (id, email, name, created_at, updated_at)
     select gen_random_uuid(), 'billrun-' || $1 || '-' || i || '@example.test', 'Billing run customer ' || i, now(), now()
     from generate_series(0, $2::int - 1) as i
     returning id`,
    [runId, n],
  );
  return rows.map((row) => row.id);
}

async function checkInvariants(sql: pg.Client, ids: string[], sandbox: MpesaSandbox): Promise<Invariants> {
  const one = async (query: string) => Number((await sql.query<{ n: string }>(query, [ids])).rows[0]?.n ?? 0);
  const doubleInvoices = await one(
    `select count(*) as n from (select 1 from invoices where subscription_id = any($1) and kind = 'PERIOD'
      group by subscription_id, period_index having count(*) > 1) d`,
  );
  const missingInvoices = await one(
    `select count(*) as n from unnest($1::uuid[]) s(id)
      where not exists (select 1 from invoices i where i.subscription_id = s.id and i.period_index = 0 and i.kind = 'PERIOD')`,
  );
  const doubleSuccessfulPayments = await one(
    `select count(*) as n from (select 1 from payments p join invoices i on i.id = p.invoice_id
      where i.subscription_id = any($1) and p.status = 'SUCCEEDED' group by p.invoice_id having count(*) > 1) d`,
  );
  const unpaidInvoices = await one(
    `select count(*) as n from invoices where subscription_id = any($1) and status <> 'PAID'`,
  );
  const notActive = await one(`select count(*) as n from subscriptions where id = any($1) and status <> 'ACTIVE'`);
  const references = new Set(
    (
      await sql.query<{ ref: string }>(
        `select p.provider_reference as ref from payments p join invoices i on i.id = p.invoice_id
          where i.subscription_id = any($1) and p.status = 'SUCCEEDED' and p.provider_reference is not null`,
        [ids],
      )
    ).rows.map((row) => row.ref),
  );
  const ledger = sandbox.ledger();
  const perPhone = new Map<string, number>();
  for (const entry of ledger) perPhone.set(entry.phone, (perPhone.get(entry.phone) ?? 0) + 1);
  const doubleCharges = [...perPhone.values()].filter((count) => count > 1).length;
  const ledgerWithoutPayment = ledger.filter((entry) => !references.has(entry.checkoutRequestId)).length;
  const invariants = {
    subscriptions: ids.length,
    doubleInvoices,
    missingInvoices,
    doubleSuccessfulPayments,
    doubleCharges,
    ledgerEntries: ledger.length,
    ledgerWithoutPayment,
    unpaidInvoices,
    notActive,
  };
  const ok =
    doubleInvoices + missingInvoices + doubleSuccessfulPayments + doubleCharges + ledgerWithoutPayment === 0 &&
    unpaidInvoices + notActive === 0 &&
    ledger.length === ids.length;
  return { ...invariants, ok };
}

function phaseFigures(
  instantMs: number,
  times: number[],
  metered: Metered,
  meter: Meter,
  workerRssEnd: number | null,
  scheduleToStart: LatencySummary[],
  loadBefore: number[],
): PhaseFigures {
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted.length ? (sorted[0]! - instantMs) / 1000 : null;
  const last = sorted.length ? (sorted[sorted.length - 1]! - instantMs) / 1000 : null;
  return {
    firstSeconds: first === null ? null : round(first),
    lastSeconds: last === null ? null : round(last),
    completed: sorted.length,
    perSecond: last ? round(sorted.length / last) : null,
    cpu: {
      worker: metered.worker,
      temporal: metered.temporal,
      api: metered.api,
      postgres: metered.postgres,
      bench: metered.bench,
    },
    workerRssMiB: { max: meter.rssMax, end: workerRssEnd },
    scheduleToStart,
    loadAverageBefore: loadBefore.map((value) => round(value)),
    loadAverageAfter: loadavg().map((value) => round(value)),
  };
}

export async function runBillingRun(options: BillingRunOptions): Promise<BillingRunResult> {
  const log = options.log ?? (() => undefined);
  const echo = options.echo ?? null;
  const { n } = options;
  const timeoutMs = options.timeoutMs ?? Math.max(120_000, n * 400);
  const runId = randomUUID().slice(0, 8);
  const taskQueue = `billing-run-${runId}`;
  const baseEnv = { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: options.databaseUrl };
  const config: Config = loadConfig({
    ...process.env,
    ...baseEnv,
    ...MPESA,
    MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });

  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await ensureDatabaseExists(options.databaseUrl);
    const orm: Orm = createOrm(config.database);
    cleanup.push(() => orm.close());
    await migrate(orm);
    const sql = new pg.Client({ connectionString: options.databaseUrl });
    await sql.connect();
    cleanup.push(() => sql.end());

    const restartsWanted = options.temporalRestarts ?? 0;
    const dbFile = restartsWanted > 0 || options.temporalDbFile ? temporalDbFile(runId) : null;
    const temporal: DevServer = await startDevServer(
      temporalCliPath(config.temporal.cliPath, config.searchPath),
      echo,
      dbFile,
    );
    cleanup.push(async () => {
      await temporal.proc.stop(10_000);
      if (dbFile) rmSync(dbFile, { force: true });
    });
    log(`Temporal dev server on ${temporal.address}${dbFile ? `, state in ${dbFile}` : ''}`);
    const connection = await Connection.connect({ address: temporal.address });
    cleanup.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });

    const sandbox = createMpesaSandbox({
      consumerKey: 'ck',
      consumerSecret: 'cs',
      passkey: 'pk',
      callbackDelayMs: options.promptDelayMs ?? 1000,
    });
    const sandboxUrl = `http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`;
    cleanup.push(() => sandbox.close());

    const apiSettings = {
      ...baseEnv,
      ...MPESA,
      MPESA_BASE_URL: sandboxUrl,
      MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
    };
    const apiConfig = loadConfig({ ...process.env, ...apiSettings });
    const apis =
      (options.apis ?? 1) > 1
        ? await startApiProcesses(options.apis!, options.apiEntry!, apiSettings, echo)
        : await startApiHere(apiConfig, orm, client);
    cleanup.push(() => apis.stop());
    log(`API at ${apis.urls.join(', ')}`);

    const workerSettings = { ...(options.workerSettings ?? {}) };
    const workerEnv = (i: number) => ({
      ...baseEnv,
      LOG_LEVEL: 'info',
      ...MPESA,
      MPESA_BASE_URL: sandboxUrl,
      MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
      // Each worker names its own API in the M-Pesa CallBackURL: callbacks spread across the API processes.
      PUBLIC_URL: apis.urls[i % apis.urls.length]!,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...workerSettings,
    });
    const workerNodeArgs = options.workerNodeArgs ?? [];
    const workerCount = options.workers ?? 1;
    const workers = await Promise.all(
      Array.from({ length: workerCount }, (_, i) =>
        startNodeProcess(`worker-${i}`, options.workerEntry, workerEnv(i), echo, undefined, workerNodeArgs),
      ),
    );
    cleanup.push(() => Promise.all(workers.map((worker) => worker.stop(10_000))));
    log(`worker processes ${workers.map((worker) => worker.pid).join(', ')} polling ${taskQueue}`);

    // The catalog and the customers: one plan without a trial, N customers, each with a phone of its own.
    const admin = await createAdminUser(orm.em.fork(), 'billing-run@example.test', randomBytes(18).toString('hex'));
    const caller: Caller = { kind: 'user', userId: admin.id, role: 'ADMIN', customerId: null };
    const { createProduct } = await import('../src/catalog/createProduct.js');
    const product = await createProduct(orm.em.fork(), caller, {
      code: `billrun-${runId}`,
      name: `Billing run ${runId}`,
      features: ['reports'],
    });
    const plan = await createPlan(orm.em.fork(), caller, {
      productId: product.id,
      name: `Billing run ${runId} monthly`,
      amount: PLAN_AMOUNT,
      currency: 'KES',
      interval: 'MONTH',
      trialDays: 0,
      features: ['reports'],
      limits: {},
    });
    const allCustomers = await createCustomers(sql, runId, n + Math.min(16, n));
    const phonePrefix = 10 + (parseInt(runId.slice(0, 4), 16) % 89);
    const phone = (i: number) => `07${phonePrefix}${String(i).padStart(6, '0')}`;

    // The same use case the API's subscribe mutation runs, with the trial ending at one instant for everybody.
    const lifecycle = new SubscriptionLifecycle(client, taskQueue, collectionPolicy(apiConfig));
    const cipher = new FieldCipher(apiConfig.payments.keyring);
    const subscribeOne = (customerId: string, i: number, trialEnd: Date) =>
      subscribe(orm.em, caller, lifecycle, cipher, {
        customerId,
        planId: plan.id,
        trialEnd,
        paymentMethod: { provider: 'MPESA', phone: phone(i) },
      });
    // How fast this machine subscribes right now: a few subscriptions of their own, whose trial ends in a day.
    const probe = Math.min(16, n);
    const [probeCustomers, customers] = [allCustomers.slice(n), allCustomers.slice(0, n)];
    const probeStarted = performance.now();
    await inParallel(probeCustomers, 8, (customerId, i) =>
      subscribeOne(customerId, n + i, new Date(Date.now() + 86_400_000)).then(() => undefined),
    );
    const perSubscriptionMs = (performance.now() - probeStarted) / probe;
    const createStarted = performance.now();
    const instantMs = Date.now() + (options.leadMs ?? 5_000) + Math.ceil(n * perSubscriptionMs * 1.5);
    const instant = new Date(instantMs);
    const ids: string[] = new Array<string>(n);
    await inParallel(customers, 8, async (customerId, i) => {
      ids[i] = (await subscribeOne(customerId, i, instant)).id;
    });
    const createSeconds = round((performance.now() - createStarted) / 1000);
    const slackSeconds = round((instantMs - Date.now()) / 1000);
    log(`${n} subscriptions created in ${createSeconds} s; the instant is ${slackSeconds} s ahead`);

    // The billing run.
    const meter = new Meter(
      () => [
        ...workers.map((worker) => ({ role: 'worker' as const, pid: worker.pid })),
        { role: 'temporal' as const, pid: temporal.proc.pid },
        ...apis.pids().map((pid) => ({ role: 'api' as const, pid })),
      ],
      async () =>
        Number(
          (
            await sql.query<{ n: string }>(
              `select count(*) as n from pg_stat_activity where datname = current_database()`,
            )
          ).rows[0]?.n ?? 0,
        ),
    );
    await sleep(Math.max(0, instantMs - Date.now() - 1000));
    const loadBefore = loadavg();
    let metricsFrom: Histograms | null = await scrapeScheduleToStart(temporal.metricsUrl);
    const metricSegments: [Histograms | null, Histograms | null][] = [];
    meter.begin();
    const paidTimes = async () =>
      (
        await sql.query<{ at: Date }>(
          `select paid_at as at from invoices where subscription_id = any($1) and status = 'PAID'`,
          [ids],
        )
      ).rows.map((row) => row.at.getTime());
    const chaos = chaosSchedule(options.chaosKills ?? 0, restartsWanted);
    const [everyMin, everyMax] = options.chaosEveryMs ?? [1000, 3000];
    const nextChaosAt = () => Date.now() + everyMin + Math.random() * (everyMax - everyMin);
    let nextAt = instantMs + nextChaosAt() - Date.now();
    let [kills, restarts] = [0, 0];
    for (;;) {
      const paid = (await paidTimes().catch(() => [])).length;
      if (paid >= n) break;
      if (Date.now() > instantMs + timeoutMs) {
        log(`timed out: ${paid} of ${n} paid ${Math.round(timeoutMs / 1000)} s after the instant`);
        break;
      }
      const event = chaos[kills + restarts];
      if (event && Date.now() >= nextAt) {
        const started = Date.now();
        meter.sample();
        if (event === 'kill') {
          const i = kills % workers.length;
          await workers[i]!.kill('SIGKILL');
          kills++;
          workers[i] = await startNodeProcess(
            `worker-${i}`,
            options.workerEntry,
            workerEnv(i),
            echo,
            undefined,
            workerNodeArgs,
          );
          log(
            `kill ${kills}: SIGKILLed worker ${i} with ${paid}/${n} paid; a new one polled after ${Date.now() - started} ms`,
          );
        } else {
          metricSegments.push([metricsFrom, await scrapeScheduleToStart(temporal.metricsUrl)]);
          await temporal.restart();
          metricsFrom = null; // a new server counts from zero
          restarts++;
          log(
            `restart ${restarts}: SIGKILLed Temporal with ${paid}/${n} paid; serving again after ${Date.now() - started} ms`,
          );
        }
        nextAt = nextChaosAt();
      }
      await sleep(250);
    }
    const metered = meter.end();
    metricSegments.push([metricsFrom, await scrapeScheduleToStart(temporal.metricsUrl)]);
    const times = await paidTimes();
    const invariants = await checkInvariants(sql, ids, sandbox);
    const rssEnd = workers.map((worker) => rssMiB(worker.pid)).filter((rss) => rss !== null);
    const billing = {
      ...phaseFigures(
        instantMs,
        times,
        metered,
        meter,
        rssEnd.length ? Math.max(...rssEnd) : null,
        latencyOver(metricSegments),
        loadBefore,
      ),
      postgresConnectionsMax: meter.connectionsMax,
      invariants,
      kills,
      temporalRestarts: restarts,
      workers: workers.length,
      apis: apis.urls.length,
      callbacksByApi: callbacksByApi(sandbox, apis.urls),
    };
    log(
      `billing: ${billing.completed}/${n} PAID, first ${billing.firstSeconds} s, last ${billing.lastSeconds} s after the instant, ` +
        `${billing.perSecond}/s; invariants ${invariants.ok ? 'hold' : `BROKEN ${JSON.stringify(invariants)}`}`,
    );
    await Promise.all(workers.map((worker) => worker.stop(10_000)));

    let ceiling: BillingRunResult['ceiling'] = null;
    if (options.ceilingWorkerEntry) ceiling = await runCeiling(options, client, temporal, baseEnv, workerSettings, log);
    if (ceiling && ceiling.activitiesPerWorkflow !== ACTIVITIES_PER_RENEWAL)
      log(
        `the ceiling ran ${ceiling.activitiesPerWorkflow} activities per workflow, a renewal ${ACTIVITIES_PER_RENEWAL}`,
      );
    const ratio = ceiling?.perSecond && billing.perSecond ? round(billing.perSecond / ceiling.perSecond) : null;
    return {
      n,
      instant: instant.toISOString(),
      createSeconds,
      slackSeconds,
      billing,
      ceiling,
      ratio,
      workerSettings,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

/** The ceiling: N trivial workflows with as many no-op activities as a renewal, on the same server and settings. */
async function runCeiling(
  options: BillingRunOptions,
  client: Client,
  temporal: DevServer,
  baseEnv: Record<string, string>,
  workerSettings: Record<string, string>,
  log: (line: string) => void,
): Promise<NonNullable<BillingRunResult['ceiling']>> {
  const { n } = options;
  const taskQueue = `ceiling-${randomUUID().slice(0, 8)}`;
  const activities = options.ceilingActivities ?? ACTIVITIES_PER_RENEWAL;
  const env = { ...baseEnv, LOG_LEVEL: 'warn', TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue };
  const workers = await Promise.all(
    Array.from({ length: options.workers ?? 1 }, (_, i) =>
      startNodeProcess(`ceiling-worker-${i}`, options.ceilingWorkerEntry!, { ...env, ...workerSettings }, null),
    ),
  );
  try {
    const handles: { workflowId: string }[] = [];
    const instantMs = Date.now() + (options.leadMs ?? 5_000) + n * 10;
    const at = new Date(instantMs).toISOString();
    await inParallel(
      Array.from({ length: n }, (_, i) => i),
      16,
      async (i) => {
        const workflowId = `${taskQueue}-${i}`;
        await client.workflow.start('ceilingWorkflow', {
          taskQueue,
          workflowId,
          args: [at, activities],
        });
        handles.push({ workflowId });
      },
    );
    const meter = new Meter(
      () => [
        ...workers.map((worker) => ({ role: 'worker' as const, pid: worker.pid })),
        { role: 'temporal' as const, pid: temporal.proc.pid },
      ],
      null,
    );
    await sleep(Math.max(0, instantMs - Date.now() - 1000));
    const loadBefore = loadavg();
    const metricsBefore = await scrapeScheduleToStart(temporal.metricsUrl);
    meter.begin();
    const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`;
    const deadline = instantMs + (options.timeoutMs ?? Math.max(120_000, n * 400));
    while ((await client.workflow.count(query)).count < n && Date.now() < deadline) await sleep(250);
    const metered = meter.end();
    const metricsAfter = await scrapeScheduleToStart(temporal.metricsUrl);
    const times: number[] = [];
    for await (const execution of client.workflow.list({ query })) {
      if (execution.closeTime) times.push(execution.closeTime.getTime());
    }
    const figures = phaseFigures(
      instantMs,
      times,
      metered,
      meter,
      Math.max(...workers.map((worker) => rssMiB(worker.pid) ?? 0)),
      latencyOver([[metricsBefore, metricsAfter]]),
      loadBefore,
    );
    log(
      `ceiling: ${figures.completed}/${n} completed, first ${figures.firstSeconds} s, last ${figures.lastSeconds} s, ${figures.perSecond}/s`,
    );
    return { ...figures, activitiesPerWorkflow: activities };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop(10_000)));
  }
}
