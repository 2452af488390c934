// Time inside a workflow: `Date.now()` is Temporal's replay-safe clock there, not the host's.

export const DAY_MS = 24 * 60 * 60 * 1000;

export function msUntil(instant: Date | number): number {
  return (typeof instant === 'number' ? instant : instant.getTime()) - Date.now();
}

export function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

export function nowMs(): number {
  return Date.now();
}
