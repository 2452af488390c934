// The test environment: Node's, plus one rule of isolation jest does not keep by itself. A timer a test file set
// never fires after that file has finished.
//
// Why: jest runs many files one after another in the same worker process. A timer left behind by one file fires
// while the next one runs, and an error it throws is charged to that next file. The Temporal client does exactly
// this: a call still in flight when a suite tears down its server (a workflow result being awaited, say) fails
// with UNAVAILABLE, its retry interceptor schedules another attempt on a timer, and that attempt throws "Channel
// has been shut down" (the connection is closed) into whichever file runs next, which then "fails to run".
import { promisify } from 'node:util';
import { TestEnvironment } from 'jest-environment-node';

export default class IsolatedTestEnvironment extends TestEnvironment {
  /** Each timer not yet fired or cleared, with the function that clears it. */
  #pending = new Map();
  #finished = false;

  constructor(config, context) {
    super(config, context);
    const g = this.global;
    const [clearTimeout, clearInterval] = [g.clearTimeout, g.clearInterval];
    g.setTimeout = this.#tracked(g.setTimeout, clearTimeout, { repeats: false });
    g.setInterval = this.#tracked(g.setInterval, clearInterval, { repeats: true });
    // A timer cleared by the file is forgotten at once: a suite that sets and clears thousands keeps none of them.
    g.clearTimeout = this.#forgetting(clearTimeout);
    g.clearInterval = this.#forgetting(clearInterval);
  }

  #forgetting(cancel) {
    return (timer) => {
      this.#pending.delete(timer);
      return cancel(timer);
    };
  }

  /** A scheduling function like `schedule` whose timers are remembered until they fire or are cleared. */
  #tracked(schedule, cancel, { repeats }) {
    const tracked = (callback, ms, ...args) => {
      if (typeof callback !== 'function') return schedule(callback, ms, ...args);
      const timer = schedule(
        (...callbackArgs) => {
          if (!repeats) this.#pending.delete(timer);
          return callback(...callbackArgs);
        },
        ms,
        ...args,
      );
      // Scheduled after the file finished (a retry reacting to the server the file just stopped): never runs.
      if (this.#finished) cancel(timer);
      else this.#pending.set(timer, cancel);
      return timer;
    };
    if (schedule[promisify.custom]) tracked[promisify.custom] = schedule[promisify.custom];
    return tracked;
  }

  async teardown() {
    this.#finished = true;
    for (const [timer, cancel] of this.#pending) cancel(timer);
    this.#pending.clear();
    await super.teardown();
  }
}
