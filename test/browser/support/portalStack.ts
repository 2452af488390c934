// The whole stack a subscriber's browser talks to, in one process: Postgres (a database of its own, so the plans
// page shows only this suite's catalog), the Temporal dev server, the worker's activities, the API serving the
// built portal on a known port (its PUBLIC_URL is in emails and provider return links), both provider sandboxes
// and an SMTP server standing in for the subscriber's mailbox.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ensureDatabaseExists } from '../../../src/db/ensureDatabase.js';
import { createOrm, migrate, type Orm } from '../../../src/db/orm.js';
import { outboxDeliveryFor } from '../../../src/emails/outboxDelivery.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { TEST_DATABASE_URL, testConfig } from '../../support/config.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { SmtpCatcher } from '../../support/smtpCatcher.js';
import { TcpProxy } from '../../support/tcpProxy.js';
import { billingWorker, devServerEnvironment } from '../../support/temporal.js';

export interface PortalStack {
  orm: Orm;
  api: RunningApi;
  /** The portal's address, e.g. http://127.0.0.1:41234 */
  url: string;
  mailbox: SmtpCatcher;
  mpesa: MpesaSandbox;
  /** What the API was told of M-Pesa (the sandbox's URL and credentials, the callback secret). */
  mpesaSettings: Record<string, string>;
  paypal: PaypalSandbox;
  admin: Headers;
  stop(): Promise<void>;
}

/** `<test database>_browser_<suite>`, emptied: dropped and created again. */
async function freshDatabase(suite: string): Promise<string> {
  const url = new URL(TEST_DATABASE_URL);
  const name = `${url.pathname.replace(/^\//, '')}_browser_${suite}`;
  const server = new URL(TEST_DATABASE_URL);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  return url.toString();
}

export async function startPortalStack(suite: string): Promise<PortalStack> {
  const databaseUrl = await freshDatabase(suite);
  const orm = createOrm(testConfig({ DATABASE_URL: databaseUrl }).database);
  await migrate(orm);
  const mailbox = new SmtpCatcher();
  const smtpUrl = await mailbox.listen();
  // A second so the page is seen saying "check your phone" before the callback settles it.
  const mpesa = await listeningMpesaSandbox({ callbackDelayMs: 1_000 });
  const paypalPort = await TcpProxy.freePort();
  const paypalUrl = `http://127.0.0.1:${paypalPort}`;
  const webhookId = `WH-${randomUUID()}`;
  const port = await TcpProxy.freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = {
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: url,
    SMTP_URL: smtpUrl,
    ...mpesa.settings,
    MPESA_CALLBACK_SECRET: `browser-${suite}-callback-secret`,
    // So an operator can refund an M-Pesa payment from the console (a Transaction Reversal on the sandbox).
    MPESA_INITIATOR_NAME: 'testapi',
    MPESA_SECURITY_CREDENTIAL: `browser-${suite}-security-credential`,
    PAYPAL_BASE_URL: paypalUrl,
    PAYPAL_CLIENT_ID: 'browser-client',
    PAYPAL_CLIENT_SECRET: 'browser-secret',
    PAYPAL_WEBHOOK_ID: webhookId,
    PAYPAL_CERT_URL_PREFIXES: `${paypalUrl}/__sandbox/certs/`,
    // A person clicks around: the API's per-minute limit is for abuse, not for a test that signs up and pays.
    RATE_LIMIT_PER_MINUTE: '10000',
  };
  const taskQueue = `browser-${suite}-${randomUUID()}`;
  const env: TestWorkflowEnvironment = await devServerEnvironment();
  const api = await startApi(orm, { temporal: env.client, taskQueue, env: settings, port });
  const paypal = createPaypalSandbox({
    clientId: 'browser-client',
    clientSecret: 'browser-secret',
    webhookUrl: `${url}/webhooks/paypal`,
    webhookId,
    webhookDelayMs: 50,
  });
  await paypal.listen(paypalPort, '127.0.0.1');
  const worker: Worker = await billingWorker(env, orm, taskQueue, settings);
  const workerRun = worker.run();
  const emails = outboxDeliveryFor(testConfig(settings), orm.em, () => undefined);
  const admin = await adminHeaders(api, orm);
  return {
    orm,
    api,
    url,
    mailbox,
    mpesa: mpesa.sandbox,
    mpesaSettings: settings,
    paypal,
    admin,
    async stop() {
      await emails?.stop();
      worker.shutdown();
      await workerRun;
      await api.stop();
      await Promise.allSettled([env.teardown(), mpesa.sandbox.close(), paypal.close(), mailbox.close()]);
      await orm.close();
    },
  };
}
