// The worker process: runs subscription workflows and the activities they ask for on the task queue.
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfigOrExit } from './src/config.js';
import { createOrm } from './src/db/orm.js';
import { createLogger } from './src/logger.js';
import { outboxDeliveryFor } from './src/emails/outboxDelivery.js';
import { paymentServices } from './src/payments/providers.js';
import { connectWithRetry } from './src/temporal/connectWithRetry.js';
import { createBillingWorker, loadWorkflowBundle } from './src/temporal/worker.js';
import { webhookDeliveryFor } from './src/webhooks/webhookDeliveryFor.js';

const config = loadConfigOrExit();
const log = createLogger(config.logLevel);
Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'INFO') });

const orm = createOrm(config.database);
const workflowBundle = await loadWorkflowBundle();
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
});
log.info(
  `worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (${config.temporal.namespace})`,
);

// Notices queued by the lifecycle go out from here (one delivery loop per worker; rows are claimed, never shared).
const emails = outboxDeliveryFor(config, orm.em, (error) =>
  log.warn(`email delivery round failed: ${error instanceof Error ? error.message : String(error)}`),
);

// Events to client apps' endpoints (docs/webhooks.md): one delivery loop per worker, sharing rows through leases.
const webhooks = webhookDeliveryFor(config, log);

// The Temporal runtime turns SIGINT/SIGTERM into a graceful worker shutdown: run() resolves after in-flight
// activities finish (or the grace time passes).
await worker.run();
await Promise.all([emails?.stop(), webhooks?.stop()]);
await Promise.allSettled([orm.close(), connection.close()]);
log.info('worker stopped');
