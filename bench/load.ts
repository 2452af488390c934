// One load scenario with autocannon: POSTs of the entitlement query for random customers, every response body
// checked, every response time kept (autocannon's summary has no p95), and the CPU each party used meanwhile.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import autocannon from 'autocannon';

export const ENTITLEMENT_QUERY = `query Entitlement($customerExternalId: String!, $product: String!) {
  entitlement(customerExternalId: $customerExternalId, product: $product) {
    granted status subscriptionId planId planName periodEnd features limits
  }
}`;

export interface Target {
  name: 'api' | 'baseline';
  url: string;
  apiKey: string;
  productCode: string;
  /** Picks the customer of the next request. */
  customer: () => string;
  /** Process ids whose CPU time counts as the server's. */
  pid: number | undefined;
}

export interface ScenarioSpec {
  name: string;
  kind: 'warm-up' | 'fixed-rate' | 'saturation';
  connections: number;
  /** Requests per second offered in total; undefined: as fast as the server answers. */
  rate?: number;
  /**
   * Split the load over this many autocannon instances started evenly across one second. Autocannon paces a
   * rate per connection per wall-clock second, all of an instance's connections in step, so one instance sends
   * its whole second's budget in a burst at the top of each second; staggered instances spread the same offered
   * load over the second (one per connection: steady arrivals).
   */
  staggered?: number;
  durationSeconds: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p97_5: number;
  p99: number;
  max: number;
  mean: number;
}

export interface CpuShare {
  /** Percent of one core, averaged over the scenario. */
  server: number | null;
  postgres: number | null;
  loadGenerator: number;
  /** Percent of the whole machine (all cores) busy. */
  machine: number | null;
  /**
   * Percent of one core busy outside the three above: the kernel's loopback networking, and any other process
   * on the machine (which makes the scenario's numbers suspect when it is large).
   */
  other: number | null;
}

export interface ScenarioResult {
  target: Target['name'];
  name: string;
  kind: ScenarioSpec['kind'];
  connections: number;
  offeredRate: number | null;
  staggered: number;
  durationSeconds: number;
  responses: number;
  achievedRate: number;
  /** Exact, from every response time (milliseconds, measured by autocannon from send to last byte). */
  latencyMs: Percentiles;
  /** autocannon's own summary (HDR histogram, whole milliseconds), for comparison. */
  autocannonLatencyMs: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** 2xx responses whose body is not a granted entitlement. */
  badBodies: number;
  /** The first responses, parsed and checked field by field. */
  bodiesChecked: number;
  bodiesValid: number;
  firstBadBody: string | null;
  cpu: CpuShare;
}

const FULL_CHECKS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[rank]!);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.length ? samples.reduce((sum, value) => sum + value, 0) / samples.length : 0;
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p97_5: percentile(sorted, 97.5),
    p99: percentile(sorted, 99),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(mean),
  };
}

/** A successful, granted answer for the expected plan: the whole shape the API promises. */
export function validEntitlement(body: string, planName: string): boolean {
  try {
    const parsed = JSON.parse(body) as { data?: { entitlement?: Record<string, unknown> }; errors?: unknown };
    const e = parsed.data?.entitlement;
    return (
      parsed.errors === undefined &&
      e !== undefined &&
      e.granted === true &&
      e.status === 'ACTIVE' &&
      typeof e.subscriptionId === 'string' &&
      typeof e.planId === 'string' &&
      e.planName === planName &&
      typeof e.periodEnd === 'string' &&
      Array.isArray(e.features) &&
      e.features.length > 0 &&
      typeof e.limits === 'object' &&
      e.limits !== null
    );
  } catch {
    return false;
  }
}

// CPU time from /proc (Linux); elsewhere the shares are null.
export const TICKS_PER_SECOND = 100;

export function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

export function postgresTicks(): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += processTicks(+entry) ?? 0;
      } catch {
        // The process ended while we looked.
      }
    }
    return total;
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  server: number | null;
  postgres: number | null;
  self: NodeJS.CpuUsage;
  machine: { busy: number; total: number } | null;
}

function snapshot(pid: number | undefined): CpuSnapshot {
  return {
    at: performance.now(),
    server: pid ? processTicks(pid) : null,
    postgres: postgresTicks(),
    self: process.cpuUsage(),
    machine: machineTicks(),
  };
}

