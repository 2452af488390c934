// A paid STK prompt whose CheckoutRequestID was never recorded: Daraja accepted the push, but the worker died
// before it stored the answer (the residual risk in src/payments/mpesa/MpesaProvider.ts). Its success callback
// names an unknown CheckoutRequestID. If exactly one M-Pesa payment is still waiting for its first answer with that
// phone and amount, this is its push: the reference is recorded, so the retried activity asks Daraja about it (STK
// Query) instead of pushing a second prompt, and the money the customer paid is found.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment } from '../../entities/index.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { StkCallback } from '../mpesa/callback.js';
import { openMethod, sealingContext } from '../paymentMethods.js';
import type { MatchedPayment } from './paymentByReference.js';

export async function adoptOrphanPush(
  rootEm: EntityManager,
  cipher: FieldCipher,
  callback: StkCallback,
): Promise<MatchedPayment | null> {
  if (callback.resultCode !== 0 || callback.amount === undefined || !callback.phone) return null;
  const amount = callback.amount * 100;
  return rootEm.fork().transactional(async (em) => {
    const waiting = await em.find(
      Payment,
      { provider: 'MPESA', status: 'PENDING', providerReference: null, amount },
      { populate: ['paymentMethodSealed', 'invoice'], lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const samePhone = waiting.filter((payment) => {
      try {
        const method = openMethod(cipher, payment.paymentMethodSealed!, sealingContext.payment(payment.id));
        return method.kind === 'mpesa' && method.phone.replace(/^\+/, '') === callback.phone;
      } catch {
        return false;
      }
    });
    // Two candidates would be a guess: leave it for an operator (docs/operations.md) rather than pick one.
    if (samePhone.length !== 1) return null;
    const payment = samePhone[0]!;
    payment.providerReference = callback.checkoutRequestId;
    await em.flush();
    return { payment, subscriptionId: payment.invoice.subscription.id };
  });
}
