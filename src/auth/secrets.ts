import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret (refresh tokens, one-time email tokens, API keys). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Digest for high-entropy secrets. Unlike passwords they cannot be guessed, so a fast hash is as safe as a slow
 * one, and it lets a lookup be a single index probe.
 */
export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
