// Self-service sign-up: a CUSTOMER user and the customer record they manage, created together, with an email
// verification token queued in the same transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { ConflictError, ValidationError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { Customer, User } from '../entities/index.js';
import { issueOneTimeToken } from './oneTimeTokens.js';

export const registerSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string(),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

export async function register(rootEm: EntityManager, input: z.input<typeof registerSchema>): Promise<User> {
  const data = parseInput(registerSchema, input);
  const problem = passwordProblem(data.password, data.email);
  if (problem) throw new ValidationError({ 'input.password': problem });
  const passwordHash = await hashPassword(data.password);
  return rootEm.fork().transactional(async (em) => {
    if (await em.count(User, { email: data.email }))
      throw new ConflictError('an account with this email already exists', 'input.email');
    const customer = em.create(Customer, { email: data.email, name: data.name });
    const user = em.create(User, { email: data.email, passwordHash, role: 'CUSTOMER', customer });
    issueOneTimeToken(em, user, 'EMAIL_VERIFICATION');
    recordAudit(
      em,
      { kind: 'user', userId: user.id, role: 'CUSTOMER', customerId: customer.id },
      'user.registered',
      'User',
      user.id,
    );
    return user;
  });
}

/** Operators are created by the seed or by another administrator, never by sign-up. */
export async function createAdminUser(em: EntityManager, email: string, password: string): Promise<User> {
  const normalized = email.trim().toLowerCase();
  const problem = passwordProblem(password, normalized);
  if (problem) throw new ValidationError({ password: problem });
  const existing = await em.findOne(User, { email: normalized });
  if (existing) return existing;
  const user = em.create(User, {
    email: normalized,
    passwordHash: await hashPassword(password),
    role: 'ADMIN',
    emailVerifiedAt: new Date(),
  });
  await em.flush();
  return user;
}
