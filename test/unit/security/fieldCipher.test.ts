import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { FieldCipher, KeyringError, parseKeyring, type EncryptionKey } from '../../../src/security/fieldCipher.js';

function aKey(id: string): EncryptionKey {
  return { id, key: randomBytes(32) };
}

/** Every spelling of a key that a careless message could leak. */
function spellingsOf(key: Buffer): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex')];
}

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const context = 'subscriptions.payment_method:7d1a3c52-3f0e-4a43-9b55-0c2f1f7a9e10';
const phone = JSON.stringify({ kind: 'mpesa', phone: '+254712345678' });

describe('FieldCipher', () => {
  const a = aKey('a');
  const b = aKey('b');

  it('opens what it sealed, and the sealed value does not show the plaintext', () => {
    const cipher = new FieldCipher([a]);
    const sealed = cipher.seal(phone, context);
    expect(sealed).toMatch(/^v1\.a\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('712345678');
    expect(cipher.open(sealed, context)).toBe(phone);
    expect(cipher.open(cipher.seal('', context), context)).toBe('');
    expect(cipher.open(cipher.seal('Wanjiku ☕ 0712', context), context)).toBe('Wanjiku ☕ 0712');
  });

  it('seals the same value differently every time (a fresh IV each seal)', () => {
    const cipher = new FieldCipher([a]);
    const sealed = Array.from({ length: 20 }, () => cipher.seal(phone, context));
    expect(new Set(sealed).size).toBe(20);
    expect(new Set(sealed.map((value) => value.split('.')[2])).size).toBe(20);
  });

  it('does not open a value in another context: copied to another row or column, it is refused', () => {
    const cipher = new FieldCipher([a]);
    const sealed = cipher.seal(phone, context);
    for (const elsewhere of [
      'subscriptions.payment_method:0b8e6f1e-5c55-4f43-8a3e-2d7c1f0e9a21',
      'payments.payment_method:7d1a3c52-3f0e-4a43-9b55-0c2f1f7a9e10',
      '',
    ]) {
      expect(() => cipher.open(sealed, elsewhere)).toThrow(
        new KeyringError('sealed value does not open here (tampered, moved, or a different key)'),
      );
    }
  });

  describe('refuses a tampered value', () => {
    const cipher = new FieldCipher([a, b]);
    const sealed = cipher.seal(phone, context);
    const parts = sealed.split('.');

    /** Flips one bit of a part's bytes: editing a base64 character could touch only padding bits. */
    function flipped(index: number, byte = 0): string {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[byte] = bytes[byte]! ^ 0x01;
      return parts.map((part, i) => (i === index ? bytes.toString('base64url') : part)).join('.');
    }

    it.each([
      ['the IV', 2],
      ['the authentication tag', 3],
      ['the ciphertext', 4],
    ])('a bit flipped in %s', (_part, index) => {
      expect(() => cipher.open(flipped(index), context)).toThrow(/does not open here/);
    });

    it('a bit flipped in the last byte of the ciphertext', () => {
      const last = Buffer.from(parts[4]!, 'base64url').length - 1;
      expect(() => cipher.open(flipped(4, last), context)).toThrow(/does not open here/);
    });

    it('the key id swapped for another key of the ring', () => {
      expect(() => cipher.open(['v1', 'b', ...parts.slice(2)].join('.'), context)).toThrow(/does not open here/);
    });

    it('the key id swapped for one not in the ring', () => {
      expect(() => cipher.open(['v1', 'zz', ...parts.slice(2)].join('.'), context)).toThrow(
        'sealed with key "zz", which is not in the keyring',
      );
    });

    it('a truncated ciphertext', () => {
      const body = Buffer.from(parts[4]!, 'base64url');
      const short = body.subarray(0, body.length - 1).toString('base64url');
      expect(() => cipher.open([...parts.slice(0, 4), short].join('.'), context)).toThrow(/does not open here/);
    });

    // Unless the tag length is pinned, Node verifies only as many tag bytes as it is given (down to 4), and a forger
    // would need ~2^32 tries instead of 2^128.
    it('a truncated authentication tag', () => {
      for (const bytes of [4, 8, 12, 15]) {
        const shortTag = Buffer.from(parts[3]!, 'base64url').subarray(0, bytes).toString('base64url');
        expect(() => cipher.open([...parts.slice(0, 3), shortTag, parts[4]].join('.'), context)).toThrow();
      }
    });

    it('another format version, a missing part or an extra one', () => {
      for (const broken of [
        ['v2', ...parts.slice(1)].join('.'),
        parts.slice(0, 4).join('.'),
        [...parts, 'extra'].join('.'),
        '',
        'not sealed at all',
      ]) {
        expect(() => cipher.open(broken, context)).toThrow(new KeyringError('not a sealed value'));
      }
    });
  });

  it('still opens values of the old key once a new key is put first, and says they need re-sealing', () => {
    const before = new FieldCipher([a]);
    const old = before.seal(phone, context);
    expect(before.needsResealing(old)).toBe(false);

    const rotated = new FieldCipher([b, a]);
    expect(rotated.open(old, context)).toBe(phone);
    expect(rotated.needsResealing(old)).toBe(true);

    const resealed = rotated.seal(rotated.open(old, context), context);
    expect(resealed.split('.')[1]).toBe('b');
    expect(rotated.needsResealing(resealed)).toBe(false);
    expect(new FieldCipher([b]).open(resealed, context)).toBe(phone);
  });

  it('names the missing key, and only its id, when a value was sealed with a key removed from the ring', () => {
    const old = new FieldCipher([a]).seal(phone, context);
    const error = caught(() => new FieldCipher([b]).open(old, context));
    expect(error).toBeInstanceOf(KeyringError);
    expect(error.message).toBe('sealed with key "a", which is not in the keyring');
    for (const secret of [...spellingsOf(a.key), ...spellingsOf(b.key)]) {
      expect(error.message).not.toContain(secret);
      expect(String(error.stack)).not.toContain(secret);
    }
  });

  it('needs at least one key', () => {
    expect(() => new FieldCipher([])).toThrow(new KeyringError('needs at least one key'));
  });
});

describe('parseKeyring', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('keeps the order (the first key seals) and ignores blanks around entries', () => {
    const keys = parseKeyring(` new_2:${k1.toString('base64')} , ,old-1:${k2.toString('base64')}, `);
    expect(keys.map((key) => key.id)).toEqual(['new_2', 'old-1']);
    expect(keys[0]!.key.equals(k1)).toBe(true);
    expect(keys[1]!.key.equals(k2)).toBe(true);
    const sealed = new FieldCipher(keys).seal('x', context);
    expect(sealed.split('.')[1]).toBe('new_2');
  });

  it.each([
    ['a key without an id', () => k1.toString('base64'), 'key 1 must look like <id>:<base64 of 32 bytes>'],
    ['an empty id', () => `:${k1.toString('base64')}`, 'key 1 must look like <id>:<base64 of 32 bytes>'],
    ['an id with spaces', () => `my key:${k1.toString('base64')}`, 'key 1 must look like <id>:<base64 of 32 bytes>'],
    ['an id over 32 characters', () => `${'k'.repeat(33)}:${k1.toString('base64')}`, 'key 1 must look like'],
    [
      'a bad id in the second entry',
      () => `ok:${k1.toString('base64')},bad.id:${k2.toString('base64')}`,
      'key 2 must look like <id>:<base64 of 32 bytes>',
    ],
    ['a 16-byte key', () => `k1:${k1.subarray(0, 16).toString('base64')}`, 'key "k1" must be 32 bytes, base64-encoded'],
    ['a 31-byte key', () => `k1:${k1.subarray(0, 31).toString('base64')}`, 'key "k1" must be 32 bytes, base64-encoded'],
    ['a 64-byte key', () => `k1:${Buffer.concat([k1, k2]).toString('base64')}`, 'key "k1" must be 32 bytes'],
    ['a hex key', () => `k1:${k1.toString('hex')}`, 'key "k1" must be 32 bytes, base64-encoded'],
    ['an empty key', () => 'k1:', 'key "k1" must be 32 bytes, base64-encoded'],
    ['duplicate ids', () => `k1:${k1.toString('base64')},k1:${k2.toString('base64')}`, 'key ids must be unique'],
    ['an empty keyring', () => '', 'needs at least one key'],
    ['only separators', () => ' , ,', 'needs at least one key'],
  ])('refuses %s without echoing the key', (_case, text, message) => {
    const error = caught(() => parseKeyring(text()));
    expect(error).toBeInstanceOf(KeyringError);
    expect(error.message).toContain(message);
    for (const secret of [...spellingsOf(k1), ...spellingsOf(k2), k1.subarray(0, 16).toString('base64')]) {
      expect(error.message).not.toContain(secret);
    }
  });
});

