// When a failed delivery is tried again: quickly at first (a receiver restarting), then further apart, for up to
// three days after the event was queued; after that the delivery has FAILED and its endpoint is marked FAILING.

/** Seconds to wait after the n-th failed attempt (1-based); the last value repeats. */
const WAITS_SECONDS = [10, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200];

export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

/** Jitter of up to a tenth spreads the retries of one endpoint's many deliveries after an outage. */
export function nextAttemptDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = WAITS_SECONDS[Math.min(failedAttempts, WAITS_SECONDS.length) - 1]! * 1000;
  return Math.round(base * (1 + random() / 10));
}

/** Whether to give up instead of scheduling another attempt. */
export function outOfTime(queuedAt: Date, now: Date): boolean {
  return now.getTime() - queuedAt.getTime() >= GIVE_UP_AFTER_MS;
}
