// Authenticated calls to PayPal's REST API: a Bearer token from the cache, `PayPal-Request-Id` on POSTs, and one
// retry with a fresh token when PayPal answers 401 (expired or revoked token).
import { exchange, type PaypalResponse } from './http.js';
import type { PaypalTokenCache } from './tokenCache.js';

export interface PaypalClientOptions {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  tokens: PaypalTokenCache;
}

export class PaypalClient {
  constructor(private readonly options: PaypalClientOptions) {}

  get(path: string): Promise<PaypalResponse> {
    return this.send('GET', path);
  }

  /**
   * POST with `PayPal-Request-Id` when given: a replay with the same id answers the original result and creates
   * nothing. Questions (verify a signature) go without one, or a replay would answer the first question again.
   */
  post(path: string, body: unknown, requestId?: string): Promise<PaypalResponse> {
    return this.send('POST', path, JSON.stringify(body), requestId);
  }

  private async send(method: string, path: string, body?: string, requestId?: string): Promise<PaypalResponse> {
    const first = await this.attempt(method, path, body, requestId);
    if (first.response.status !== 401) return first.response;
    this.options.tokens.invalidate(first.token);
    return (await this.attempt(method, path, body, requestId)).response;
  }

  private async attempt(
    method: string,
    path: string,
    body: string | undefined,
    requestId: string | undefined,
  ): Promise<{ token: string; response: PaypalResponse }> {
    const token = await this.options.tokens.get();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (requestId !== undefined) headers['PayPal-Request-Id'] = requestId;
    const response = await exchange(
      this.options.fetch,
      `${this.options.baseUrl}${path}`,
      { method, headers, ...(body !== undefined ? { body } : {}) },
      this.options.timeoutMs,
    );
    return { token, response };
  }
}
