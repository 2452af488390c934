// PayPal OAuth access tokens: fetched with client credentials, cached until a minute before they expire, shared by
// concurrent callers (one token request in flight at a time), and dropped when PayPal says a token is no longer valid.
import { exchange } from './http.js';
import { field, stringField } from './json.js';

const RENEW_BEFORE_EXPIRY_MS = 60_000;

/** The token endpoint refused our credentials or answered something unusable. The message never holds secrets. */
export class PaypalAuthError extends Error {
  override name = 'PaypalAuthError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`PayPal OAuth token request failed: HTTP ${status} ${code}`);
  }
}

export interface TokenCacheOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => Date;
}

interface CachedToken {
  value: string;
  renewAt: number;
}

export class PaypalTokenCache {
  private cached: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(private readonly options: TokenCacheOptions) {}

  /** A valid access token: the cached one, or a new one (shared with anyone already waiting for it). */
  async get(): Promise<string> {
    if (this.cached && this.options.now().getTime() < this.cached.renewAt) return this.cached.value;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets `token` (PayPal answered 401 for it); a newer token fetched meanwhile is kept. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { baseUrl, clientId, clientSecret, timeoutMs } = this.options;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const response = await exchange(
      this.options.fetch,
      `${baseUrl}/v1/oauth2/token`,
      {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      },
      timeoutMs,
    );
    const token = stringField(response.body, 'access_token');
    if (response.status !== 200 || token === undefined) {
      throw new PaypalAuthError(response.status, stringField(response.body, 'error') ?? 'invalid_token_response');
    }
    // expires_in is documented as a number; accept a numeric string too.
    const expiresInMs = Number(field(response.body, 'expires_in')) * 1000;
    const lifetime = Number.isFinite(expiresInMs) && expiresInMs > 0 ? expiresInMs : 0;
    // Renew a minute early; for very short-lived tokens, halfway through their life.
    const margin = Math.min(RENEW_BEFORE_EXPIRY_MS, lifetime / 2);
    this.cached = { value: token, renewAt: this.options.now().getTime() + lifetime - margin };
    return token;
  }
}
