// Short-lived access JWTs (HS256). They carry subject, role and scopes so a request needs no session lookup;
// their short life bounds how long a revoked session keeps working.
import { jwtVerify, SignJWT } from 'jose';
import type { Scope } from '../kernel/caller.js';

export interface AccessClaims {
  sub: string;
  role: 'ADMIN' | 'CUSTOMER';
  scopes: readonly Scope[];
  customerId: string | null;
}

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

  async issue(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ role: claims.role, scopes: [...claims.scopes], customerId: claims.customerId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((issuedAt + this.ttlSeconds) * 1000) };
  }

  /** The claims of a valid token, or null for anything forged, expired or malformed. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string' || (payload.role !== 'ADMIN' && payload.role !== 'CUSTOMER')) return null;
      return {
        sub: payload.sub,
        role: payload.role,
        scopes: Array.isArray(payload.scopes) ? (payload.scopes as Scope[]) : [],
        customerId: typeof payload.customerId === 'string' ? payload.customerId : null,
      };
    } catch {
      return null;
    }
  }
}
