// Every HTTP request has an id: the caller's `X-Request-Id` when it is well formed (a proxy's or a client's, so a
// request can be followed across systems), otherwise a new UUID. It is echoed in the response and put on every log
// line written while the request is handled (src/observability/logContext.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Letters, digits and `-_.:`, 8 to 128 of them: enough for UUIDs, ULIDs and tracing ids, nothing that could forge a log line. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

const storage = new AsyncLocalStorage<string>();

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}

/** Runs `handle` with the request's id in context, after setting it on the response. */
export function withRequestId(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader('X-Request-Id', id);
  storage.run(id, handle);
}

export function currentRequestId(): string | undefined {
  return storage.getStore();
}
