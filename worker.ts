// The worker process: runs subscription workflows and the activities they ask for on the task queue.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from './src/config.js';
import { createOrm } from './src/db/orm.js';
import { outboxDeliveryFor } from './src/emails/outboxDelivery.js';
import { processLoggerFor } from './src/observability/logging.js';
import { collectProcessMetrics } from './src/observability/metrics.js';
import { metricsHandler, ownListenerAccess, startMetricsServer } from './src/observability/metricsEndpoint.js';
import { tracingFromConfig } from './src/observability/tracing.js';
import { paymentServices } from './src/payments/providers.js';
import { connectWithRetry } from './src/temporal/connectWithRetry.js';
import { workerRuntimeOptions } from './src/temporal/runtime.js';
import { workerTracing } from './src/temporal/tracing.js';
import { createBillingWorker, loadWorkflowBundle } from './src/temporal/worker.js';
import { sdkMetricsAddress, sdkMetricsText } from './src/temporal/workerMetrics.js';
import { etimsSubmissionFor } from './src/tax/etims/etimsSubmissionFor.js';
import { webhookDeliveryFor } from './src/webhooks/webhookDeliveryFor.js';

const config = loadConfigOrExit();
const log = processLoggerFor(config, 'worker');
const tracing = tracingFromConfig(config.tracing, 'billing-worker');
collectProcessMetrics();
// The SDK's own lines (worker, core, workflow and activity `log`) go through our logger; its metrics through its
// Prometheus exporter on loopback, appended to this worker's /metrics.
Runtime.install(workerRuntimeOptions(log, config.metrics.workerPort));
const sdkMetrics = sdkMetricsAddress(config.metrics.workerPort);

const orm = createOrm(config.database);
const workflowBundle = await loadWorkflowBundle({ traced: Boolean(tracing) });
const connection = await connectWithRetry(
  () => NativeConnection.connect({ address: config.temporal.address }),
  log,
  config.temporal.address,
);

const worker = await createBillingWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  em: orm.em,
  payments: paymentServices(config.payments),
  tax: config.billing.tax,
  workflowBundle,
  shutdownGraceMs: config.shutdownGraceMs,
  tuning: config.worker,
  ...(tracing ? workerTracing(tracing) : {}),
});
log.info(
  `worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (${config.temporal.namespace})`,
);

const metricsServer =
  config.metrics.workerPort > 0
    ? await startMetricsServer(
        config.metrics.host,
        config.metrics.workerPort,
        metricsHandler(ownListenerAccess, { extra: () => sdkMetricsText(sdkMetrics) }),
      )
    : null;
if (metricsServer) log.info(`worker metrics at http://${config.metrics.host}:${metricsServer.port}/metrics`);

// Notices queued by the lifecycle go out from here (one delivery loop per worker; rows are claimed, never shared).
const emails = outboxDeliveryFor(config, orm.em, (error) =>
  log.warn(`email delivery round failed: ${error instanceof Error ? error.message : String(error)}`),
);

// Events to client apps' endpoints (docs/webhooks.md): one delivery loop per worker, sharing rows through leases.
const webhooks = webhookDeliveryFor(config, log);

// Invoices to KRA's eTIMS, when it is on (docs/tax.md): one loop per worker, sharing invoices through leases.
const etims = etimsSubmissionFor(config.etims, orm.em, log);

// The Temporal runtime turns SIGINT/SIGTERM into a graceful worker shutdown: run() resolves after in-flight
// activities finish (or the grace time passes).
await worker.run();
await Promise.all([emails?.stop(), webhooks?.stop(), etims?.stop()]);
await Promise.allSettled([orm.close(), connection.close(), metricsServer?.close(), tracing?.shutdown()]);
log.info('worker stopped');
