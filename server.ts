// The API process: GraphQL (HTTP and graphql-ws), health and readiness. It reads Postgres and starts or
// signals workflows; it never charges anyone and never sleeps until a date.
import { loadConfigOrExit } from './src/config.js';
import { checkPostgres } from './src/db/health.js';
import { createOrm } from './src/db/orm.js';
import { buildBillingSchema } from './src/graphql/schema.js';
import { apiDependencies, securityOptions, webAppSettings } from './src/http/apiDependencies.js';
import { createApiServer } from './src/http/app.js';
import { backlogRefresher } from './src/observability/backlogMetrics.js';
import { processLoggerFor } from './src/observability/logging.js';
import { collectProcessMetrics, readinessRefresher } from './src/observability/metrics.js';
import { checkReadiness } from './src/http/readiness.js';
import {
  metricsHandler,
  ownListenerAccess,
  publicPortAccess,
  startMetricsServer,
} from './src/observability/metricsEndpoint.js';
import { tracingFromConfig } from './src/observability/tracing.js';
import { onShutdownSignal } from './src/shutdown.js';
import { createTemporalClient, createTemporalProbe } from './src/temporal/client.js';

const config = loadConfigOrExit();
const log = processLoggerFor(config, 'api');
const tracing = tracingFromConfig(config.tracing, 'billing-api');
collectProcessMetrics();
const orm = createOrm(config.database);
const client = createTemporalClient(config.temporal, tracing);
const temporalProbe = createTemporalProbe(config.temporal);

const dependencies = apiDependencies(config, orm.em, client);
// Queue backlogs (outbox, event deliveries, pending payments, unsigned eTIMS invoices) are read by the API's scrape only: one query per
// scrape of each API process, none from workers.
const readinessChecks = {
  postgres: () => checkPostgres(orm),
  temporal: () => temporalProbe.check(),
};
const metricsSources = {
  refresh: [
    backlogRefresher(orm.em, config.etims?.submitFrom ?? null),
    readinessRefresher(() => checkReadiness(readinessChecks)),
  ],
};
const api = await createApiServer({
  ...dependencies,
  ...securityOptions(config),
  webApp: webAppSettings(config),
  schema: await buildBillingSchema(),
  readinessChecks,
  metrics: { access: publicPortAccess(config), sources: metricsSources },
});

let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
try {
  const port = await api.listen(config.http.port, config.http.host);
  const origin = `${config.security.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
  log.info(`API ready at ${origin}/graphql; customer portal at ${origin}/`);
  if (config.metrics.port > 0) {
    const handler = metricsHandler(ownListenerAccess, metricsSources);
    metricsServer = await startMetricsServer(config.metrics.host, config.metrics.port, handler);
    log.info(`API metrics at http://${config.metrics.host}:${metricsServer.port}/metrics`);
  } else {
    log.info(
      `API metrics at ${origin}/metrics${config.nodeEnv === 'production' ? ' (Authorization: Bearer METRICS_TOKEN)' : ''}`,
    );
  }
  if (tracing) log.info(`traces exported to ${config.tracing.otlpEndpoint}`);
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

onShutdownSignal(log, config.shutdownGraceMs, async () => {
  await api.stop();
  await Promise.allSettled([
    orm.close(),
    dependencies.close(),
    client.connection.close(),
    temporalProbe.close(),
    metricsServer?.close(),
    tracing?.shutdown(),
  ]);
});
