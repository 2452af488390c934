// /readyz says 503 with a reason while Postgres or Temporal cannot be reached, and 200 again once they are
// back, with no restart of the API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { checkPostgres } from '../../src/db/health.js';
import { createOrm, type Orm } from '../../src/db/orm.js';
import { buildBillingSchema } from '../../src/graphql/schema.js';
import { apiDependencies } from '../../src/http/apiDependencies.js';
import { createApiServer, type ApiServer } from '../../src/http/app.js';
import { createTemporalClient, createTemporalProbe, type TemporalProbe } from '../../src/temporal/client.js';
import { testConfig, TEST_DATABASE_URL } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { devServerEnvironment } from '../support/temporal.js';

interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; reason?: string }>;
}

describe('readiness', () => {
  let env: TestWorkflowEnvironment;
  let migrated: Orm;
  let orm: Orm;
  let api: ApiServer;
  let url: string;
  let postgresProxy: TcpProxy;
  let temporalProxy: TcpProxy;
  let client: ReturnType<typeof createTemporalClient>;
  let probe: TemporalProbe;
  let dependencies: ReturnType<typeof apiDependencies>;

  beforeAll(async () => {
    [env, migrated] = await Promise.all([devServerEnvironment(), testOrm()]);
    const database = new URL(TEST_DATABASE_URL);
    postgresProxy = new TcpProxy(await TcpProxy.freePort(), {
      host: database.hostname,
      port: Number(database.port || 5432),
    });
    const [temporalHost, temporalPort] = env.address.split(':');
    temporalProxy = new TcpProxy(await TcpProxy.freePort(), { host: temporalHost!, port: Number(temporalPort) });

    const proxiedDatabase = new URL(TEST_DATABASE_URL);
    proxiedDatabase.port = String(postgresProxy.port);
    const config = testConfig({
      DATABASE_URL: proxiedDatabase.toString(),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalProxy.port}`,
    });
    orm = createOrm(config.database);
    client = createTemporalClient(config.temporal);
    probe = createTemporalProbe(config.temporal);
    dependencies = apiDependencies(config, orm.em, client);
    api = await createApiServer({
      ...dependencies,
      schema: await buildBillingSchema(),
      graphqlIde: false,
      readinessChecks: { postgres: () => checkPostgres(orm), temporal: () => probe.check() },
    });
    url = `http://127.0.0.1:${await api.listen(0, '127.0.0.1')}`;
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.allSettled([
      orm?.close(),
      migrated?.close(),
      client?.connection.close(),
      probe?.close(),
      dependencies?.close(),
    ]);
    await Promise.allSettled([postgresProxy?.down(), temporalProxy?.down()]);
    await env?.teardown();
  });

  const readiness = async () => {
    const response = await fetch(`${url}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness };
  };

  it('starts while both are down, answering 503 with the reason for each', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(503);
    expect(body.ready).toBe(false);
    expect(body.checks.postgres!.ok).toBe(false);
    expect(body.checks.temporal!.ok).toBe(false);
    expect(body.checks.postgres!.reason).toBeTruthy();
    expect(body.checks.temporal!.reason).toBeTruthy();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('becomes ready by itself when they come up, and unready again when Postgres goes away', async () => {
    await Promise.all([postgresProxy.up(), temporalProxy.up()]);
    await eventually(
      'readiness after recovery',
      async () => ((await readiness()).status === 200 ? true : undefined),
      30_000,
    );

    await postgresProxy.down();
    const down = await eventually('unreadiness', async () => {
      const r = await readiness();
      return r.status === 503 ? r.body : undefined;
    });
    expect(down.checks.postgres!.ok).toBe(false);
    expect(down.checks.temporal!.ok).toBe(true);

    await postgresProxy.up();
    await eventually(
      'readiness after Postgres returns',
      async () => ((await readiness()).status === 200 ? true : undefined),
      30_000,
    );
  });
});
