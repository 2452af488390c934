// `npm start`: the whole stack for a person trying the project (`npm run build` first: the API, the workflow bundle
// and the customer portal in dist/web). Ensures Postgres and Temporal, migrates, starts the API (which serves the
// portal) and the worker, prints every URL, streams logs behind a prefix each, and on Ctrl-C stops
// everything it started, in order. Data under DATA_DIR survives restarts.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { childEnvironment, loadConfigOrExit, type Config } from '../src/config.js';
import { createOrm, migrate } from '../src/db/orm.js';
import { describeSeed, seed } from '../src/db/seed.js';
import { projectRoot } from '../src/paths.js';
import { startChild, prefixer, type Child } from './lib/children.js';
import { assertPortFree, isListening, waitFor } from './lib/ports.js';
import { ensurePostgres, type PostgresHandle } from './lib/postgres.js';
import { ensureTemporal, type TemporalHandle } from './lib/temporal.js';
import { registerPaybillUrls } from '../src/payments/paybill/registerPaybillUrls.js';

const startedAt = performance.now();
const config = loadConfigOrExit();
const say = prefixer('start');

let postgres: PostgresHandle | null = null;
let temporal: TemporalHandle | null = null;
const apps: Child[] = [];
let stopping: Promise<void> | null = null;

function stopAll(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    say('stopping…');
    await Promise.all(apps.map((child) => child.stop(config.shutdownGraceMs)));
    await temporal?.child?.stop(config.shutdownGraceMs);
    await postgres?.stop().catch((error: unknown) => say(`embedded Postgres did not stop cleanly: ${String(error)}`));
    say('stopped');
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void stopAll(0));
}

function watchForUnexpectedExit(name: string, child: Child): void {
  void child.exited.then((code) => {
    if (!stopping) {
      say(`${name} exited unexpectedly (code ${code}): stopping the stack`);
      void stopAll(1);
    }
  });
}

