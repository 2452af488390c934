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

export const workflowsPath = join(
  import.meta.dirname,
  '..',
  'workflows',
  `index${import.meta.filename.endsWith('.ts') ? '.ts' : '.js'}`,
);
/** Written by `npm run build`, so a worker never bundles at start-up in production. */
export const prebuiltBundlePath = join(projectRoot, 'dist', 'workflow-bundle.js');

const quietLogger = new DefaultLogger('WARN');

export async function bundleWorkflows(): Promise<WorkflowBundle> {
  // webpack's module-by-module report is noise in every start-up log; keep warnings and errors.
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}

export async function loadWorkflowBundle(): Promise<WorkflowBundleOption> {
  return existsSync(prebuiltBundlePath) ? { codePath: prebuiltBundlePath } : bundleWorkflows();
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
  /** Concurrency and cache; absent: the SDK's defaults. */
  tuning?: WorkerTuning;
}

/** How much one worker process takes on at once (configuration's `worker` settings). */
export interface WorkerTuning {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows?: number;
}

/** The Worker.create options the tuning sets; the billing worker and the benchmark's ceiling worker share them. */
export function workerTuning(tuning: WorkerTuning | undefined): Partial<WorkerOptions> {
  if (!tuning) return {};
  return {
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    ...(tuning.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: tuning.maxCachedWorkflows }),
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
    ...workerTuning(options.tuning),
  });
}
