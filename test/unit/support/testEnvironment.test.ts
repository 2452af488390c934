// The test environment keeps files apart: a timer one file set, or a retry it schedules while its server goes away,
// never fires in the file that runs after it in the same worker.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import IsolatedTestEnvironment from '../../environment.js';

function anEnvironment() {
  const config = { globalConfig: {}, projectConfig: { testEnvironmentOptions: {} } };
  const context = { console, docblockPragmas: {}, testPath: 'testEnvironment.test.ts' };
  return new IsolatedTestEnvironment(
    config as unknown as ConstructorParameters<typeof IsolatedTestEnvironment>[0],
    context as unknown as ConstructorParameters<typeof IsolatedTestEnvironment>[1],
  );
}

describe('the test environment', () => {
  it('runs a file’s timers while the file runs', async () => {
    const environment = anEnvironment();
    const fired: string[] = [];
    environment.global.setTimeout(() => fired.push('timeout'), 5);
    const interval = environment.global.setInterval(() => fired.push('interval'), 5);
    // On a loaded machine timers come late: wait for the second tick rather than a fixed time.
    for (let waited = 0; fired.filter((f) => f === 'interval').length < 2 && waited < 5_000; waited += 10) {
      await delay(10);
    }
    environment.global.clearInterval(interval);
    await environment.teardown();
    expect(fired).toContain('timeout');
    expect(fired.filter((f) => f === 'interval').length).toBeGreaterThan(1);
  });

  it('drops the timers a file left behind, and any it sets once it has finished', async () => {
    const environment = anEnvironment();
    const { setTimeout: later, setInterval: every } = environment.global;
    const fired: string[] = [];
    later(() => fired.push('left behind'), 20);
    every(() => fired.push('interval left running'), 10);
    await environment.teardown();
    later(() => fired.push('a retry after the end'), 0);
    await delay(60);
    expect(fired).toEqual([]);
  });
});
