import { condition } from '@temporalio/workflow';

/** Runs `work` when no other change of this workflow is running; changes run in the order they asked. */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * One change at a time. Update handlers run beside the main flow: without this, a cancel's activity could commit
 * while a charge's activity is in flight, and whichever result the workflow heard last would set its status (a
 * charge read before the cancel would bring a CANCELED subscription back to life). Holding this around every
 * activity that reads or changes the subscription makes each result newer than every result heard before it.
 *
 * Tickets, not a flag: every condition is checked in the same pass, so two waiters on `!busy` could both go ahead.
 * `enabled` is false when replaying histories recorded before this existed, which ran changes side by side.
 */
export function oneAtATime(enabled: boolean): Exclusive {
  let issued = 0;
  let serving = 0;
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (!enabled) return work();
    const ticket = issued++;
    if (serving !== ticket) await condition(() => serving === ticket);
    try {
      return await work();
    } finally {
      serving++;
    }
  };
}
