import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { mpesaPhoneDigests, phoneDigestOf } from '../../../src/payments/mpesa/phoneDigest.js';
import { FieldCipher } from '../../../src/security/fieldCipher.js';

describe('M-Pesa phone digests', () => {
  const cipher = new FieldCipher([{ id: 'k', key: randomBytes(32) }]);

  it('digests a phone the same however Daraja or the customer wrote it, and never shows it', () => {
    const stored = phoneDigestOf(cipher, { kind: 'mpesa', phone: '+254712345678' });
    for (const written of ['254712345678', '+254712345678', '0712345678', '0712 345 678']) {
      expect(mpesaPhoneDigests(cipher, written)).toEqual([stored]);
    }
    expect(stored).not.toContain('712345678');
    expect(mpesaPhoneDigests(cipher, '254712345679')).not.toEqual([stored]);
  });

  it('has no digest for PayPal or for something that is not a phone', () => {
    expect(phoneDigestOf(cipher, { kind: 'paypal', vaultId: 'v' })).toBeNull();
    expect(mpesaPhoneDigests(cipher, 'not a phone')).toEqual([]);
  });
});
