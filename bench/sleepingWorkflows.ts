// `npm run bench:sleeping-workflows [-- --n 5000] [--cache 500,1000,2000,default]`: what a worker process holds in
// memory for subscription workflows that sleep (a trial that ends in ten days), by sticky cache size. For each cache
// size: a fresh worker process (dist/worker.js) on a task queue of its own, N subscription workflows started on it,
// and its resident memory once every workflow has run its first task and the worker is idle. Memory per cached
// workflow = (RSS - the idle worker's RSS) / min(N, cache). The workflows sleep on timers; no activity runs, so no
// subscription rows are needed. Writes bench/results/sleeping-workflows-<date>.json and -latest.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { temporalCliPath } from '../src/temporal/binaries.js';
import { BillingCustomerId, BillingNextAt, BillingPlanId, BillingStatus } from '../src/workflows/searchAttributes.js';
import type { SubscriptionWorkflowInput } from '../src/workflows/types.js';
import { startNodeProcess } from './billingRunLib.js';
import { cpuSeconds, rssMiB, sleep, startDevServer } from './billingRunProcesses.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/billing_bench';
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    cache: { type: 'string', default: '500,1000,2000,default' },
    /** The worker's V8 heap limit (--max-old-space-size), MiB; absent: Node's default. */
    'heap-mib': { type: 'string' },
  },
});
const n = Number(values.n);
const caches = values.cache.split(',').map((value) => (value === 'default' ? null : Number(value)));
const heapMiB = values['heap-mib'] ? Number(values['heap-mib']) : null;

interface Measured {
  cache: number | null;
  heapMiB: number | null;
  idleRssMiB: number;
  rssMiB: number;
  /** The most RSS seen while the workflows were being started and run (sampled each second). */
  maxRssMiB: number;
  /** RSS as each further thousand workflows had been started. */
  rssByStarted: { started: number; rssMiB: number | null }[];
  startSeconds: number;
  perCachedKiB: number | null;
}

/** Waits until the process has used no CPU for 3 s in a row (every first workflow task done), at most `limitMs`. */
async function untilIdle(pid: number | undefined, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let quietSince = Date.now();
  let last = cpuSeconds(pid) ?? 0;
  while (Date.now() < deadline && Date.now() - quietSince < 3000) {
    await sleep(500);
    const now = cpuSeconds(pid) ?? 0;
    if (now - last > 0.02) quietSince = Date.now();
    last = now;
  }
}

function inputFor(trialEnd: Date): SubscriptionWorkflowInput {
  return {
    subscriptionId: randomUUID(),
    customerId: randomUUID(),
    planId: randomUUID(),
    cadence: { interval: 'MONTH', intervalCount: 1 },
    billingAnchor: trialEnd.toISOString(),
    trialEnd: trialEnd.toISOString(),
    periodIndex: 0,
    status: 'TRIALING',
  };
}

async function measure(client: Client, address: string, cache: number | null): Promise<Measured> {
  const taskQueue = `sleeping-${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...(cache === null ? {} : { WORKER_MAX_CACHED_WORKFLOWS: String(cache) }),
    ...(heapMiB === null ? {} : { NODE_OPTIONS: `--max-old-space-size=${heapMiB}` }),
  };
  const worker = await startNodeProcess('worker', join(ROOT, 'dist', 'worker.js'), env, null);
  try {
    await untilIdle(worker.pid, 30_000);
    const idleRssMiB = rssMiB(worker.pid) ?? 0;
    const trialEnd = new Date(Date.now() + 10 * 86_400_000);
    const started = performance.now();
    let maxRssMiB = idleRssMiB;
    const sampler = setInterval(() => (maxRssMiB = Math.max(maxRssMiB, rssMiB(worker.pid) ?? 0)), 1000);
    const rssByStarted: Measured['rssByStarted'] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < n) {
          if (++next % 1000 === 0) rssByStarted.push({ started: next, rssMiB: rssMiB(worker.pid) });
          const input = inputFor(trialEnd);
          await client.workflow.start('subscriptionWorkflow', {
            taskQueue,
            workflowId: `sleeping-${input.subscriptionId}`,
            args: [input],
            typedSearchAttributes: [
              { key: BillingCustomerId, value: input.customerId },
              { key: BillingPlanId, value: input.planId },
              { key: BillingStatus, value: 'TRIALING' },
              { key: BillingNextAt, value: trialEnd },
            ],
          });
        }
      }),
    );
    const startSeconds = Math.round((performance.now() - started) / 100) / 10;
    await untilIdle(worker.pid, 300_000);
    clearInterval(sampler);
    const rss = rssMiB(worker.pid) ?? 0;
    maxRssMiB = Math.max(maxRssMiB, rss);
    const cached = Math.min(n, cache ?? n);
    const perCachedKiB = cached > 0 ? Math.round(((rss - idleRssMiB) * 1024) / cached) : null;
    console.log(
      `cache ${cache ?? 'default'}: idle ${idleRssMiB} MiB, ${n} sleeping ${rss} MiB, ${perCachedKiB} KiB per cached workflow`,
    );
    return { cache, heapMiB, idleRssMiB, rssMiB: rss, maxRssMiB, rssByStarted, startSeconds, perCachedKiB };
  } finally {
    await worker.stop(10_000);
  }
}

async function main(): Promise<void> {
  await ensureDatabaseExists(DATABASE_URL);
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL });
  const orm = createOrm(config.database);
  await migrate(orm);
  await orm.close();
  const temporal = await startDevServer(temporalCliPath(config.temporal.cliPath, config.searchPath), null);
  const connection = await Connection.connect({ address: temporal.address });
  const results: Measured[] = [];
  try {
    const client = new Client({ connection, namespace: 'default' });
    for (const cache of caches) results.push(await measure(client, temporal.address, cache));
  } finally {
    await connection.close();
    await temporal.proc.stop(10_000);
  }
  const generatedAt = new Date().toISOString();
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const jsonFile = `bench/results/sleeping-workflows-${generatedAt.replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(ROOT, jsonFile), `${JSON.stringify({ generatedAt, n, results }, null, 2)}\n`);
  const lines = [
    '# Sleeping workflows: worker memory by sticky cache size',
    '',
    `Generated by \`npm run bench:sleeping-workflows -- ${process.argv.slice(2).join(' ')}\` at ${generatedAt}; numbers in \`${jsonFile}\`.`,
    '',
    `${n} subscription workflows in their trial (a timer ten days ahead), started on one worker process (\`dist/worker.js\`) per cache size;`,
    'resident memory once the worker is idle again. `default`: the SDK sizes the cache from the heap limit.',
    '',
    '| WORKER_MAX_CACHED_WORKFLOWS | heap limit | idle RSS | RSS with the workflows, idle / max | per cached workflow | RSS per thousand started | start of all (s) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.cache ?? 'default'} | ${r.heapMiB ? `${r.heapMiB} MiB` : "Node's"} | ${r.idleRssMiB} MiB | ${r.rssMiB} / ${r.maxRssMiB} MiB | ` +
        `${r.perCachedKiB ?? 'n/a'} KiB | ${r.rssByStarted.map((s) => s.rssMiB).join(', ')} | ${r.startSeconds} |`,
    ),
    '',
  ];
  writeFileSync(join(dir, 'sleeping-workflows-latest.md'), lines.join('\n'));
  console.log(`wrote ${jsonFile} and bench/results/sleeping-workflows-latest.md`);
}

await main();
