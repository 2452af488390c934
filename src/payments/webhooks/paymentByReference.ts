import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment } from '../../entities/index.js';
import type { PaymentProvider } from '../../entities/Payment.js';

export interface MatchedPayment {
  payment: Payment;
  /** Null for a one-off invoice's payment. */
  subscriptionId: string | null;
}

/** The payment a provider's delivery is about, by the references the provider knows it by. */
export async function paymentByReference(
  em: EntityManager,
  provider: PaymentProvider,
  references: string[],
): Promise<MatchedPayment | null> {
  const wanted = references.filter(Boolean);
  if (wanted.length === 0) return null;
  const payment = await em.findOne(
    Payment,
    { provider, providerReference: { $in: wanted } },
    { populate: ['invoice', 'paymentMethodSealed'] },
  );
  return payment ? { payment, subscriptionId: payment.invoice.subscription?.id ?? null } : null;
}
