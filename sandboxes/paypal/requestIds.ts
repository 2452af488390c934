// PayPal-Request-Id bookkeeping: what a POST's first execution left behind, so a repeat with the same id creates
// nothing. PayPal's idempotency guide: a repeated request "returns the latest status" of what the first one did,
// and Orders v2 documents 200 OK for an idempotent replay of a request whose resource already exists. So a request
// that created or changed a resource remembers only which resource (the replay renders it as it is now, 200), and a
// business refusal (422), which left no resource, remembers its answer byte for byte.
import type { Reply } from './errors.js';

/** The resource a request created or acted on: an order (create, capture) or a refund. */
export interface ResourceRef {
  kind: 'order' | 'refund';
  id: string;
}

export type Kept = { resource: ResourceRef } | { reply: Reply & { raw: string } };

/**
 * What to keep for a request's outcome, if anything: its resource when it has one (even when the answer was lost,
 * since the effect happened), else a 2xx or 422 answer. 400/401/404 (the request never ran) and 5xx without a
 * resource (a retry must be able to go through) are not kept.
 */
export function keepFor(outcome: Reply & { resource?: ResourceRef }): Kept | undefined {
  if (outcome.resource) return { resource: outcome.resource };
  if ((outcome.status >= 200 && outcome.status < 300) || outcome.status === 422) {
    return { reply: { status: outcome.status, raw: JSON.stringify(outcome.body), headers: outcome.headers } };
  }
  return undefined;
}

export class RequestIdStore {
  private kept = new Map<string, Kept>();

  /** Keys are (path, request id): the same id on another endpoint is another request. */
  get(path: string, requestId: string): Kept | undefined {
    return this.kept.get(`${path} ${requestId}`);
  }

  set(path: string, requestId: string, kept: Kept): void {
    this.kept.set(`${path} ${requestId}`, kept);
  }

  reset(): void {
    this.kept = new Map();
  }
}
