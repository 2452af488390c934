// The digest an M-Pesa payment keeps of the phone it charges (payments.phone_digest), keyed by the keyring, so the
// callback route can find a customer's waiting payments by the PhoneNumber Daraja reports without reading any phone.
import { normalizePhone } from '../../domain/phone.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { StoredPaymentMethod } from '../paymentMethods.js';

const PURPOSE = 'mpesa-phone';

/** Digests of a phone as written anywhere (2547…, +2547…, 07…), under each key of the ring; none if not a phone. */
export function mpesaPhoneDigests(cipher: FieldCipher, phone: string): string[] {
  const e164 = normalizePhone(phone);
  return e164 ? cipher.digests(e164, PURPOSE) : [];
}

/** What a new payment stores: the active key's digest of its M-Pesa phone, or null for other methods. */
export function phoneDigestOf(cipher: FieldCipher, method: StoredPaymentMethod): string | null {
  return method.kind === 'mpesa' ? (mpesaPhoneDigests(cipher, method.phone)[0] ?? null) : null;
}
