// The ceiling's worker process: the billing worker's settings (src/temporal/worker.ts), the trivial workflow of
// bench/ceilingWorkflow.ts and a no-op activity, on the task queue named by TEMPORAL_TASK_QUEUE.
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfigOrExit } from '../src/config.js';
import { workerTuning } from '../src/temporal/worker.js';

const config = loadConfigOrExit();
Runtime.install({ logger: new DefaultLogger('WARN') });
const workflowsPath = join(
  import.meta.dirname,
  `ceilingWorkflow${import.meta.filename.endsWith('.ts') ? '.ts' : '.js'}`,
);
const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address: config.temporal.address });
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  workflowBundle,
  activities: { noop: async () => undefined },
  ...workerTuning(config.worker),
});
console.log(`worker polling task queue "${config.temporal.taskQueue}"`);
await worker.run();
await connection.close();
