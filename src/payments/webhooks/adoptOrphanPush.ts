// A paid STK prompt whose CheckoutRequestID was never recorded: Daraja accepted the push, but the worker died
// before it stored the answer (the residual risk in src/payments/mpesa/MpesaProvider.ts). Its success callback
// names an unknown CheckoutRequestID. If exactly one M-Pesa payment is still waiting for its first answer with that
// phone and amount, this is its push: the reference is recorded, so the retried activity asks Daraja about it (STK
// Query) instead of pushing a second prompt, and the money the customer paid is found.
//
// Under load this route runs next to every charge being recorded, so it must neither lock nor read much: the
// candidates are found without locks through the phone's digest (the payments of one customer, not every payment of
// the same price), and only the one adopted is locked, in the order every writer uses (subscription, then invoice,
// then payment), then checked again. Locking all same-amount payments, joined to their invoices, deadlocked.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockInvoice } from '../../billing/changes/lockInvoice.js';
import { Payment } from '../../entities/index.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { StkCallback } from '../mpesa/callback.js';
import { mpesaPhoneDigests } from '../mpesa/phoneDigest.js';
import { openMethod, sealingContext } from '../paymentMethods.js';
import type { MatchedPayment } from './paymentByReference.js';

export async function adoptOrphanPush(
  rootEm: EntityManager,
  cipher: FieldCipher,
  callback: StkCallback,
): Promise<MatchedPayment | null> {
  if (callback.resultCode !== 0 || callback.amount === undefined || !callback.phone) return null;
  const amount = callback.amount * 100;
  const digests = mpesaPhoneDigests(cipher, callback.phone);
  if (digests.length === 0) return null;

  const candidates = await waitingWithPhone(rootEm.fork(), cipher, callback.phone, digests, amount);
  // Two candidates would be a guess: leave it for an operator (docs/operations.md) rather than pick one.
  if (candidates.length !== 1) return null;
  const [candidate] = candidates as [Payment];

  return rootEm.fork().transactional(async (em) => {
    const { subscription } = await lockInvoice(em, candidate.invoice.id);
    const payment = await em.findOneOrFail(
      Payment,
      { id: candidate.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['paymentMethodSealed'] },
    );
    // Another callback may have adopted it, or its own push been recorded, since it was read.
    if (payment.status !== 'PENDING' || payment.providerReference !== null) return null;
    payment.providerReference = callback.checkoutRequestId;
    await em.flush();
    return { payment, subscriptionId: subscription?.id ?? null };
  });
}

/** M-Pesa payments waiting for their first answer, of this amount, that charge this phone. Read without locks. */
async function waitingWithPhone(
  em: EntityManager,
  cipher: FieldCipher,
  phone: string,
  digests: string[],
  amount: number,
): Promise<Payment[]> {
  const waiting = { provider: 'MPESA' as const, status: 'PENDING' as const, providerReference: null, amount };
  const byDigest = await em.find(
    Payment,
    { ...waiting, phoneDigest: { $in: digests } },
    { populate: ['invoice'], orderBy: { id: 'asc' } },
  );
  // Payments written before phone digests existed (Migration20261203100000) have none: they are opened instead.
  // New payments always carry one, so this set only shrinks.
  const undigested = await em.find(
    Payment,
    { ...waiting, phoneDigest: null },
    { populate: ['invoice', 'paymentMethodSealed'], orderBy: { id: 'asc' } },
  );
  return [...byDigest, ...undigested.filter((payment) => charges(cipher, payment, phone))];
}

function charges(cipher: FieldCipher, payment: Payment, phone: string): boolean {
  try {
    const method = openMethod(cipher, payment.paymentMethodSealed!, sealingContext.payment(payment.id));
    return method.kind === 'mpesa' && method.phone.replace(/^\+/, '') === phone;
  } catch {
    return false;
  }
}
