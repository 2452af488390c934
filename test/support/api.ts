import { afterAll, beforeAll } from '@jest/globals';
import type { Client } from '@temporalio/client';
import type { ApiKeyCache } from '../../src/auth/apiKeyCache.js';
import type { EntitlementCache } from '../../src/billing/entitlementCache.js';
import { checkPostgres } from '../../src/db/health.js';
import type { Orm } from '../../src/db/orm.js';
import { buildBillingSchema } from '../../src/graphql/schema.js';
import { apiDependencies, securityOptions, webAppSettings } from '../../src/http/apiDependencies.js';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../../src/http/app.js';
import type { WebAppOptions } from '../../src/http/webApp.js';
import { createTemporalClient } from '../../src/temporal/client.js';
import { testConfig } from './config.js';
import { testOrm } from './db.js';

export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface RunningApi {
  api: ApiServer;
  url: string;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<T>>;
  /** The API's entitlement answers in memory (null when ENTITLEMENT_CACHE_SIZE is 0). */
  entitlementCache: EntitlementCache | null;
  /** The API keys' callers in memory (null when API_KEY_CACHE_SIZE is 0). */
  apiKeys: ApiKeyCache | null;
  stop(): Promise<void>;
}

/**
 * The real API server (as server.ts builds it) on a free port. Without a Temporal client it gets one aimed at
 * nowhere: fine for everything except starting workflows.
 */
export async function startApi(
  orm: Orm,
  options: {
    temporal?: Client;
    taskQueue?: string;
    env?: Record<string, string>;
    webApp?: Partial<WebAppOptions>;
    port?: number;
    /** false: every request goes through Apollo (src/http/entitlementFastPath.ts). */
    entitlementFastPath?: boolean;
    /** GET /metrics on the API's port (src/observability/metricsEndpoint.ts). */
    metrics?: ApiServerOptions['metrics'];
  } = {},
): Promise<RunningApi> {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'api-tests', ...options.env });
  const client = options.temporal ?? createTemporalClient({ ...config.temporal, address: '127.0.0.1:1' });
  const dependencies = apiDependencies(config, orm.em, client);
  const api = await createApiServer({
    ...dependencies,
    ...securityOptions(config),
    webApp: { ...webAppSettings(config), ...options.webApp },
    graphqlIde: true,
    entitlementFastPath: options.entitlementFastPath,
    metrics: options.metrics,
    schema: await buildBillingSchema(),
    readinessChecks: {
      postgres: () => checkPostgres(orm),
      temporal: async () => void (await client.workflowService.getSystemInfo({})),
    },
  });
  // A known port where the API must know its own address up front (PUBLIC_URL in links and provider returns).
  const port = await api.listen(options.port ?? 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    api,
    url,
    async graphql(query, variables = {}, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    entitlementCache: dependencies.entitlementCache,
    apiKeys: dependencies.callers.keys,
    async stop() {
      await api.stop();
      await dependencies.close();
      if (!options.temporal) await client.connection.close();
    },
  };
}

/**
 * For a describe block: an ORM on the test database and an API on it, started before its tests and stopped
 * after. Read `suite.api` and `suite.orm` inside tests (they exist once beforeAll has run).
 */
export function apiForSuite(
  env: Record<string, string> = {},
  options: { webApp?: Partial<WebAppOptions> } = {},
): { readonly orm: Orm; readonly api: RunningApi } {
  const suite = {} as { orm: Orm; api: RunningApi };
  beforeAll(async () => {
    suite.orm = await testOrm();
    suite.api = await startApi(suite.orm, { env, webApp: options.webApp });
  });
  afterAll(async () => {
    await suite.api?.stop();
    await suite.orm?.close();
  });
  return suite;
}
