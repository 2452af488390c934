// The built `billing` binary against the real API over HTTP (Postgres, the Temporal dev server and a worker behind
// it): create a customer, subscribe, report, cancel; and the one-line failures with their exit codes.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Orm } from '../../../src/db/orm.js';
import { EXIT } from '../../../src/cli/errors.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders } from '../../support/callers.js';
import { buildCli, runCli, type CliBuild } from '../../support/cliProcess.js';
import { testOrm } from '../../support/db.js';
import { uniqueCode, uniqueEmail } from '../../support/fixtures.js';
import { billingWorker, devServerEnvironment } from '../../support/temporal.js';

describe('billing command line against the real API', () => {
  let env: TestWorkflowEnvironment;
  let orm: Orm;
  let worker: Worker;
  let running: Promise<void>;
  let api: RunningApi;
  let cli: CliBuild;
  let credentials: Record<string, string>;
  let planId: string;
  const taskQueue = `cli-${randomUUID()}`;

  const billing = (...args: string[]) => runCli(cli, args, credentials);
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await billing('--json', ...args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as T;
  };

  beforeAll(async () => {
    [env, orm, cli] = await Promise.all([devServerEnvironment(), testOrm(), buildCli()]);
    worker = await billingWorker(env, orm, taskQueue);
    running = worker.run();
    api = await startApi(orm, { temporal: env.client, taskQueue });
    const admin = await adminHeaders(api, orm);
    const app = await apiClientHeaders(api, admin, [...ALL_CLIENT_SCOPES, 'read:reports']);
    credentials = { BILLING_API_URL: api.url, BILLING_API_KEY: app.headers['x-api-key']! };
    const product = await api.graphql<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { code: uniqueCode('cli'), name: 'CLI product' } },
      admin,
    );
    const plan = await api.graphql<{ createPlan: { id: string } }>(
      'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
      {
        input: {
          productId: product.data!.createProduct.id,
          name: 'CLI monthly',
          interval: 'MONTH',
          amount: 150000,
          currency: 'KES',
          trialDays: 14,
        },
      },
      admin,
    );
    if (!plan.data) throw new Error(JSON.stringify(plan.errors));
    planId = plan.data.createPlan.id;
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await orm?.close();
    await cli?.remove();
  });

  it('creates a customer, subscribes it, reports it and cancels it', async () => {
    const email = uniqueEmail('cli');
    const created = await json<{ id: string; email: string; phone: string }>(
      'customers',
      'create',
      '--email',
      email,
      '--name',
      'Wanjiku Kamau',
      '--phone',
      '0712345678',
    );
    expect(created).toMatchObject({ email, phone: '+254712345678' });

    const listed = await billing('customers', 'list', '--email', email);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+EXTERNAL ID\s+EMAIL/);
    expect(listed.stdout).toContain('Wanjiku Kamau');

    const subscription = await json<{ id: string; status: string }>(
      'subscriptions',
      'create',
      '--customer',
      created.id,
      '--plan',
      planId,
    );
    expect(subscription.status).toBe('TRIALING');
    const shown = await billing('subscriptions', 'show', subscription.id);
    expect(shown.stdout).toMatch(/status\s+TRIALING/);

    const report = await json<{ subscriptionsByStatus: { status: string; count: number }[] }>('report');
    expect(report.subscriptionsByStatus).toContainEqual({ status: 'TRIALING', count: 1 });
    const table = await billing('report');
    expect(table.stdout).toMatch(/subscriptions TRIALING\s+1/);
    const csv = await billing('report', '--csv');
    expect(csv.stdout.split('\n')[0]).toBe('measure,count,amount');
    expect(csv.stdout).toContain('subscriptions TRIALING,1,');

    const canceled = await json<{ status: string }>('subscriptions', 'cancel', subscription.id);
    expect(canceled.status).toBe('CANCELED');
    const invoices = await billing('invoices', 'list', '--customer', created.id);
    expect(invoices.code).toBe(0);
  });

  it('creates and reprices plans, and pauses, resumes and changes the plan of a subscription', async () => {
    const productId = (
      await orm.em.fork().execute<{ product_id: string }[]>('select product_id from plans where id = ?', [planId])
    )[0]!.product_id;
    const basic = await json<{ id: string; status: string }>(
      'plans',
      'create',
      '--product',
      productId,
      '--name',
      'CLI basic',
      '--amount',
      '50000',
      '--currency',
      'KES',
      '--interval',
      'MONTH',
      '--trial-days',
      '0',
    );
    const pro = await json<{ id: string; price: string }>(
      'plans',
      'create',
      '--product',
      productId,
      '--name',
      'CLI pro',
      '--amount',
      '90000',
      '--currency',
      'KES',
      '--interval',
      'MONTH',
      '--trial-days',
      '0',
    );
    const repriced = await json<{ id: string; version: number }>('plans', 'update-price', pro.id, '--amount', '95000');
    expect(repriced.version).toBe(2);

    const customer = await json<{ id: string }>(
      'customers',
      'create',
      '--email',
      uniqueEmail('cli-life'),
      '--name',
      'Otieno',
    );
    const subscription = await json<{ id: string }>(
      'subscriptions',
      'create',
      '--customer',
      customer.id,
      '--plan',
      basic.id,
    );
    // Without a payment method the first invoice is sent and the subscription is ACTIVE once its workflow says so.
    const active = async () => {
      for (let i = 0; i < 100; i += 1) {
        const shown = await json<{ status: string }>('subscriptions', 'show', subscription.id);
        if (shown.status === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('the subscription never became ACTIVE');
    };
    await active();
    let paused: { status: string } | undefined;
    for (let i = 0; i < 50 && !paused; i += 1) {
      const result = await billing('--json', 'subscriptions', 'pause', subscription.id, '--periods', '2');
      if (result.code === 0) paused = JSON.parse(result.stdout) as { status: string };
      else await new Promise((resolve) => setTimeout(resolve, 200)); // the workflow has not heard of its invoice yet
    }
    expect(paused?.status).toBe('PAUSED');
    expect((await json<{ status: string }>('subscriptions', 'resume', subscription.id)).status).toBe('ACTIVE');
    const changed = await json<{ status: string }>(
      'subscriptions',
      'change-plan',
      subscription.id,
      '--plan',
      repriced.id,
      '--timing',
      'PERIOD_END',
    );
    expect(changed.status).toBe('ACTIVE');
    expect((await json<{ status: string }>('plans', 'archive', basic.id)).status).toBe('ARCHIVED');
  });

  it('imports subscriptions of imported customers once, reporting unknown customers and plans by line', async () => {
    const tag = randomUUID().slice(0, 8);
    const customer = await json<{ id: string }>(
      'customers',
      'create',
      '--email',
      uniqueEmail('cli-sub'),
      '--name',
      'Otieno',
      '--external-id',
      `S-${tag}`,
    );
    const dir = await mkdtemp(join(tmpdir(), 'cli-subscriptions-'));
    const file = join(dir, 'subscriptions.csv');
    await writeFile(
      file,
      [
        'customer_external_id,plan_id,quantity',
        `S-${tag},${planId},2`,
        `S-${tag},${planId},1`,
        `nobody-${tag},${planId},1`,
        `S-${tag},${randomUUID()},1`,
        `S-${tag},${planId},zero`,
      ].join('\n'),
    );
    const first = await billing('import', 'subscriptions', file);
    expect(first.code).toBe(EXIT.ROWS_REJECTED);
    expect(first.stdout.split('\n').filter((line) => line.startsWith('line '))).toEqual([
      `line 3: duplicate subscription of S-${tag} to ${planId}: already on line 2`,
      `line 4: no customer with external id nobody-${tag}`,
      expect.stringMatching(/^line 5: unknown plan /),
      'line 6: quantity must be a whole number of at least 1, got "zero"',
    ]);
    expect(first.stdout).toMatch(/: 1 imported, 0 already there, 4 rejected/);
    // Without its state file the row is sent again: its idempotency key answers with the same subscription.
    await rm(`${file}.import-state`);
    expect((await billing('import', 'subscriptions', file)).code).toBe(EXIT.ROWS_REJECTED);
    const subscriptions = await json<{ quantity: number }[]>('subscriptions', 'list', '--customer', customer.id);
    expect(subscriptions).toEqual([expect.objectContaining({ quantity: 2 })]);
    await rm(dir, { recursive: true, force: true });
  });

  it('says in one line what the API refused, with exit code 1', async () => {
    const result = await billing('customers', 'create', '--email', 'not-an-email', '--name', 'X');
    expect(result.code).toBe(EXIT.REFUSED);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^billing: .*email must be an email address/),
    ]);
  });

  it('refuses wrong credentials in one line with exit code 3', async () => {
    const result = await runCli(cli, ['customers', 'list'], { BILLING_API_URL: api.url, BILLING_API_KEY: 'wrong' });
    expect(result.code).toBe(EXIT.AUTH);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^billing: .*UNAUTHENTICATED/);
  });

  it('says an unreachable API in one line with exit code 4', async () => {
    const port = await closedPort();
    const result = await runCli(cli, ['customers', 'list', '--api-url', `http://127.0.0.1:${port}`, '--api-key', 'k']);
    expect(result.code).toBe(EXIT.UNREACHABLE);
    expect(result.stderr).toBe(`billing: cannot reach the API at http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('exits 2 on a usage error', async () => {
    const result = await billing('customers', 'create', '--email', 'a@b.example');
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
