// Works out who is calling from the request's credentials: `Authorization: Bearer <access JWT>` for people (and
// hosted checkout and portal pages, whose JWTs act for one customer),
// `X-Api-Key: <key>` (or `Authorization: Bearer <key>`) for client apps, nothing for anonymous.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from '../entities/index.js';
import type { AccessClaims, AccessTokens } from './accessTokens.js';
import type { ApiClientCaller, ApiKeyCache } from './apiKeyCache.js';
import { looksLikeApiKey } from './apiKeys.js';
import { HOSTED_SESSION_SCOPES, isScope, type Caller } from '../kernel/caller.js';
import { digest } from './secrets.js';

export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
}

/**
 * A hosted page's token: its subject names the session, and its scopes can only narrow what a hosted session may
 * do (a token signed with wider scopes still gets no more).
 */
function hostedSessionCaller(claims: AccessClaims, customerId: string): Caller {
  const sessionId = /^hosted:(.+)$/.exec(claims.sub)?.[1];
  if (!sessionId || !claims.apiClientId) throw new InvalidCredentialsError('the hosted session token is malformed');
  const scopes = claims.scopes.filter((scope) => HOSTED_SESSION_SCOPES.includes(scope));
  return { kind: 'hostedSession', sessionId, customerId, apiClientId: claims.apiClientId, scopes };
}

/** last_used_at is written at most this often per key, so the hot path does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class CallerResolver {
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    private readonly em: EntityManager,
    private readonly accessTokens: AccessTokens,
    /**
     * Keys already looked up, kept current by the event bus (src/auth/apiKeyCache.ts); null looks every key up. A
     * revoked key is refused from the first request after its event reaches this process.
     */
    readonly keys: ApiKeyCache | null = null,
  ) {}

  async resolve(headers: { authorization?: string | null; apiKey?: string | null }): Promise<Caller> {
    const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? null;
    const key = headers.apiKey?.trim() || (bearer && looksLikeApiKey(bearer) ? bearer : null);
    if (key) return this.fromApiKey(key);
    if (bearer) return this.fromAccessToken(bearer);
    if (headers.authorization) throw new InvalidCredentialsError('the Authorization header must be "Bearer <token>"');
    return { kind: 'anonymous' };
  }

  /**
   * The caller of an API key (as sent, trimmed) when it is in memory and still valid, else undefined: for the
   * entitlement fast path (src/http/entitlementFastPath.ts), which leaves any other key to the normal route.
   */
  cachedApiKey(key: string): ApiClientCaller | undefined {
    const caller = this.keys?.get(key);
    if (caller) this.touch(caller.apiKeyId, Date.now());
    return caller;
  }

  private async fromAccessToken(token: string): Promise<Caller> {
    const claims = await this.accessTokens.verify(token);
    if (!claims) throw new InvalidCredentialsError('the access token is invalid or expired; log in or refresh');
    if (claims.role === 'ADMIN') return { kind: 'user', userId: claims.sub, role: 'ADMIN', customerId: null };
    if (!claims.customerId) throw new InvalidCredentialsError('the access token names no customer');
    if (claims.role === 'HOSTED') return hostedSessionCaller(claims, claims.customerId);
    return { kind: 'user', userId: claims.sub, role: 'CUSTOMER', customerId: claims.customerId };
  }

  private async fromApiKey(key: string): Promise<Caller> {
    if (!looksLikeApiKey(key)) throw new InvalidCredentialsError('the API key is malformed');
    const cached = this.cachedApiKey(key);
    if (cached) return cached;
    const begun = this.keys?.begin() ?? 0;
    const hash = digest(key);
    const em = this.em.fork();
    const found = await em.findOne(ApiKey, { keyHash: hash, revokedAt: null }, { populate: ['apiClient'] });
    if (!found || found.apiClient.disabledAt) {
      this.keys?.delete(key);
      throw new InvalidCredentialsError('the API key is unknown or revoked');
    }
    const caller: ApiClientCaller = {
      kind: 'apiClient' as const,
      apiClientId: found.apiClient.id,
      apiKeyId: found.id,
      scopes: found.apiClient.scopes.filter(isScope),
    };
    this.keys?.store(key, caller, begun);
    this.touch(found.id, Date.now());
    return caller;
  }

  /** Records when a key was last used, at most once a minute, without holding up the request. */
  private touch(apiKeyId: string, now: number): void {
    const last = this.lastUsedWrites.get(apiKeyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWrites.set(apiKeyId, now);
    void this.em
      .fork()
      .nativeUpdate(ApiKey, { id: apiKeyId }, { lastUsedAt: new Date(now) })
      .catch(() => this.lastUsedWrites.delete(apiKeyId));
  }
}
