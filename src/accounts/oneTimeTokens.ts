import type { EntityManager } from '@mikro-orm/postgresql';
import { digest, randomSecret } from '../auth/secrets.js';
import { UnauthenticatedError } from '../kernel/errors.js';
import { OutboxMessage, User, UserToken } from '../entities/index.js';
import type { UserTokenKind } from '../entities/UserToken.js';

const LIFETIME_MS: Record<UserTokenKind, number> = {
  EMAIL_VERIFICATION: 7 * 86_400_000,
  PASSWORD_RESET: 60 * 60_000,
};

/**
 * Issues a one-time token and queues the email that carries it, in the caller's transaction. Only the digest is
 * stored; the token itself travels in the outbox message (the emails issue delivers it).
 */
export function issueOneTimeToken(em: EntityManager, user: User, kind: UserTokenKind, now = new Date()): void {
  const token = randomSecret();
  const record = em.create(UserToken, {
    user,
    kind,
    tokenHash: digest(token),
    expiresAt: new Date(now.getTime() + LIFETIME_MS[kind]),
  });
  em.create(OutboxMessage, {
    dedupeKey: `${kind}:${record.id}`,
    kind,
    recipient: user.email,
    payload: { userId: user.id, token, expiresAt: record.expiresAt.toISOString() },
  });
}

/** Marks a token used (once only: a concurrent second use finds it taken) and returns its user. */
export async function consumeOneTimeToken(
  em: EntityManager,
  kind: UserTokenKind,
  token: string,
  now = new Date(),
): Promise<User> {
  const record = await em.findOne(UserToken, { tokenHash: digest(token), kind }, { populate: ['user'] });
  if (!record || record.expiresAt <= now) throw new UnauthenticatedError('the token is invalid or has expired');
  const taken = await em.nativeUpdate(UserToken, { id: record.id, usedAt: null }, { usedAt: now });
  if (taken !== 1) throw new UnauthenticatedError('the token has already been used');
  return record.user;
}
