// The worker's Temporal runtime: every line the SDK writes, the native core's included (forwarded, not printed to
// the console in core's own format), goes through our logger (src/observability/logging.ts); the SDK's metrics go to
// its Prometheus exporter on loopback, which the worker's /metrics appends (src/temporal/workerMetrics.ts).
import type { RuntimeOptions } from '@temporalio/worker';
import type { Logger } from '../logger.js';
import { temporalLogger } from '../observability/logging.js';
import { sdkMetricsAddress } from './workerMetrics.js';

export function workerRuntimeOptions(log: Logger, workerMetricsPort: number): RuntimeOptions {
  const metricsAddress = sdkMetricsAddress(workerMetricsPort);
  return {
    logger: temporalLogger(log),
    telemetryOptions: {
      // The core's warnings (connection trouble, task failures) and the SDK's other crates' errors.
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(metricsAddress
        ? { metrics: { prometheus: { bindAddress: metricsAddress, useSecondsForDurations: true } } }
        : {}),
    },
  };
}
