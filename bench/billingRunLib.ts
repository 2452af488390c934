// A billing run: N subscriptions whose trial ends at the same instant, renewed by a real worker process, measured
// and checked. Used by `npm run bench:billing-run` (bench/billingRun.ts) and, small, by
// test/integration/scale/billingRun.test.ts, which asserts only the invariants.
//
// In this process: the M-Pesa sandbox, the API (createApiServer, as server.ts builds it: the sandbox's callbacks
// reach it and it signals the workflows) and the subscribe use case the API runs. Each its own process: the
// Temporal dev server, the worker (node <workerEntry>, killed with SIGKILL and restarted in chaos mode), and, for
// the ceiling, a worker with the same settings running trivial workflows.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
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
import {
  cpuSeconds,
  latencyBetween,
  postgresCpuSeconds,
  Proc,
  rssMiB,
  scrapeScheduleToStart,
  sleep,
  startDevServer,
  type DevServer,
  type LatencySummary,
} from './billingRunProcesses.js';

export interface BillingRunOptions {
  /** Subscriptions renewed at the same instant. */
  n: number;
  databaseUrl: string;
  /** The worker's entry point (dist/worker.js, or a test build of it), started as its own process. */
  workerEntry: string;
  /** The ceiling's worker (dist/bench/ceilingWorker.js); absent: no ceiling. */
  ceilingWorkerEntry?: string;
  /** SIGKILL the worker this many times while renewals are unpaid, starting a new one each time. */
  chaosKills?: number;
  /** Settings for the worker processes (tuning); the run's own (addresses, providers) are added. */
  workerSettings?: Record<string, string>;
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

export interface CpuFigures {
  /** CPU seconds over the phase, and percent of one core over its wall time. */
  seconds: number | null;
  percentOfCore: number | null;
}

export interface PhaseFigures {
  /** Seconds from the instant to the first and the last completion (PAID invoice; closed workflow). */
  firstSeconds: number | null;
  lastSeconds: number | null;
  completed: number;
  /** Completions per second between the instant and the last one. */
  perSecond: number | null;
  cpu: { worker: CpuFigures; temporal: CpuFigures; postgres: CpuFigures; bench: CpuFigures };
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
  billing: PhaseFigures & { postgresConnectionsMax: number | null; invariants: Invariants; kills: number };
  ceiling: (PhaseFigures & { activitiesPerWorkflow: number }) | null;
  /** billing renewals per second / ceiling workflows per second. */
  ratio: number | null;
  workerSettings: Record<string, string>;
}

/** What a renewal runs: issuePeriodInvoice, chargeInvoice, confirmPayment. */
export const ACTIVITIES_PER_RENEWAL = 3;
const PLAN_AMOUNT = 150_000; // KES 1,500.00: whole shillings, as M-Pesa takes them
const CALLBACK_SECRET = `bench-callback-${randomBytes(12).toString('hex')}`;
const MPESA = { MPESA_CONSUMER_KEY: 'ck', MPESA_CONSUMER_SECRET: 'cs', MPESA_PASSKEY: 'pk' };

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function cpuBetween(before: number | null, after: number | null, wallSeconds: number): CpuFigures {
  if (before === null || after === null) return { seconds: null, percentOfCore: null };
  const seconds = round(after - before);
  return { seconds, percentOfCore: wallSeconds > 0 ? Math.round((seconds / wallSeconds) * 100) : null };
}

/** Samples CPU of the run's processes, the worker's RSS and (optionally) Postgres connections, once a second. */
class Meter {
  private start = { worker: 0, temporal: 0, postgres: 0, bench: 0, at: 0 };
  private workerCpuBefore = 0;
  rssMax: number | null = null;
  connectionsMax: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly workerPid: () => number | undefined,
    private readonly temporalPid: number | undefined,
    private readonly connections: (() => Promise<number>) | null,
  ) {}

