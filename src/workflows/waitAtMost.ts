import { condition } from '@temporalio/workflow';

/** Waits until `done()` or `ms` passes; true when done. A non-positive wait only checks. */
export async function waitAtMost(done: () => boolean, ms: number): Promise<boolean> {
  if (done()) return true;
  if (ms <= 0) return false;
  return condition(done, ms);
}
