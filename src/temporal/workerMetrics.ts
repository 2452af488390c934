// The Temporal SDK's worker metrics (prefixed `temporal_`: workflow and activity task latencies and failures, slots,
// sticky cache, polls) come from its native core's Prometheus exporter. It binds on loopback at the port after
// WORKER_METRICS_PORT, and the worker's /metrics appends what it says, so one scrape target has both.

/** Where the SDK's exporter binds; null when the worker exports no metrics. */
export function sdkMetricsAddress(workerMetricsPort: number): string | null {
  return workerMetricsPort > 0 ? `127.0.0.1:${workerMetricsPort + 1}` : null;
}

/** The SDK's exposition text; empty when it is off or does not answer within a second. */
export async function sdkMetricsText(address: string | null): Promise<string> {
  if (!address) return '';
  const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(1000) });
  return response.ok ? await response.text() : '';
}
