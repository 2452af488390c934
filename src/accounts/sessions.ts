// Sessions: a short-lived access JWT plus a refresh token that rotates on every use. Presenting a refresh token
// that was already used means it was copied: the whole family (every token descended from that login) dies.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessTokens } from '../auth/accessTokens.js';
import { verifyPassword } from '../auth/passwords.js';
import { CUSTOMER_USER_SCOPES, SCOPES } from '../kernel/caller.js';
import { digest, randomSecret } from '../auth/secrets.js';
import { UnauthenticatedError } from '../kernel/errors.js';
import { RefreshToken, User } from '../entities/index.js';

export interface SessionSettings {
  accessTokens: AccessTokens;
  refreshTokenTtlDays: number;
}

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

// Verifying against a real hash when the email is unknown keeps response times from revealing which emails exist.
const DECOY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0GyKZ6yxk6Yyqk4ivbPCE1v3Jy4m5Hq1lqu8o3cK3uE';

async function openSession(
  em: EntityManager,
  settings: SessionSettings,
  user: User,
  familyId: string,
  now: Date,
): Promise<Session> {
  const refreshToken = randomSecret();
  const refreshTokenExpiresAt = new Date(now.getTime() + settings.refreshTokenTtlDays * 86_400_000);
  em.create(RefreshToken, { user, familyId, tokenHash: digest(refreshToken), expiresAt: refreshTokenExpiresAt });
  const claims =
    user.role === 'ADMIN'
      ? { sub: user.id, role: 'ADMIN' as const, customerId: null }
      : { sub: user.id, role: 'CUSTOMER' as const, customerId: user.customer!.id };
  const scopes = user.role === 'ADMIN' ? SCOPES : CUSTOMER_USER_SCOPES;
  const access = await settings.accessTokens.issue({ ...claims, scopes }, now);
  await em.flush();
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
    user,
  };
}

export async function login(
  em: EntityManager,
  settings: SessionSettings,
  email: string,
  password: string,
  now = new Date(),
): Promise<Session> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase() });
  const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
  if (!user || !valid || user.disabledAt) throw new UnauthenticatedError('wrong email or password');
  return newSession(em, settings, user, now);
}

/** A session of its own (a new refresh token family), as a login opens. */
export function newSession(
  em: EntityManager,
  settings: SessionSettings,
  user: User,
  now = new Date(),
): Promise<Session> {
  return openSession(em, settings, user, randomUUID(), now);
}

export async function refreshSession(
  rootEm: EntityManager,
  settings: SessionSettings,
  refreshToken: string,
  now = new Date(),
): Promise<Session> {
  const em = rootEm.fork();
  const record = await em.findOne(RefreshToken, { tokenHash: digest(refreshToken) }, { populate: ['user'] });
  if (!record || record.revokedAt || record.expiresAt <= now || record.user.disabledAt) {
    throw new UnauthenticatedError('the refresh token is invalid or expired; log in again');
  }
  // Claim the token atomically: of two concurrent refreshes with one token, exactly one wins.
  const claimed = await em.nativeUpdate(
    RefreshToken,
    { id: record.id, usedAt: null, revokedAt: null },
    { usedAt: now },
  );
  if (claimed !== 1) {
    await em.nativeUpdate(RefreshToken, { familyId: record.familyId, revokedAt: null }, { revokedAt: now });
    throw new UnauthenticatedError(
      'this refresh token was already used: every session from that login is now signed out',
    );
  }
  return openSession(em, settings, record.user, record.familyId, now);
}

/** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
export async function logout(em: EntityManager, refreshToken: string, now = new Date()): Promise<boolean> {
  const record = await em.findOne(RefreshToken, { tokenHash: digest(refreshToken) });
  if (!record) return false;
  await em.nativeUpdate(RefreshToken, { familyId: record.familyId, revokedAt: null }, { revokedAt: now });
  return true;
}

/** After a password change every session of the user ends. */
export async function revokeAllSessions(em: EntityManager, userId: string, now = new Date()): Promise<void> {
  await em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: now });
}