  begin(): void {
    this.start = {
      worker: cpuSeconds(this.workerPid()) ?? 0,
      temporal: cpuSeconds(this.temporalPid) ?? 0,
      postgres: postgresCpuSeconds() ?? 0,
      bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
      at: performance.now(),
    };
    this.workerCpuBefore = 0;
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  /** A worker about to be killed: what it has used so far counts. */
  workerEnding(): void {
    const now = cpuSeconds(this.workerPid());
    if (now !== null) this.workerCpuBefore += now - this.start.worker;
    this.start.worker = 0;
  }

  private async sample(): Promise<void> {
    const rss = rssMiB(this.workerPid());
    if (rss !== null) this.rssMax = Math.max(this.rssMax ?? 0, rss);
    if (this.connections) {
      const count = await this.connections().catch(() => null);
      if (count !== null) this.connectionsMax = Math.max(this.connectionsMax ?? 0, count);
    }
  }

  end(): { wall: number; worker: CpuFigures; temporal: CpuFigures; postgres: CpuFigures; bench: CpuFigures } {
    if (this.timer) clearInterval(this.timer);
    const wall = (performance.now() - this.start.at) / 1000;
    const usage = process.cpuUsage();
    const workerNow = cpuSeconds(this.workerPid());
    return {
      wall,
      worker: cpuBetween(0, workerNow === null ? null : this.workerCpuBefore + workerNow - this.start.worker, wall),
      temporal: cpuBetween(this.start.temporal, cpuSeconds(this.temporalPid), wall),
      postgres: cpuBetween(this.start.postgres, postgresCpuSeconds(), wall),
      bench: cpuBetween(this.start.bench, usage.user / 1e6 + usage.system / 1e6, wall),
    };
  }
}

async function startWorkerProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  echo: ((line: string) => void) | null,
): Promise<Proc> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new Proc(name, child, echo);
  await proc.waitFor('worker polling task queue', 60_000);
  return proc;
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
  metered: ReturnType<Meter['end']>,
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
    cpu: { worker: metered.worker, temporal: metered.temporal, postgres: metered.postgres, bench: metered.bench },
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

    const temporal: DevServer = await startDevServer(temporalCliPath(config.temporal.cliPath, config.searchPath), echo);
    cleanup.push(() => temporal.proc.stop(10_000));
    log(`Temporal dev server on ${temporal.address}`);
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

    // The API as server.ts builds it, for the sandbox's callbacks (which signal the workflows).
    const apiConfig = loadConfig({
      ...process.env,
      ...baseEnv,
      ...MPESA,
      MPESA_BASE_URL: sandboxUrl,
      MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
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
    const apiUrl = `http://127.0.0.1:${await api.listen(0, '127.0.0.1')}`;
    cleanup.push(async () => {
      await api.stop();
      await dependencies.close();
    });

    const workerSettings = { ...(options.workerSettings ?? {}) };
    const workerEnv = {
      ...baseEnv,
      LOG_LEVEL: 'info',
      ...MPESA,
      MPESA_BASE_URL: sandboxUrl,
      MPESA_CALLBACK_SECRET: CALLBACK_SECRET,
      PUBLIC_URL: apiUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...workerSettings,
    };
    let worker = await startWorkerProcess('worker', options.workerEntry, workerEnv, echo);
    cleanup.push(() => worker.stop(10_000));
    log(`worker process ${worker.pid} polling ${taskQueue}`);

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
      () => worker.pid,
      temporal.proc.pid,
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
    const metricsBefore = await scrapeScheduleToStart(temporal.metricsUrl);
    meter.begin();
    const paidTimes = async () =>
      (
        await sql.query<{ at: Date }>(
          `select paid_at as at from invoices where subscription_id = any($1) and status = 'PAID'`,
          [ids],
        )
      ).rows.map((row) => row.at.getTime());
    let kills = 0;
    const killsWanted = options.chaosKills ?? 0;
    let nextKillAt = instantMs + 1000 + Math.random() * 2000;
    for (;;) {
      const paid = (await paidTimes()).length;
      if (paid >= n) break;
      if (Date.now() > instantMs + timeoutMs) {
        log(`timed out: ${paid} of ${n} paid ${Math.round(timeoutMs / 1000)} s after the instant`);
        break;
      }
      if (kills < killsWanted && Date.now() >= nextKillAt) {
        meter.workerEnding();
        await worker.kill('SIGKILL');
        kills++;
        const killedAt = Date.now();
        worker = await startWorkerProcess('worker', options.workerEntry, workerEnv, echo);
        log(
          `kill ${kills}: SIGKILLed the worker with ${paid}/${n} paid; a new one polled after ${Date.now() - killedAt} ms`,
        );
        nextKillAt = Date.now() + 1000 + Math.random() * 2000;
      }
      await sleep(250);
    }
    const metered = meter.end();
    const metricsAfter = await scrapeScheduleToStart(temporal.metricsUrl);
    const times = await paidTimes();
    const invariants = await checkInvariants(sql, ids, sandbox);
    const billing = {
      ...phaseFigures(
        instantMs,
        times,
        metered,
        meter,
        rssMiB(worker.pid),
        latencyBetween(metricsBefore, metricsAfter),
        loadBefore,
      ),
      postgresConnectionsMax: meter.connectionsMax,
      invariants,
      kills,
    };
    log(
      `billing: ${billing.completed}/${n} PAID, first ${billing.firstSeconds} s, last ${billing.lastSeconds} s after the instant, ` +
        `${billing.perSecond}/s; invariants ${invariants.ok ? 'hold' : `BROKEN ${JSON.stringify(invariants)}`}`,
    );
    await worker.stop(10_000);

    let ceiling: BillingRunResult['ceiling'] = null;
    if (options.ceilingWorkerEntry) ceiling = await runCeiling(options, client, temporal, baseEnv, workerSettings, log);
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
  const worker = await startWorkerProcess(
    'ceiling-worker',
    options.ceilingWorkerEntry!,
    {
      ...baseEnv,
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...workerSettings,
    },
    options.echo ?? null,
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
          args: [at, ACTIVITIES_PER_RENEWAL],
        });
        handles.push({ workflowId });
      },
    );
    const meter = new Meter(() => worker.pid, temporal.proc.pid, null);
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
      rssMiB(worker.pid),
      latencyBetween(metricsBefore, metricsAfter),
      loadBefore,
    );
    log(
      `ceiling: ${figures.completed}/${n} completed, first ${figures.firstSeconds} s, last ${figures.lastSeconds} s, ${figures.perSecond}/s`,
    );
    return { ...figures, activitiesPerWorkflow: ACTIVITIES_PER_RENEWAL };
  } finally {
    await worker.stop(10_000);
  }
}
