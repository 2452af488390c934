// Short-lived access JWTs (HS256). They carry subject, role and scopes so a request needs no session lookup;
// their short life bounds how long a revoked session keeps working.
import { jwtVerify, SignJWT } from 'jose';
import type { Scope } from '../kernel/caller.js';

export interface AccessClaims {
  /** A user's id; for a hosted session `hosted:<session id>`. */
  sub: string;
  /** HOSTED: a hosted checkout or portal page, acting for `customerId` of app `apiClientId`. */
  role: 'ADMIN' | 'CUSTOMER' | 'HOSTED';
  scopes: readonly Scope[];
  customerId: string | null;
  apiClientId?: string | null;
}

const ROLES: readonly unknown[] = ['ADMIN', 'CUSTOMER', 'HOSTED'];

const ISSUER = 'billing-platform';
const AUDIENCE = 'billing-api';

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** `ttlSeconds` shortens (or sets) the life of this one token; sessions use the configured one. */
  async issue(
    claims: AccessClaims,
    now = new Date(),
    ttlSeconds = this.ttlSeconds,
  ): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      role: claims.role,
      scopes: [...claims.scopes],
      customerId: claims.customerId,
      ...(claims.apiClientId ? { apiClientId: claims.apiClientId } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
  }

  /** The claims of a valid token, or null for anything forged, expired or malformed. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string' || !ROLES.includes(payload.role)) return null;
      return {
        sub: payload.sub,
        role: payload.role as AccessClaims['role'],
        scopes: Array.isArray(payload.scopes) ? (payload.scopes as Scope[]) : [],
        customerId: typeof payload.customerId === 'string' ? payload.customerId : null,
        apiClientId: typeof payload.apiClientId === 'string' ? payload.apiClientId : null,
      };
    } catch {
      return null;
    }
  }
}