describe('FieldCipher.digests', () => {
  const a = aKey('a');
  const b = aKey('b');

  it('gives the same digest for the same value, another for another value or purpose, and no key material', () => {
    const cipher = new FieldCipher([a]);
    const [digest] = cipher.digests('+254712345678', 'mpesa-phone');
    expect(cipher.digests('+254712345678', 'mpesa-phone')).toEqual([digest]);
    expect(cipher.digests('+254712345679', 'mpesa-phone')[0]).not.toBe(digest);
    expect(cipher.digests('+254712345678', 'another-purpose')[0]).not.toBe(digest);
    expect(digest).not.toContain('254712345678');
    for (const spelling of spellingsOf(a.key)) expect(digest).not.toContain(spelling);
    expect(new FieldCipher([aKey('a')]).digests('+254712345678', 'mpesa-phone')[0]).not.toBe(digest);
  });

  it('writes with the active key and still finds digests written under an older key of the ring', () => {
    const [before] = new FieldCipher([a]).digests('+254712345678', 'mpesa-phone');
    const rotated = new FieldCipher([b, a]).digests('+254712345678', 'mpesa-phone');
    expect(rotated).toHaveLength(2);
    expect(rotated[0]).toMatch(/^b\./);
    expect(rotated[1]).toBe(before);
  });
});
