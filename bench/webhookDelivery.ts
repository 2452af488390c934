// Webhook delivery benchmark (docs/webhooks.md): N events, each to every one of E endpoints of one app, one of
// them down (it accepts connections and never answers, the worst kind: every attempt holds a slot until the
// timeout). Events are real: customers inserted at a steady rate, each insert's trigger records customer.created
// and queues its deliveries in the same transaction. The delivery loop runs as its own process (the worker's
// code). Reports deliveries per second and the lag from the event's commit to its receipt by healthy endpoints.
//
//   npm run bench:webhooks -- --events 10000 --endpoints 10 --rate 100
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApiClient } from '../src/accounts/apiClients.js';
import { createAdminUser } from '../src/accounts/register.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabaseExists } from '../src/db/ensureDatabase.js';
import { createOrm, migrate } from '../src/db/orm.js';
import type { Caller } from '../src/kernel/caller.js';
import { projectRoot } from '../src/paths.js';
import { FieldCipher } from '../src/security/fieldCipher.js';
import { createWebhookEndpoint } from '../src/webhooks/endpoints/createWebhookEndpoint.js';
import { cpuSeconds, postgresCpuSeconds, sleep } from './billingRunProcesses.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    endpoints: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '64' },
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/billing_bench_webhooks' },
  },
});
const EVENTS = Number(args.events);
const ENDPOINTS = Number(args.endpoints);
const RATE = Number(args.rate);
const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: args.database };
const config = loadConfig(env);

interface Receipt {
  eventId: string;
  createdAt: number;
  receivedAt: number;
}

/** A healthy receiver: answers 204 at once and notes when each event arrived. */
async function healthyReceiver(receipts: Receipt[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; createdAt: string };
      receipts.push({ eventId: event.id, createdAt: Date.parse(event.createdAt), receivedAt: Date.now() });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks` };
}

/** A dead receiver: takes the connection and never answers. */
async function deadReceiver(): Promise<{ close(): void; url: string }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

async function main() {
  await ensureDatabaseExists(args.database);
  const orm = createOrm(config.database);
  await migrate(orm);
  const sql = new pg.Pool({ connectionString: args.database, max: 2 });
  // A fresh app per run: its endpoints receive only this run's events.
  const adminUser = await createAdminUser(orm.em.fork(), 'bench-admin@example.test', 'bench-password-not-used-0');
  const admin: Caller = { kind: 'user', userId: adminUser.id, role: 'ADMIN', customerId: null };
  const client = await createApiClient(orm.em.fork(), admin, {
    name: `webhooks bench ${new Date().toISOString()}`,
    scopes: ['write:webhooks'],
  });
  const receipts: Receipt[] = [];
  const healthy = await Promise.all(Array.from({ length: ENDPOINTS - 1 }, () => healthyReceiver(receipts)));
  const dead = await deadReceiver();
  const cipher = new FieldCipher(config.payments.keyring);
  for (const url of [dead.url, ...healthy.map((receiver) => receiver.url)]) {
    await createWebhookEndpoint(
      orm.em.fork(),
      admin,
      { cipher, policy: { allowPrivate: true } },
      {
        url,
        eventTypes: ['customer.created'],
        apiClientId: client.id,
      },
    );
  }
  // Earlier runs' endpoints are disabled, so their backlog (the dead one's retries) is not this run's work.
  await sql.query(`update webhook_endpoints set status = 'DISABLED' where api_client_id <> $1`, [client.id]);

  const delivery = spawn(process.execPath, [join(projectRoot, 'dist', 'bench', 'webhookDeliveryProcess.js')], {
    env: { ...env, WEBHOOK_DELIVERY: 'true', WEBHOOK_CONCURRENCY: args.concurrency, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => delivery.stdout!.once('data', () => resolve()));
  const cpuBefore = { delivery: cpuSeconds(delivery.pid), postgres: postgresCpuSeconds(), bench: process.cpuUsage() };

  // Events at a steady rate: one insert of a batch of customers every 100 ms.
  const started = Date.now();
  const perTick = Math.max(1, Math.round(RATE / 10));
  for (let made = 0; made < EVENTS; made += perTick) {
    const batch = Math.min(perTick, EVENTS - made);
    await sql.query(
      `insert into customers (id, email, name, api_client_id, external_id, created_at, updated_at)
       select gen_random_uuid(), 'bench-' || $2::text || '-' || n || '@example.test', 'Bench ' || n, $1, null, now(), now()
       from generate_series($3::int, $3::int + $4::int - 1) n`,
      [client.id, started, made, batch],
    );
    const due = started + ((made + batch) / RATE) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  const produced = Date.now();
  const expected = EVENTS * (ENDPOINTS - 1);
  while (receipts.length < expected && Date.now() - produced < 300_000) await sleep(100);
  const finished = Date.now();
  const cpu = {
    delivery: (cpuSeconds(delivery.pid) ?? NaN) - (cpuBefore.delivery ?? NaN),
    postgres: (postgresCpuSeconds() ?? NaN) - (cpuBefore.postgres ?? NaN),
    bench: (process.cpuUsage(cpuBefore.bench).user + process.cpuUsage(cpuBefore.bench).system) / 1e6,
  };
  const { rows: deadAttempts } = await sql.query<{ attempts: string; deliveries: string }>(
    `select coalesce(sum(d.attempts), 0)::text as attempts, count(*)::text as deliveries from event_deliveries d
     join webhook_endpoints w on w.id = d.endpoint_id where w.url = $1`,
    [dead.url],
  );
  delivery.kill('SIGTERM');
  const lags = receipts.map((receipt) => receipt.receivedAt - receipt.createdAt).sort((a, b) => a - b);
  const seconds = (finished - started) / 1000;
  const result = {
    at: new Date().toISOString(),
    settings: { events: EVENTS, endpoints: ENDPOINTS, rate: RATE, concurrency: Number(args.concurrency) },
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
      loadavg: loadavg(),
    },
    delivered: receipts.length,
    expected,
    distinctHealthyEvents: new Set(receipts.map((receipt) => receipt.eventId)).size,
    seconds,
    productionSeconds: (produced - started) / 1000,
    deliveriesPerSecond: receipts.length / seconds,
    lagMs: { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN },
    deadEndpoint: { deliveries: Number(deadAttempts[0]!.deliveries), attempts: Number(deadAttempts[0]!.attempts) },
    cpuSeconds: cpu,
  };
  const dir = join(projectRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = result.at.replace(/[:.]/g, '-');
  writeFileSync(join(dir, `webhooks-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'webhooks-latest.md'), report(result, stamp));
  console.log(JSON.stringify(result, null, 2));
  for (const receiver of healthy) receiver.server.close();
  dead.close();
  await sql.end();
  await orm.close();
}

