// An experiment for the billing run (`--worker-node-arg=--require=$PWD/bench/noWorkflowStackTraces.cjs`), not a
// setting: in the worker's workflow threads, the Temporal SDK's promise hook is refused, so the SDK skips it (it
// warns once per thread) and workflows run without it. The hook records a stack trace, source-mapped, for every
// promise a workflow creates, for the `__stack_trace` query; the worker profile shows it as a third of the workflow
// thread's time (bench/results/billing-run-worker-profile.md). `--require` because preloads given with `--import`
// do not run in worker threads.
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- CommonJS on purpose: only --require preloads run in worker threads */
'use strict';
const { isMainThread } = require('node:worker_threads');
const v8 = require('node:v8');

if (!isMainThread) {
  v8.promiseHooks.createHook = () => {
    throw new Error('promise hooks are off in this worker (bench/noWorkflowStackTraces.cjs)');
  };
}
