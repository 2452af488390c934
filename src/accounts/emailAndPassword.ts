import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { ValidationError } from '../kernel/errors.js';
import { User } from '../entities/index.js';
import { consumeOneTimeToken, issueOneTimeToken } from './oneTimeTokens.js';
import { revokeAllSessions } from './sessions.js';

export async function verifyEmail(rootEm: EntityManager, token: string): Promise<User> {
  return rootEm.fork().transactional(async (em) => {
    const user = await consumeOneTimeToken(em, 'EMAIL_VERIFICATION', token);
    user.emailVerifiedAt ??= new Date();
    return user;
  });
}

/** Always answers the same way, so it cannot be used to find out which emails have accounts. */
export async function requestPasswordReset(rootEm: EntityManager, email: string): Promise<true> {
  await rootEm.fork().transactional(async (em) => {
    const user = await em.findOne(User, { email: email.trim().toLowerCase(), disabledAt: null });
    if (user) issueOneTimeToken(em, user, 'PASSWORD_RESET');
  });
  return true;
}

export async function resetPassword(rootEm: EntityManager, token: string, newPassword: string): Promise<User> {
  return rootEm.fork().transactional(async (em) => {
    const user = await consumeOneTimeToken(em, 'PASSWORD_RESET', token);
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new ValidationError({ 'input.password': problem });
    user.passwordHash = await hashPassword(newPassword);
    await revokeAllSessions(em, user.id);
    return user;
  });
}
