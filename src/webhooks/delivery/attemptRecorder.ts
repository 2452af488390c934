// Collects attempts finished at about the same time and records them in one statement (recordAttempts): under
// load, a round trip per delivery, not the HTTP calls, is what limits a worker's delivery rate.
import type pg from 'pg';
import { recordAttempts, type AttemptRecord } from './deliveryStore.js';

const MAX_BATCH = 100;

export function attemptRecorder(pool: pg.Pool) {
  let waiting: { record: AttemptRecord; done: (error?: unknown) => void }[] = [];
  let flushing = false;

  // One batch at a time: what finishes meanwhile joins the next one, so batches grow with the load.
  const flush = async () => {
    if (flushing || waiting.length === 0) return;
    flushing = true;
    const batch = waiting.slice(0, MAX_BATCH);
    waiting = waiting.slice(MAX_BATCH);
    try {
      await recordAttempts(
        pool,
        batch.map((entry) => entry.record),
      );
      for (const entry of batch) entry.done();
    } catch (error) {
      for (const entry of batch) entry.done(error);
    } finally {
      flushing = false;
      void flush();
    }
  };

  return {
    /** Resolves once the attempt is recorded (rejects if the batch failed: the lease then runs out, and it is retried). */
    record(record: AttemptRecord): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
        queueMicrotask(() => void flush());
      });
    },
  };
}
