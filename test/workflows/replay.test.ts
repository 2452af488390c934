// Replays the workflow histories recorded in test/histories/ against the workflow code as it is now. A workflow
// that is running in production resumes by replaying its history through the new code; if the new code would have
// made different decisions (another activity, a timer fewer, a patch marker in another place), Temporal fails the
// workflow task and the subscription stops billing. This catches that before deploying, without a server.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/temporal/worker.js';
import { historyFromJSON } from '../histories/historyJson.js';

const HISTORIES_DIR = join(import.meta.dirname, '..', 'histories');
const files = readdirSync(HISTORIES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

async function load(name: string): Promise<History> {
  return historyFromJSON(await readFile(join(HISTORIES_DIR, name), 'utf8'));
}

describe('recorded workflow histories replay against the current workflow code', () => {
  let workflowBundle: WorkflowBundle;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Installed already by another suite in this worker: its logger will do.
    }
    workflowBundle = await bundleWorkflows();
  });

  const replay = (name: string, history: History) =>
    Worker.runReplayHistory({ workflowBundle, replayName: `replay-${name}` }, history, `replay-${name}`);

  it('has the recorded scenarios to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'subscription-mpesa-soft-decline.json',
        'subscription-renewal.json',
        'subscription-trial-renewal.json',
      ]),
    );
  });

  it.each(files)('%s', async (name) => {
    const history = await load(name);
    expect(history.events?.length).toBeGreaterThan(10);
    await replay(name, history);
  });

  // Without this, a replayer that accepted anything would pass the cases above.
  it('fails on nondeterminism: the same history with its first charge made by another activity', async () => {
    const history = await load('subscription-trial-renewal.json');
    const charge = history.events!.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'chargeInvoice',
    );
    charge!.activityTaskScheduledEventAttributes!.activityType!.name = 'chargeInvoiceElsewhere';
    await expect(replay('tampered', history)).rejects.toMatchObject({
      name: 'DeterminismViolationError',
      message: expect.stringMatching(/nondeterminism/),
    });
  });
});
