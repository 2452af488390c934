// The API process: GraphQL (HTTP and graphql-ws), health and readiness. It reads Postgres and starts or
// signals workflows; it never charges anyone and never sleeps until a date.
import { loadConfigOrExit } from './src/config.js';
import { checkPostgres } from './src/db/health.js';
import { createOrm } from './src/db/orm.js';
import { buildBillingSchema } from './src/graphql/schema.js';
import { apiDependencies, securityOptions, webAppSettings } from './src/http/apiDependencies.js';
import { createApiServer } from './src/http/app.js';
import { createLogger } from './src/logger.js';
import { onShutdownSignal } from './src/shutdown.js';
import { createTemporalClient, createTemporalProbe } from './src/temporal/client.js';

const config = loadConfigOrExit();
const log = createLogger(config.logLevel);
const orm = createOrm(config.database);
const client = createTemporalClient(config.temporal);
const temporalProbe = createTemporalProbe(config.temporal);

const dependencies = apiDependencies(config, orm.em, client);
const api = await createApiServer({
  ...dependencies,
  ...securityOptions(config),
  webApp: webAppSettings(config),
  schema: await buildBillingSchema(),
  readinessChecks: {
    postgres: () => checkPostgres(orm),
    temporal: () => temporalProbe.check(),
  },
});

try {
  const port = await api.listen(config.http.port, config.http.host);
  const origin = `${config.security.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
  log.info(`API ready at ${origin}/graphql; customer portal at ${origin}/`);
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

onShutdownSignal(log, config.shutdownGraceMs, async () => {
  await api.stop();
  await Promise.allSettled([orm.close(), dependencies.close(), client.connection.close(), temporalProbe.close()]);
});
