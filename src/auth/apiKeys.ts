import { digest, randomSecret } from './secrets.js';

const KEY_PATTERN = /^bk_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

/** A new key: shown to its creator once; only its digest and a recognisable prefix are stored. */
export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomSecret(6);
  const key = `bk_${prefix}_${randomSecret(32)}`;
  return { key, prefix: `bk_${prefix}`, hash: digest(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
