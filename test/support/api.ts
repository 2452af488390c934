import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Orm } from '../../src/db/orm.js';
import { checkPostgres } from '../../src/db/health.js';
import { buildBillingSchema } from '../../src/graphql/schema.js';
import { apiDependencies, securityOptions } from '../../src/http/apiDependencies.js';
import { createApiServer, type ApiServer } from '../../src/http/app.js';
import { testConfig } from './config.js';

export interface RunningApi {
  api: ApiServer;
  url: string;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
}

/** The real API server (as server.ts builds it) on a free port, wired to the given Postgres and Temporal. */
export async function startApi(orm: Orm, env: TestWorkflowEnvironment, taskQueue: string): Promise<RunningApi> {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue });
  const api = await createApiServer({
    ...apiDependencies(config, orm.em, env.client),
    ...securityOptions(config),
    graphqlIde: true,
    schema: await buildBillingSchema(),
    readinessChecks: {
      postgres: () => checkPostgres(orm),
      temporal: async () => void (await env.client.workflowService.getSystemInfo({})),
    },
  });
  const port = await api.listen(0, '127.0.0.1');
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
  };
}
