// A worker process SIGKILLed while a delivery is in flight loses nothing: the delivery's lease runs out and the next
// worker delivers it again (at least once: the receiver sees the same event id twice and must deduplicate).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiClient } from '../../../src/accounts/apiClients.js';
import type { Orm } from '../../../src/db/orm.js';
import type { Caller } from '../../../src/kernel/caller.js';
import { createWebhookEndpoint } from '../../../src/webhooks/endpoints/createWebhookEndpoint.js';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { until } from '../../support/eventually.js';
import { aCustomer, admin } from '../../support/fixtures.js';
import { devServerEnvironment } from '../../support/temporal.js';
import { WebhookReceiver } from '../../support/webhookReceiver.js';
import { buildWorker, killAllWorkers, WorkerProcess, type WorkerBuild } from '../../support/workerProcess.js';

let orm: Orm;
let env: TestWorkflowEnvironment;
let build: WorkerBuild;
let receiver: WebhookReceiver;
let settings: Record<string, string>;

beforeAll(async () => {
  const building = buildWorker();
  [orm, env] = await Promise.all([testOrm(), devServerEnvironment()]);
  receiver = await new WebhookReceiver().listen();
  settings = {
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: `webhooks-${randomUUID()}`,
    WEBHOOK_DELIVERY: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
  };
  build = await building;
}, 180_000);

afterAll(async () => {
  await killAllWorkers();
  await receiver?.close();
  await env?.teardown();
  await build?.remove();
  await orm?.close();
});

it('delivers an event again after the worker delivering it is killed mid-request', async () => {
  const client = await createApiClient(orm.em.fork(), admin, { name: 'killed', scopes: ['write:webhooks'] });
  const app: Caller = { kind: 'apiClient', apiClientId: client.id, apiKeyId: client.id, scopes: ['write:webhooks'] };
  const { endpoint } = await createWebhookEndpoint(
    orm.em.fork(),
    app,
    { cipher: testCipher(), policy: { allowPrivate: true } },
    { url: receiver.url, eventTypes: ['customer.created'] },
  );
  let calls = 0;
  // The first request is never answered in time: the worker is killed while it waits.
  receiver.answer(() => (++calls === 1 ? { status: 200, delayMs: 60_000 } : { status: 200 }));
  const first = await WorkerProcess.start(build, settings);
  const customer = await aCustomer(orm.em, { ...app, scopes: ['write:customers'] });
  await until(() => expect(receiver.of(customer.id)).toHaveLength(1), 20_000);
  await first.kill('SIGKILL');

  await WorkerProcess.start(build, settings);
  await until(() => expect(receiver.of(customer.id)).toHaveLength(2), 30_000);
  const [killed, again] = receiver.of(customer.id);
  expect(again!.event.id).toBe(killed!.event.id);
  await until(async () => {
    const [delivery] = await orm.em
      .fork()
      .execute<{ status: string; attempts: number }[]>(
        'select status, attempts from event_deliveries where endpoint_id = ?',
        [endpoint.id],
      );
    expect(delivery).toEqual({ status: 'DELIVERED', attempts: 2 });
  });
}, 120_000);
