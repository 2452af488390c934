// One Daraja HTTP exchange: sends JSON (or nothing), applies the timeout, and reads the answer as JSON without ever
// throwing for an HTTP status. Network failures and timeouts come back as values so the caller maps them to outcomes.
// Nothing here logs or echoes request headers (they carry the Basic credentials or the Bearer token). With tracing on,
// each exchange is a client span (`mpesa POST /path`, no query, no body).
import { inClientSpan } from '../../observability/tracing.js';

export type DarajaExchange =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'network'; code: 'TIMEOUT' | 'NETWORK_ERROR'; message: string };

/** The Daraja error shape `{requestId, errorCode, errorMessage}`. */
export interface DarajaError {
  requestId: string;
  errorCode: string;
  errorMessage: string;
}

export async function darajaExchange(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: 'GET' | 'POST'; authorization: string; body?: unknown; timeoutMs: number },
): Promise<DarajaExchange> {
  const headers: Record<string, string> = { authorization: init.authorization, accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const path = new URL(url).pathname;
  const attributes = { 'http.request.method': init.method, 'url.path': path, 'payment.provider': 'MPESA' };
  return inClientSpan(`mpesa ${init.method} ${path}`, attributes, headers, async (span) => {
    const exchange = await darajaRequest(fetchImpl, url, init, headers);
    if (exchange.kind === 'response') span?.setAttribute('http.response.status_code', exchange.status);
    else span?.setAttribute('error.type', exchange.code);
    return exchange;
  });
}

async function darajaRequest(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; timeoutMs: number },
  headers: Record<string, string>,
): Promise<DarajaExchange> {
  const signal = AbortSignal.timeout(init.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
    text = await response.text();
  } catch {
    if (signal.aborted) {
      return { kind: 'network', code: 'TIMEOUT', message: `M-Pesa did not answer within ${init.timeoutMs} ms` };
    }
    // The cause's message is not included: it could in principle echo the request.
    return { kind: 'network', code: 'NETWORK_ERROR', message: 'M-Pesa could not be reached' };
  }
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { kind: 'response', status: response.status, body };
}

export function asDarajaError(body: unknown): DarajaError | null {
  if (typeof body !== 'object' || body === null) return null;
  const { requestId, errorCode, errorMessage } = body as Record<string, unknown>;
  if (typeof errorCode !== 'string' || errorCode.length === 0) return null;
  return {
    requestId: typeof requestId === 'string' ? requestId : '',
    errorCode,
    errorMessage: typeof errorMessage === 'string' ? errorMessage : '',
  };
}
