// The processes of a billing run: a Temporal dev server of its own, worker processes that can be SIGKILLed and
// restarted, and what /proc says about each of them (CPU, RSS). Linux's /proc; elsewhere the figures are null.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { registerSearchAttributes } from '../src/temporal/searchAttributes.js';
import { postgresTicks, processTicks, TICKS_PER_SECOND } from './load.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) a process has used so far; null when it is gone or /proc is missing. */
export function cpuSeconds(pid: number | undefined): number | null {
  const ticks = pid ? processTicks(pid) : null;
  return ticks === null ? null : ticks / TICKS_PER_SECOND;
}

/** CPU seconds of every process named `postgres` (the server and its backends, ours or not). */
export function postgresCpuSeconds(): number | null {
  const ticks = postgresTicks();
  return ticks === null ? null : ticks / TICKS_PER_SECOND;
}

/** Resident memory in MiB. */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A child process whose output is kept (and echoed when `echo`), so a start-up failure can be shown. */
export class Proc {
  private log = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    echo: ((line: string) => void) | null,
  ) {
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      this.log = (this.log + text).slice(-20_000);
      if (echo) for (const line of text.split('\n')) if (line.trim()) echo(`[${name}] ${line}`);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log;
  }

  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.log.includes(text)) {
      if (!this.running) throw new Error(`${this.name} exited before "${text}":\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no "${text}" within ${timeoutMs} ms:\n${this.log}`);
      await sleep(25);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface DevServer {
  address: string;
  metricsUrl: string;
  /** Replaced by restartDevServer. */
  proc: Proc;
  /** The SQLite file the server keeps its state in (null: in memory, lost with the process). */
  dbFile: string | null;
  restart(): Promise<void>;
}

/**
 * `temporal server start-dev`, headless, on free ports, with the project's search attributes. With `dbFile` its
 * state is kept in that SQLite file, so restart() (SIGKILL, then the same command) finds every workflow again;
 * without, it is in memory.
 */
export async function startDevServer(
  cli: string,
  echo: ((line: string) => void) | null,
  dbFile: string | null = null,
): Promise<DevServer> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--metrics-port', String(metricsPort), '--log-level', 'error');
  if (dbFile) args.push('--db-filename', dbFile);
  const launch = async () => {
    const proc = new Proc('temporal', spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] }), echo);
    await untilServing(address, proc);
    return proc;
  };
  const server: DevServer = {
    address,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    proc: await launch(),
    dbFile,
    restart: async () => {
      await server.proc.kill('SIGKILL');
      server.proc = await launch();
    },
  };
  return server;
}

async function untilServing(address: string, proc: Proc): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.getSystemInfo({});
        await registerSearchAttributes(connection, 'default');
      } finally {
        await connection.close();
      }
      return;
    } catch (error) {
      if (!proc.running || Date.now() > deadline)
        throw new Error(`the Temporal dev server did not start: ${String(error)}\n${proc.output()}`, { cause: error });
      await sleep(300);
    }
  }
}

/** Sum and count of each `*schedule_to_start*` histogram, by task type, from a Prometheus text page. */
export type Histograms = Record<string, { sum: number; count: number; buckets: Record<string, number> }>;

export async function scrapeScheduleToStart(metricsUrl: string): Promise<Histograms | null> {
  let text: string;
  try {
    text = await (await fetch(metricsUrl)).text();
  } catch {
    return null;
  }
  const out: Histograms = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes('schedule_to_start')) continue;
    const match = /^([a-z_]+?)(_sum|_count|_bucket)\{([^}]*)\}\s+([0-9.eE+-]+)/.exec(line);
    if (!match) continue;
    const [, name, part, labels, value] = match;
    const taskType = /task_type="([^"]*)"/.exec(labels!)?.[1] ?? '';
    const key = `${name}${taskType ? `{task_type=${taskType}}` : ''}`;
    const entry = (out[key] ??= { sum: 0, count: 0, buckets: {} });
    if (part === '_sum') entry.sum += Number(value);
    else if (part === '_count') entry.count += Number(value);
    else {
      const le = /le="([^"]*)"/.exec(labels!)?.[1] ?? '+Inf';
      entry.buckets[le] = (entry.buckets[le] ?? 0) + Number(value);
    }
  }
  return out;
}

export interface LatencySummary {
  metric: string;
  count: number;
  /** The metric's own unit (seconds for the server's Prometheus histograms). */
  mean: number;
  /** Upper bound of the bucket holding the 95th percentile. */
  p95AtMost: string | null;
}

/** What happened between two scrapes, or over several (a restarted server starts its counters again). */
export function latencyBetween(before: Histograms | null, after: Histograms | null): LatencySummary[] {
  return latencyOver([[before, after]]);
}

export function latencyOver(segments: [Histograms | null, Histograms | null][]): LatencySummary[] {
  const total: Histograms = {};
  for (const [before, after] of segments) {
    for (const [metric, end] of Object.entries(after ?? {})) {
      const start = before?.[metric] ?? { sum: 0, count: 0, buckets: {} };
      const entry = (total[metric] ??= { sum: 0, count: 0, buckets: {} });
      entry.sum += end.sum - start.sum;
      entry.count += end.count - start.count;
      for (const [le, value] of Object.entries(end.buckets))
        entry.buckets[le] = (entry.buckets[le] ?? 0) + value - (start.buckets[le] ?? 0);
    }
  }
  const out: LatencySummary[] = [];
  for (const [metric, { sum, count, buckets: byBucket }] of Object.entries(total)) {
    if (count <= 0) continue;
    const buckets = Object.entries(byBucket).sort(
      ([a], [b]) => (a === '+Inf' ? Infinity : Number(a)) - (b === '+Inf' ? Infinity : Number(b)),
    );
    const p95 = buckets.find(([, value]) => value >= 0.95 * count)?.[0] ?? null;
    out.push({ metric, count, mean: Math.round((sum / count) * 10_000) / 10_000, p95AtMost: p95 });
  }
  return out;
}