function cpuShare(before: CpuSnapshot, after: CpuSnapshot): CpuShare {
  const seconds = (after.at - before.at) / 1000;
  const percentOfCore = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Math.round(((b - a) / TICKS_PER_SECOND / seconds) * 100);
  const self = process.cpuUsage(before.self);
  const server = percentOfCore(before.server, after.server);
  const postgres = percentOfCore(before.postgres, after.postgres);
  const loadGenerator = Math.round(((self.user + self.system) / 1e6 / seconds) * 100);
  const machine =
    before.machine && after.machine && after.machine.total > before.machine.total
      ? (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)
      : null;
  return {
    server,
    postgres,
    loadGenerator,
    machine: machine === null ? null : Math.round(machine * 100),
    other:
      machine === null || server === null || postgres === null
        ? null
        : Math.max(0, Math.round(machine * cpus().length * 100 - server - postgres - loadGenerator)),
  };
}

/** Percent of the whole machine busy over the next `ms` milliseconds; null where /proc/stat is missing. */
export async function machineBusy(ms: number): Promise<number | null> {
  const before = machineTicks();
  await sleep(ms);
  const after = machineTicks();
  if (!before || !after || after.total <= before.total) return null;
  return Math.round(((after.busy - before.busy) / (after.total - before.total)) * 100);
}

/** Instances currently running, so an interrupt can stop them. */
const running = new Set<autocannon.Instance>();

export function stopAllLoad(): void {
  for (const instance of running) instance.stop();
}

export async function runScenario(target: Target, spec: ScenarioSpec, planName: string): Promise<ScenarioResult> {
  const instances = spec.staggered ?? 1;
  const samples: number[] = [];
  let badBodies = 0;
  let bodiesChecked = 0;
  let bodiesValid = 0;
  let firstBadBody: string | null = null;

  const request: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    setupRequest: (req) => ({
      ...req,
      body: JSON.stringify({
        query: ENTITLEMENT_QUERY,
        variables: { customerExternalId: target.customer(), product: target.productCode },
      }),
    }),
    onResponse: (status, body) => {
      if (status < 200 || status >= 300) return; // counted as non-2xx by autocannon
      // Every body: a cheap test. The first ones: parsed and checked field by field.
      const ok = body.startsWith('{"data":{"entitlement":{"granted":true,') && !body.includes('"errors"');
      if (bodiesChecked < FULL_CHECKS) {
        bodiesChecked++;
        if (validEntitlement(body, planName)) bodiesValid++;
        else firstBadBody ??= body.slice(0, 500);
      }
      if (!ok) {
        badBodies++;
        firstBadBody ??= body.slice(0, 500);
      }
    },
  };

  const before = snapshot(target.pid);
  const started: Promise<autocannon.Result>[] = [];
  for (let i = 0; i < instances; i++) {
    if (i > 0) await sleep(1000 / instances);
    const instance = autocannon({
      url: target.url,
      title: `${target.name} ${spec.name}${instances > 1 ? ` #${i + 1}` : ''}`,
      connections: Math.round(spec.connections / instances),
      duration: spec.durationSeconds,
      ...(spec.rate ? { overallRate: Math.round(spec.rate / instances) } : {}),
      // Raw response times: under a rate autocannon otherwise adds synthetic samples every 1 ms below each one.
      ignoreCoordinatedOmission: spec.rate ? true : undefined,
      timeout: 10,
      requests: [request],
    });
    running.add(instance);
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => samples.push(ms));
    started.push(
      Promise.resolve(instance).finally(() => {
        running.delete(instance);
      }),
    );
  }
  const results = await Promise.all(started);
  const after = snapshot(target.pid);

  const sum = (pick: (result: autocannon.Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const result of results)
    for (const [code, { count }] of Object.entries(result.statusCodeStats))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const worst = (pick: (result: autocannon.Result) => number) => Math.max(...results.map(pick));
  const responses = sum((r) => r.requests.total);
  return {
    target: target.name,
    name: spec.name,
    kind: spec.kind,
    connections: spec.connections,
    offeredRate: spec.rate ?? null,
    staggered: instances,
    durationSeconds: spec.durationSeconds,
    responses,
    // Each instance runs for the whole duration, so their rates add up.
    achievedRate: Math.round(sum((r) => r.requests.total / r.duration)),
    latencyMs: percentiles(samples),
    autocannonLatencyMs: {
      p50: worst((r) => r.latency.p50),
      p90: worst((r) => r.latency.p90),
      p97_5: worst((r) => r.latency.p97_5),
      p99: worst((r) => r.latency.p99),
      max: worst((r) => r.latency.max),
    },
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statusCodes,
    badBodies,
    bodiesChecked,
    bodiesValid,
    firstBadBody,
    cpu: cpuShare(before, after),
  };
}
