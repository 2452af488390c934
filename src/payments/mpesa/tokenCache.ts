// The Daraja OAuth access token: fetched with Basic consumerKey:consumerSecret, cached until a minute before it
// expires, shared by concurrent callers (one request in flight at a time), and dropped when an endpoint answers
// 404.001.03. Daraja documents a lifetime (expires_in, 3599 s) and nothing else, so every worker holds its own token
// until then; a refusal before that (clocks apart, credentials revoked) is still handled by fetching a new one.
import { AccessTokenCache, type FetchedToken } from '../accessTokenCache.js';
import { asDarajaError, darajaExchange } from './http.js';

export class MpesaTokenError extends Error {
  override name = 'MpesaTokenError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenCacheOptions {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
}

/** Daraja's token, cached (src/payments/accessTokenCache.ts). */
export class MpesaTokenCache extends AccessTokenCache {
  constructor(options: TokenCacheOptions) {
    super(() => fetchDarajaToken(options), options.now);
  }
}

async function fetchDarajaToken(options: TokenCacheOptions): Promise<FetchedToken> {
  const { baseUrl, consumerKey, consumerSecret, timeoutMs } = options;
  const basic = Buffer.from(`${consumerKey}:${consumerSecret}`, 'utf8').toString('base64');
  const exchange = await darajaExchange(options.fetch, `${baseUrl}/oauth/v1/generate?grant_type=client_credentials`, {
    method: 'GET',
    authorization: `Basic ${basic}`,
    timeoutMs,
  });
  if (exchange.kind === 'network') throw new MpesaTokenError(exchange.code, exchange.message);
  const body = exchange.body as Record<string, unknown> | undefined;
  const token = body?.access_token;
  // expires_in arrives as a string ("3599") in live traffic; accept a number too.
  const expiresIn = Number(body?.expires_in);
  if (exchange.status !== 200 || typeof token !== 'string' || token.length === 0 || !Number.isFinite(expiresIn)) {
    const error = asDarajaError(exchange.body);
    throw new MpesaTokenError(
      error?.errorCode ?? `HTTP_${exchange.status}`,
      `M-Pesa OAuth failed (HTTP ${exchange.status}${error ? `, ${error.errorCode} ${error.errorMessage}` : ''})`,
    );
  }
  return { token, lifetimeMs: expiresIn * 1000 };
}
