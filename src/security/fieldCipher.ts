// Encryption at rest for payment references (M-Pesa phone numbers, PayPal vault ids): AES-256-GCM with a keyring.
// The first key seals new values; every key in the ring opens old ones, so a key is rotated by putting a new key
// first, re-sealing (or letting writes re-seal over time), and only then removing the old key. Each value is bound
// to where it lives (the `context`, e.g. "subscriptions.payment_method:<id>"), so a sealed value copied into
// another row does not open there.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** Parses `id:base64key,id:base64key` (first = the key that seals). Messages never include key material. */
export function parseKeyring(text: string): EncryptionKey[] {
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!KEY_ID.test(id)) throw new KeyringError(`key ${index + 1} must look like <id>:<base64 of 32 bytes>`);
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new KeyringError(`key "${id}" must be 32 bytes, base64-encoded`);
      return { id, key };
    });
  if (keys.length === 0) throw new KeyringError('needs at least one key');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new KeyringError('key ids must be unique');
  return keys;
}

export class FieldCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new KeyringError('needs at least one key');
    this.active = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [VERSION, this.active.id, ...parts].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, iv, tag, body, ...rest] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined || rest.length > 0) {
      throw new KeyringError('not a sealed value');
    }
    const key = this.byId.get(keyId);
    if (!key) throw new KeyringError(`sealed with key "${keyId}", which is not in the keyring`);
    // Without a fixed tag length Node accepts a truncated tag, which would make forgery far cheaper.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyringError('sealed value does not open here (tampered, moved, or a different key)');
    }
  }

  /**
   * Keyed digests of `value` for `purpose` (HMAC-SHA256 with a key derived from each key of the ring, the active
   * key's first), to find rows by a value that is stored only sealed: write the first, look up with all of them, so
   * rows written before a rotation are still found. Without the keys a digest reveals nothing; with them, a small
   * space such as phone numbers could be enumerated, which is why it is keyed at all (a plain hash would not do).
   */
  digests(value: string, purpose: string): string[] {
    return [
      this.active,
      ...[...this.byId].filter(([id]) => id !== this.active.id).map(([id, key]) => ({ id, key })),
    ].map(({ id, key }) => {
      const digestKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `field-digest:${purpose}`, 32));
      return `${id}.${createHmac('sha256', digestKey).update(value, 'utf8').digest('base64url')}`;
    });
  }

  /** True when the value was sealed with a key other than the active one (a rotation still to finish). */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.active.id;
  }
}
