import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import { projectRoot } from '../paths.js';
import { workflowTracingModule } from './tracing.js';

export const workflowsPath = join(
  import.meta.dirname,
  '..',
  'workflows',
  `index${import.meta.filename.endsWith('.ts') ? '.ts' : '.js'}`,
);
/** Written by `npm run build`, so a worker never bundles at start-up in production. */
export const prebuiltBundlePath = join(projectRoot, 'dist', 'workflow-bundle.js');
/** The same with the OpenTelemetry workflow interceptors, loaded only while tracing is on. */
export const prebuiltTracedBundlePath = join(projectRoot, 'dist', 'workflow-bundle-traced.js');

const quietLogger = new DefaultLogger('WARN');

export async function bundleWorkflows(options: { traced?: boolean } = {}): Promise<WorkflowBundle> {
  // webpack's module-by-module report is noise in every start-up log; keep warnings and errors.
  return bundleWorkflowCode({
    workflowsPath,
    logger: quietLogger,
    workflowInterceptorModules: options.traced ? [workflowTracingModule] : [],
  });
}

export async function loadWorkflowBundle(options: { traced?: boolean } = {}): Promise<WorkflowBundleOption> {
  const prebuilt = options.traced ? prebuiltTracedBundlePath : prebuiltBundlePath;
  return existsSync(prebuilt) ? { codePath: prebuilt } : bundleWorkflows(options);
}

export interface BillingWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  em: EntityManager;
  payments: ActivityDependencies['payments'];
  tax?: ActivityDependencies['tax'];
  workflowBundle: WorkflowBundleOption;
  shutdownGraceMs?: number;
  /** Around workflow and activity calls (tracing; tests that hold an activity to deliver a signal mid-flight). */
  interceptors?: WorkerOptions['interceptors'];
  /** The OpenTelemetry sink for workflow spans (src/temporal/tracing.ts), with the traced bundle. */
  sinks?: WorkerOptions['sinks'];
  /** Concurrency and cache; absent: the SDK's defaults. */
  tuning?: WorkerTuning;
}

/** How much one worker process takes on at once (configuration's `worker` settings). */
export interface WorkerTuning {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows?: number;
  /** The sticky queue's schedule-to-start timeout; absent: the SDK's 10 s. */
  stickyQueueTimeoutMs?: number;
}

/** The Worker.create options the tuning sets; the billing worker and the benchmark's ceiling worker share them. */
export function workerTuning(tuning: WorkerTuning | undefined): Partial<WorkerOptions> {
  if (!tuning) return {};
  return {
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    ...(tuning.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: tuning.maxCachedWorkflows }),
    ...(tuning.stickyQueueTimeoutMs === undefined
      ? {}
      : { stickyQueueScheduleToStartTimeout: tuning.stickyQueueTimeoutMs }),
  };
}

export function createBillingWorker(options: BillingWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities({ em: options.em, payments: options.payments, tax: options.tax }),
    shutdownGraceTime: options.shutdownGraceMs ?? 10_000,
    interceptors: options.interceptors,
    sinks: options.sinks,
    ...workerTuning(options.tuning),
  });
}
