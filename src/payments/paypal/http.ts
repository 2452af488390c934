// One HTTP exchange with PayPal: a timeout, JSON in and out, and network failures turned into one error type.
// Nothing here logs or echoes request headers (they carry credentials). With tracing on, each exchange is a client
// span (`paypal POST /path`).
import { inClientSpan } from '../../observability/tracing.js';

export interface PaypalResponse {
  status: number;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  body: unknown;
}

/** PayPal could not be reached, or did not answer in time. Nothing is known about the request's effect. */
export class PaypalTransportError extends Error {
  override name = 'PaypalTransportError';
  constructor(
    readonly code: 'TIMEOUT' | 'NETWORK_ERROR',
    message: string,
  ) {
    super(message);
  }
}

export async function exchange(
  fetchFn: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<PaypalResponse> {
  const path = pathOf(url);
  const attributes = { 'http.request.method': init.method, 'url.path': path, 'payment.provider': 'PAYPAL' };
  const headers = { ...init.headers };
  return inClientSpan(`paypal ${init.method} ${path}`, attributes, headers, async (span) => {
    const response = await paypalRequest(fetchFn, url, { ...init, headers }, timeoutMs);
    span?.setAttribute('http.response.status_code', response.status);
    return response;
  });
}

async function paypalRequest(
  fetchFn: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<PaypalResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, { ...init, signal });
    text = await response.text();
  } catch {
    // Our own signal says whether it was the timeout (errors may come from another realm: no instanceof).
    if (signal.aborted) {
      throw new PaypalTransportError(
        'TIMEOUT',
        `PayPal did not answer ${init.method} ${pathOf(url)} within ${timeoutMs} ms`,
      );
    }
    throw new PaypalTransportError('NETWORK_ERROR', `PayPal could not be reached for ${init.method} ${pathOf(url)}`);
  }
  return { status: response.status, body: parseJson(text) };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}
