// A signed-in person changes their password: they prove they know the current one, the new one meets the policy,
// and every session of theirs ends (a password changed because it leaked must lock out whoever has it). The caller
// gets a new session in the answer, so the device that made the change stays signed in.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.js';
import { User } from '../entities/index.js';
import type { Caller } from '../kernel/caller.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { requireCaller } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import { newSession, revokeAllSessions, type Session, type SessionSettings } from './sessions.js';

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'must not be empty').max(128, 'is not your current password'),
  newPassword: z.string(),
});

export async function changePassword(
  rootEm: EntityManager,
  caller: Caller,
  settings: SessionSettings,
  input: z.input<typeof changePasswordSchema>,
  now = new Date(),
): Promise<Session> {
  const known = requireCaller(caller);
  // Apps and hosted pages act for customers; only a person who signs in has a password.
  if (known.kind !== 'user') throw new ForbiddenError('only a signed-in person has a password to change');
  const data = parseInput(changePasswordSchema, input);
  const em = rootEm.fork();
  const user = await em.findOne(User, { id: known.userId, disabledAt: null }, { populate: ['customer'] });
  if (!user) throw new NotFoundError('User', known.userId);
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    throw new ValidationError({ 'input.currentPassword': 'is not your current password' });
  }
  const problem =
    data.newPassword === data.currentPassword
      ? 'must differ from your current password'
      : passwordProblem(data.newPassword, user.email);
  if (problem) throw new ValidationError({ 'input.newPassword': problem });
  const passwordHash = await hashPassword(data.newPassword);
  return em.transactional(async (tx) => {
    await tx.nativeUpdate(User, { id: user.id }, { passwordHash });
    await revokeAllSessions(tx, user.id, now);
    recordAudit(tx, caller, 'user.password_changed', 'User', user.id);
    return newSession(tx, settings, user, now);
  });
}
