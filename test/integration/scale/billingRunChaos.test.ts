// The chaos run in small (bench/billingRun.ts --chaos, issue 14): 30 subscriptions renewing at one instant while
// the worker is SIGKILLed twice and the Temporal dev server once (its state kept in a SQLite file), each started
// again at once. Nothing may be lost or done twice: one invoice per subscription and period, one successful charge
// per invoice in the sandbox's ledger, every invoice PAID. Timings are the benchmark's business.
import { afterAll, expect, it } from '@jest/globals';
import { runBillingRun } from '../../../bench/billingRunLib.js';
import { TEST_DATABASE_URL } from '../../support/config.js';
import { buildWorker, type WorkerBuild } from '../../support/workerProcess.js';
import { invariantsHolding } from './invariantsHolding.js';

let build: WorkerBuild | undefined;

afterAll(async () => {
  await build?.remove();
});

it('30 renewals through 2 worker kills and a Temporal restart: nothing lost, nothing doubled, all PAID', async () => {
  build = await buildWorker();
  const result = await runBillingRun({
    n: 30,
    databaseUrl: TEST_DATABASE_URL,
    workerEntry: build.entry,
    chaosKills: 2,
    temporalRestarts: 1,
    // Kill, restart, kill while the renewals are in flight (they take a few seconds undisturbed).
    chaosEveryMs: [700, 1200],
    leadMs: 2_000,
    timeoutMs: 60_000,
    promptDelayMs: 500,
  });
  console.log(
    `30 renewals, ${result.billing.kills} kills, ${result.billing.temporalRestarts} restart: ` +
      `first PAID ${result.billing.firstSeconds} s, last ${result.billing.lastSeconds} s after the instant`,
  );
  expect({ kills: result.billing.kills, restarts: result.billing.temporalRestarts }).toEqual({ kills: 2, restarts: 1 });
  expect(result.billing.invariants).toEqual(invariantsHolding(30));
}, 150_000);
