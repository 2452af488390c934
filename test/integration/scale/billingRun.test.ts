// Issue 14 in small: 100 subscriptions whose trial ends at the same instant, renewed by a real worker process
// through the M-Pesa sandbox, run by the benchmark's own code (bench/billingRunLib.ts). Only the invariants are
// asserted; the timings are the benchmark's business (npm run bench:billing-run).
import { afterAll, expect, it } from '@jest/globals';
import { runBillingRun } from '../../../bench/billingRunLib.js';
import { TEST_DATABASE_URL } from '../../support/config.js';
import { buildWorker, type WorkerBuild } from '../../support/workerProcess.js';
import { invariantsHolding } from './invariantsHolding.js';

let build: WorkerBuild | undefined;

afterAll(async () => {
  await build?.remove();
});

it('100 renewals at one instant: one invoice per subscription and period, one charge per invoice, all PAID', async () => {
  build = await buildWorker();
  const result = await runBillingRun({
    n: 100,
    databaseUrl: TEST_DATABASE_URL,
    workerEntry: build.entry,
    leadMs: 2_000,
    timeoutMs: 45_000,
    promptDelayMs: 200,
  });
  console.log(
    `100 renewals: first PAID ${result.billing.firstSeconds} s, last ${result.billing.lastSeconds} s after the instant`,
  );
  expect(result.billing.invariants).toEqual(invariantsHolding(100));
  // Building the worker (two workflow bundles) and creating 100 subscriptions take most of this on a loaded machine;
  // the renewals themselves have timeoutMs.
}, 240_000);
