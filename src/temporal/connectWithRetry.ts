import type { Logger } from '../logger.js';

/** Keeps trying to connect (capped backoff), so a worker started before Temporal waits instead of dying. */
export async function connectWithRetry<T>(
  connect: () => Promise<T>,
  log: Logger,
  address: string,
  maxDelayMs = 10_000,
): Promise<T> {
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      log.warn(`Temporal at ${address} not reachable (attempt ${attempt}), retrying in ${delay} ms`, {
        reason: error instanceof Error ? error.message : String(error),
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
