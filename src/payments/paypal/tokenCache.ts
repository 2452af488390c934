// PayPal OAuth access tokens: fetched with client credentials, cached until a minute before they expire, shared by
// concurrent callers (one token request in flight at a time), and dropped when PayPal says a token is no longer valid.
import { AccessTokenCache, type FetchedToken } from '../accessTokenCache.js';
import { exchange } from './http.js';
import { field, stringField } from './json.js';

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

/** PayPal's token, cached (src/payments/accessTokenCache.ts). */
export class PaypalTokenCache extends AccessTokenCache {
  constructor(options: TokenCacheOptions) {
    super(() => fetchPaypalToken(options), options.now);
  }
}

async function fetchPaypalToken(options: TokenCacheOptions): Promise<FetchedToken> {
  const { baseUrl, clientId, clientSecret, timeoutMs } = options;
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const response = await exchange(
    options.fetch,
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
  return { token, lifetimeMs: Number.isFinite(expiresInMs) && expiresInMs > 0 ? expiresInMs : 0 };
}
