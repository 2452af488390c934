// Holds a chosen activity after it has done its work and before the workflow hears its result, so a test can
// deliver a signal or an Update at exactly that await point of a workflow, then let the result through.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

interface Hold {
  activity: string;
  matches: (input: unknown) => boolean;
  reached: (input: unknown) => void;
  released: Promise<void>;
}

export interface HeldActivity {
  /** Resolves with the activity's input once it has run and is being held. */
  reached: Promise<unknown>;
  /** Lets the held result reach the workflow. */
  release(): void;
}

export class ActivityGate {
  private readonly holds: Hold[] = [];

  /** Holds the next call of `activity` whose input `matches` (every call, when absent). */
  hold(activity: string, matches: (input: unknown) => boolean = () => true): HeldActivity {
    let reached!: (input: unknown) => void;
    let release!: () => void;
    const reachedPromise = new Promise<unknown>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ activity, matches, reached, released });
    return { reached: reachedPromise, release };
  }

  /** Forgets holds that were never reached. */
  clear(): void {
    this.holds.length = 0;
  }

  /** For the worker's `interceptors.activity`. */
  readonly interceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        const result = await next(input);
        const argument = input.args[0];
        const index = this.holds.findIndex((hold) => hold.activity === ctx.info.activityType && hold.matches(argument));
        if (index >= 0) {
          const [hold] = this.holds.splice(index, 1);
          hold!.reached(argument);
          await hold!.released;
        }
        return result;
      },
    },
  });
}
