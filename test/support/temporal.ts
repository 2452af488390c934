import type { Orm } from '../../src/db/orm.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, type RuntimeOptions, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { registerSearchAttributes } from '../../src/temporal/searchAttributes.js';
import { temporalCliPath, temporalTestServerPath } from '../../src/temporal/binaries.js';
import { bundleWorkflows, createBillingWorker, type BillingWorkerOptions } from '../../src/temporal/worker.js';
import { billingSearchAttributes } from '../../src/workflows/searchAttributes.js';
import { paymentServices } from '../../src/payments/providers.js';
import { testConfig } from './config.js';

let runtimeInstalled = false;
function quietRuntime(): void {
  installTestRuntime({ logger: new DefaultLogger('WARN') });
}

/** Installs the SDK's runtime for this test file, once; a suite that needs its own (logger, metrics) calls this first. */
export function installTestRuntime(options: RuntimeOptions): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install(options);
}

/** The Java time-skipping test server: timers of days pass in milliseconds. */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const { temporal } = testConfig();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath(temporal.testServerPath) } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The real Temporal dev server (the one `npm start` runs), on a free port, with our search attributes. */
export async function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const config = testConfig();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath(config.temporal.cliPath, config.searchPath) },
      searchAttributes: billingSearchAttributes,
      log: { format: 'pretty', level: 'error' },
    },
  });
}

let bundle: Promise<WorkflowBundle> | undefined;
/** Bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflows();
  return bundle;
}

/** A worker like worker.ts builds; `env` overrides configuration (e.g. provider base URLs of test sandboxes). */
export async function billingWorker(
  env: TestWorkflowEnvironment,
  orm: Orm,
  taskQueue: string,
  configOverrides: Record<string, string> = {},
  interceptors?: BillingWorkerOptions['interceptors'],
): Promise<Worker> {
  const config = testConfig(configOverrides);
  return createBillingWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    em: orm.em,
    payments: paymentServices(config.payments),
    tax: config.billing.tax,
    workflowBundle: await workflowBundle(),
    interceptors,
  });
}
