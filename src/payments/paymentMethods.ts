// A subscription's payment method: what the customer chose (an M-Pesa phone, or PayPal), stored sealed, shown
// masked, and turned into what a provider charges. PayPal starts without a vault id: the first payment is
// approved by the buyer, and the capture saves the account for merchant-initiated renewals.
import { z } from 'zod';
import { ValidationError } from '../kernel/errors.js';
import { isKenyanMobile, normalizePhone } from '../domain/phone.js';
import type { PaymentProvider } from '../entities/Payment.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import { isPaypalCurrency } from './paypal/currencies.js';
import type { PaymentMethod } from './provider.js';

export type StoredPaymentMethod = { kind: 'mpesa'; phone: string } | { kind: 'paypal'; vaultId: string | null };

export const paymentMethodSchema = z.object({
  provider: z.enum(['MPESA', 'PAYPAL'], { error: 'must be MPESA or PAYPAL' }),
  phone: z
    .string()
    .max(32, 'must be at most 32 characters')
    .nullish()
    .describe('M-Pesa: the Kenyan mobile number to prompt, e.g. 0712345678.'),
});
export type PaymentMethodInput = z.input<typeof paymentMethodSchema>;

/** Validates a chosen method against the plan's currency; `path` prefixes the field names in errors. */
export function paymentMethodFrom(
  input: z.output<typeof paymentMethodSchema>,
  currency: string,
  path: string,
): StoredPaymentMethod {
  if (input.provider === 'MPESA') {
    if (currency !== 'KES') {
      throw new ValidationError({ [`${path}.provider`]: `MPESA takes KES only; this plan is billed in ${currency}` });
    }
    const phone = input.phone ? normalizePhone(input.phone) : null;
    if (!phone || !isKenyanMobile(phone)) {
      throw new ValidationError({
        [`${path}.phone`]: 'must be a Kenyan mobile number for M-Pesa, e.g. 0712345678 or +254712345678',
      });
    }
    return { kind: 'mpesa', phone };
  }
  if (!isPaypalCurrency(currency)) {
    throw new ValidationError({ [`${path}.provider`]: `PAYPAL cannot take ${currency}; pay ${currency} with MPESA` });
  }
  if (input.phone) throw new ValidationError({ [`${path}.phone`]: 'must be empty for PAYPAL' });
  return { kind: 'paypal', vaultId: null };
}

export function providerOf(method: StoredPaymentMethod): PaymentProvider {
  return method.kind === 'mpesa' ? 'MPESA' : 'PAYPAL';
}

export function labelOf(method: StoredPaymentMethod): string {
  if (method.kind === 'mpesa') return `M-Pesa •••• ${method.phone.slice(-4)}`;
  return method.vaultId ? 'PayPal (saved account)' : 'PayPal (approval at first payment)';
}

/** Where a sealed method lives; sealing binds it there (see FieldCipher). */
export const sealingContext = {
  subscription: (subscriptionId: string) => `subscriptions.payment_method:${subscriptionId}`,
  payment: (paymentId: string) => `payments.payment_method:${paymentId}`,
  invoice: (invoiceId: string) => `invoices.payment_method:${invoiceId}`,
};

export function sealMethod(cipher: FieldCipher, method: StoredPaymentMethod, context: string): string {
  return cipher.seal(JSON.stringify(method), context);
}

export function openMethod(cipher: FieldCipher, sealed: string, context: string): StoredPaymentMethod {
  const value = JSON.parse(cipher.open(sealed, context)) as StoredPaymentMethod;
  if (value.kind !== 'mpesa' && value.kind !== 'paypal') throw new Error('unknown stored payment method');
  return value;
}

/** Buyer return links for PayPal approvals: this API's own routes (src/http/paypalReturn.ts). */
export function paypalReturnUrls(publicUrl: string): { returnUrl: string; cancelUrl: string } {
  return { returnUrl: `${publicUrl}/payments/paypal/return`, cancelUrl: `${publicUrl}/payments/paypal/cancel` };
}

export function chargeMethodFor(method: StoredPaymentMethod, publicUrl: string): PaymentMethod {
  if (method.kind === 'mpesa') return { kind: 'mpesa', phone: method.phone };
  if (method.vaultId) return { kind: 'paypalVault', vaultId: method.vaultId };
  return { kind: 'paypalApproval', ...paypalReturnUrls(publicUrl) };
}