async function main(): Promise<void> {
  await assertPortFree(config.http.host, config.http.port, 'API', 'Stop what uses it or set PORT to a free port.');
  // The worker's metrics listener and, on the next port, the Temporal SDK's exporter (docs/observability.md).
  const { host: metricsHost, port: metricsPort, workerPort } = config.metrics;
  if (metricsPort > 0) {
    await assertPortFree(metricsHost, metricsPort, 'API metrics', 'Set METRICS_PORT to a free port, or 0.');
  }
  for (const port of workerPort > 0 ? [workerPort, workerPort + 1] : []) {
    await assertPortFree(
      metricsHost,
      port,
      'worker metrics',
      'Set WORKER_METRICS_PORT to a free port (and the next), or 0.',
    );
  }

  postgres = await ensurePostgres(config, prefixer('postgres'));
  say(`Postgres: ${postgres.description}`);

  const orm = createOrm({ ...config.database, url: postgres.url });
  const applied = await migrate(orm);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  const seeded = await seed(orm, config);
  await orm.close();

  temporal = await ensureTemporal(config, prefixer('temporal'));
  say(`Temporal: ${temporal.address} (namespace ${config.temporal.namespace})`);

  // Local stand-ins for the payment providers, speaking their wire protocols (sandboxes/).
  // Only the ones the configuration actually uses: with real credentials, the real provider is called instead.
  const { mpesa, paypal } = config.payments;
  const sandboxes: { name: string; port: number; envVar: string; what: string; env: Record<string, string> }[] = [
    ...(mpesa?.localSandbox
      ? [
          {
            name: 'mpesa',
            port: config.sandboxes.mpesaPort,
            envVar: 'MPESA_SANDBOX_PORT',
            what: 'M-Pesa sandbox',
            // Daraja's 2-minute duplicate rule, shortened while minute plans are on (src/config.ts).
            env: {
              MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS: String(config.sandboxes.mpesaDuplicateWindowSeconds),
            },
          },
        ]
      : []),
    ...(paypal?.localSandbox
      ? [
          {
            name: 'paypal',
            port: config.sandboxes.paypalPort,
            envVar: 'PAYPAL_SANDBOX_PORT',
            what: 'PayPal sandbox',
            // It signs and delivers its webhooks to this API, as PayPal would.
            env: {
              PAYPAL_SANDBOX_WEBHOOK_URL: `${config.payments.publicUrl}/webhooks/paypal`,
              PAYPAL_WEBHOOK_ID: config.payments.paypalWebhookId ?? '',
            },
          },
        ]
      : []),
    // KRA's eTIMS control unit, when eTIMS is on without a real one (docs/tax.md).
    ...(config.etims?.localSandbox
      ? [
          {
            name: 'etims',
            port: config.sandboxes.etimsPort,
            envVar: 'ETIMS_SANDBOX_PORT',
            what: 'eTIMS stand-in',
            env: { ETIMS_CMC_KEY: config.etims.communicationKey },
          },
        ]
      : []),
  ];
  for (const sandbox of sandboxes) {
    await assertPortFree('127.0.0.1', sandbox.port, sandbox.what, `Set ${sandbox.envVar} to a free port.`);
    const child = startChild(
      sandbox.name,
      process.execPath,
      [join(projectRoot, 'dist', 'sandboxes', sandbox.name, 'main.js')],
      {
        env: childEnvironment({ [sandbox.envVar]: String(sandbox.port), ...sandbox.env }),
      },
    );
    apps.push(child);
    watchForUnexpectedExit(sandbox.name, child);
    await waitFor(sandbox.what, () => isListening('127.0.0.1', sandbox.port), 15_000);
  }

  // The local M-Pesa sandbox sends paybill payments (C2B Simulate) to this API, as M-Pesa would once registered.
  if (mpesa?.localSandbox) {
    const registration = await registerPaybillUrls(config.payments);
    say(registration.ok ? `paybill ${registration.shortCode} registered` : registration.message);
  }

  // The dev mailbox: every notice the worker sends lands in its web inbox (unless SMTP_URL points elsewhere).
  const mailbox = !config.smtp.explicit && config.smtp.url !== null;
  if (mailbox) {
    const { maildevSmtpPort: smtpPort, maildevWebPort: webPort } = config.smtp;
    await assertPortFree('127.0.0.1', smtpPort, 'dev mailbox (SMTP)', 'Set MAILDEV_SMTP_PORT to a free port.');
    await assertPortFree('127.0.0.1', webPort, 'dev mailbox (web)', 'Set MAILDEV_WEB_PORT to a free port.');
    const child = startChild(
      'mail',
      process.execPath,
      [
        join(projectRoot, 'node_modules', 'maildev', 'bin', 'maildev'),
        '--smtp',
        String(smtpPort),
        '--web',
        String(webPort),
        '--ip',
        '127.0.0.1',
      ],
      { env: childEnvironment({}) },
    );
    apps.push(child);
    watchForUnexpectedExit('mail', child);
    await waitFor('the dev mailbox', () => isListening('127.0.0.1', smtpPort), 15_000);
  }

  const env = childEnvironment({
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    // The admin console links workflows to the dev server's UI, unless a TEMPORAL_UI_URL was given.
    ...(temporal.uiUrl && !process.env.TEMPORAL_UI_URL ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
  });
  for (const name of ['server', 'worker'] as const) {
    const child = startChild(
      name,
      process.execPath,
      ['--enable-source-maps', join(projectRoot, 'dist', `${name}.js`)],
      { env },
    );
    apps.push(child);
    watchForUnexpectedExit(name, child);
  }

  const api = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
  await waitFor('the API', async () => (await fetch(`${api}/readyz`).catch(() => null))?.ok ?? false, 60_000);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const lines = [
    '',
    `Billing stack ready in ${seconds} s`,
    `  Customer portal  ${api}/   (sign-up, plans, subscriptions, invoices; built by npm run build)`,
    `  GraphQL API      ${api}/graphql${config.http.graphqlIde ? '   (open in a browser for GraphiQL)' : ''}`,
    `  GraphQL over WS  ${api.replace('http', 'ws')}/graphql`,
    `  Readiness        ${api}/readyz`,
    ...metricsLines(config, api),
    ...(temporal.uiUrl ? [`  Temporal UI      ${temporal.uiUrl}`] : []),
    `  Temporal         ${temporal.address}`,
    mpesa?.localSandbox
      ? `  M-Pesa sandbox   http://127.0.0.1:${config.sandboxes.mpesaPort}   (Daraja API stand-in; ledger at /__sandbox/ledger)`
      : `  M-Pesa           ${mpesa ? mpesa.baseUrl : 'off (no credentials)'}`,
    paypal?.localSandbox
      ? `  PayPal sandbox   http://127.0.0.1:${config.sandboxes.paypalPort}   (REST API stand-in; ledger at /__sandbox/ledger)`
      : `  PayPal           ${paypal ? paypal.baseUrl : 'off (no credentials)'}`,
    `  eTIMS            ${config.etims ? `${config.etims.url}${config.etims.localSandbox ? '   (KRA control unit stand-in)' : ''}` : 'off (ETIMS_ENABLED=false)'}`,
    ...(mailbox
      ? [`  Dev mailbox      http://127.0.0.1:${config.smtp.maildevWebPort}   (every email the system sends)`]
      : []),
    `  Postgres         ${postgres.description}`,
    `  Data             ${config.dataDir}`,
    ...describeSeed(seeded, `${api}/graphql`),
    'Press Ctrl-C to stop everything.',
    '',
  ];
  for (const line of lines) say(line || ' ');
}

/** Where the metrics and traces are (docs/observability.md). */
function metricsLines(config: Config, api: string): string[] {
  const { host, port, workerPort } = config.metrics;
  const listener = (at: number) => `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${at}/metrics`;
  const apiMetrics =
    port > 0
      ? listener(port)
      : `${api}/metrics${config.nodeEnv === 'production' ? '   (Authorization: Bearer METRICS_TOKEN)' : ''}`;
  return [
    `  API metrics      ${apiMetrics}`,
    `  Worker metrics   ${workerPort > 0 ? `${listener(workerPort)}   (with the Temporal SDK's)` : 'off (WORKER_METRICS_PORT=0)'}`,
    `  Traces           ${config.tracing.otlpEndpoint ?? 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}`,
  ];
}

main().catch((error: unknown) => {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
