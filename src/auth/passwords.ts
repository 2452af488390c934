// Passwords are hashed with argon2id (Node's built-in implementation) and stored in the PHC string format,
// so parameters can be raised later without breaking stored hashes.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

// OWASP's minimum argon2id configuration: 19 MiB, 2 passes, 1 lane.
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

function derive(
  password: string,
  nonce: Buffer,
  params: { memory: number; passes: number; parallelism: number; tagLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2('argon2id', { message: password, nonce, ...params }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return false;
  const [, memory, passes, parallelism, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64url');
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), {
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password123',
  '123456789',
  '1234567890',
  'qwertyuiop',
  'iloveyou',
  'letmein123',
  'welcome123',
  'admin12345',
  'passw0rd',
  'sunshine1',
  'football1',
  'monkey123',
  'dragon123',
  'abc1234567',
]);

/** The policy (NIST 800-63B style): long enough, not a known-common password, not built from the email. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 10) return 'must be at least 10 characters';
  if (password.length > 128) return 'must be at most 128 characters';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is too common';
  if (new Set(password).size < 4) return 'must use at least 4 different characters';
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) return 'must not contain your email address';
  return null;
}
