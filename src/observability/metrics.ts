// Every metric the processes export, prefixed `billing_` and documented in docs/observability.md (a test holds the
// alert rules to these names). Labels are bounded: providers, results and error codes come from short fixed lists;
// GraphQL operations are named by their root field, which the schema bounds; everything else becomes `other`.
import client from 'prom-client';
import type pg from 'pg';

export const registry = new client.Registry();

let processMetricsOn = false;
/** The Node process's own series (CPU, memory, event loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  client.collectDefaultMetrics({ register: registry, prefix: 'billing_' });
}

const registers = [registry];
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new client.Histogram({
  name: 'billing_http_request_duration_seconds',
  help: 'HTTP requests by method, route (a fixed list; unknown paths are "other") and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

export const graphqlOperationDuration = new client.Histogram({
  name: 'billing_graphql_operation_duration_seconds',
  help: 'GraphQL operations over HTTP by type and root field ("other" when the document names no known field)',
  labelNames: ['type', 'operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

export const graphqlErrors = new client.Counter({
  name: 'billing_graphql_errors_total',
  help: 'GraphQL errors answered, by extensions.code',
  labelNames: ['code'] as const,
  registers,
});

export const charges = new client.Counter({
  name: 'billing_charges_total',
  help: 'Charge outcomes recorded, by provider, result (succeeded, pending, declined, unavailable) and provider code',
  labelNames: ['provider', 'result', 'code'] as const,
  registers,
});

export const chargeConfirmation = new client.Histogram({
  name: 'billing_charge_confirmation_seconds',
  help: 'Time from a payment being created to its success being recorded, by provider',
  labelNames: ['provider'] as const,
  buckets: [1, 2, 5, 10, 20, 30, 60, 90, 120, 300, 600, 1800, 3600, 21600, 86400],
  registers,
});

export const providerWebhooks = new client.Counter({
  name: 'billing_provider_webhooks_total',
  help: 'Provider deliveries (M-Pesa callbacks, PayPal webhooks) by provider and outcome (accepted or rejected)',
  labelNames: ['provider', 'outcome'] as const,
  registers,
});

export const graphqlWsConnections = new client.Gauge({
  name: 'billing_graphql_ws_connections',
  help: 'Open, acknowledged graphql-ws connections (live subscribers)',
  registers,
});

// ---- Database pools: read from the pools themselves on scrape.

const pools = new Map<string, Set<pg.Pool>>();

/** Counts `pool` under `name` until it ends (the ORM's pool, the entitlement pool). */
export function trackPool(name: string, pool: pg.Pool): void {
  const set = pools.get(name) ?? new Set();
  set.add(pool);
  pools.set(name, set);
}

new client.Gauge({
  name: 'billing_db_pool_connections',
  help: 'Postgres pool connections by pool (orm, entitlement) and state (total, idle, waiting requests)',
  labelNames: ['pool', 'state'] as const,
  registers,
  collect() {
    this.reset();
    for (const [name, set] of pools) {
      let total = 0;
      let idle = 0;
      let waiting = 0;
      for (const pool of set) {
        if (pool.ended) {
          set.delete(pool);
          continue;
        }
        total += pool.totalCount;
        idle += pool.idleCount;
        waiting += pool.waitingCount;
      }
      this.set({ pool: name, state: 'total' }, total);
      this.set({ pool: name, state: 'idle' }, idle);
      this.set({ pool: name, state: 'waiting' }, waiting);
    }
  },
});

/** Bounded label values: a value outside `known` is counted as `other`. */
export function bounded(value: string | null | undefined, known: ReadonlySet<string>): string {
  return value && known.has(value) ? value : 'other';
}

/** A provider's result code as a label: short codes as sent (Daraja's ResultCode, PayPal's issue), the rest `other`. */
export function codeLabel(code: string | null | undefined): string {
  if (!code) return '';
  return /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : 'other';
}

/** The Prometheus text of this process's metrics after `refresh` (scrape-time gauges) has run. */
export async function scrape(refresh: readonly (() => Promise<void>)[] = []): Promise<string> {
  await Promise.allSettled(refresh.map((run) => run()));
  return registry.metrics();
}

const readiness = new client.Gauge({
  name: 'billing_readiness',
  help: "The API's readiness checks at scrape time, by check (postgres, temporal): 1 ready, 0 not",
  labelNames: ['check'] as const,
  registers,
});

/** Runs `check` (the /readyz checks) at each scrape and records each result. */
export function readinessRefresher(
  check: () => Promise<{ checks: Record<string, { ok: boolean }> }>,
): () => Promise<void> {
  return async () => {
    const result = await check();
    for (const [name, { ok }] of Object.entries(result.checks)) readiness.set({ check: name }, ok ? 1 : 0);
  };
}