interface Result {
  at: string;
  settings: { events: number; endpoints: number; rate: number; concurrency: number };
  machine: { cpus: number; memGiB: number; loadavg: number[] };
  delivered: number;
  expected: number;
  seconds: number;
  productionSeconds: number;
  deliveriesPerSecond: number;
  lagMs: { p50: number; p95: number; p99: number; max: number };
  deadEndpoint: { deliveries: number; attempts: number };
  cpuSeconds: { delivery: number; postgres: number; bench: number };
}

function report(r: Result, stamp: string): string {
  const met = r.lagMs.p95 < 1000 && r.delivered === r.expected;
  return `# Webhook delivery benchmark: latest run

Generated by \`npm run bench:webhooks -- --events ${r.settings.events} --endpoints ${r.settings.endpoints} --rate ${r.settings.rate}\` at ${r.at}; full numbers in \`bench/results/webhooks-${stamp}.json\`.

${r.settings.events.toLocaleString('en')} events (customers inserted at ${r.settings.rate} per second; each insert's trigger records
\`customer.created\` and queues one delivery per endpoint in the same transaction), to ${r.settings.endpoints} endpoints of one
app: ${r.settings.endpoints - 1} healthy local receivers (answer 204 at once) and one **dead** one (accepts the connection,
never answers: every attempt holds a slot for \`WEBHOOK_TIMEOUT_MS\`, 10 s). One delivery process (the worker's
loop, \`WEBHOOK_CONCURRENCY=${r.settings.concurrency}\`), Postgres on the same machine (${r.machine.cpus} cores, ${r.machine.memGiB} GiB; load
average at the end ${r.machine.loadavg.map((v) => v.toFixed(2)).join(', ')}, shared with other work).

| | |
| --- | --- |
| healthy deliveries received | ${r.delivered.toLocaleString('en')} of ${r.expected.toLocaleString('en')} |
| events produced in | ${r.productionSeconds.toFixed(1)} s |
| all delivered after | ${r.seconds.toFixed(1)} s |
| deliveries per second | **${r.deliveriesPerSecond.toFixed(0)}** |
| lag from commit to receipt, p50 / p95 / p99 / max | ${r.lagMs.p50} / **${r.lagMs.p95}** / ${r.lagMs.p99} / ${r.lagMs.max} ms |
| dead endpoint: deliveries queued, attempts made | ${r.deadEndpoint.deliveries.toLocaleString('en')}, ${r.deadEndpoint.attempts.toLocaleString('en')} |
| CPU: delivery process / Postgres (all) / bench (receivers, producer) | ${r.cpuSeconds.delivery.toFixed(1)} s / ${r.cpuSeconds.postgres.toFixed(1)} s / ${r.cpuSeconds.bench.toFixed(1)} s |

Target (issue 16): p95 lag under 1 s for healthy endpoints while one endpoint fails: **${met ? 'met' : 'not met'}**.
`;
}

await main();
