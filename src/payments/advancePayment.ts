// Moves one pending payment forward by asking its provider: the first call charges; later calls only ask where
// the charge stands (M-Pesa STK Query, PayPal capture of an approved order or capture lookup). A payment that has
// a provider reference is never charged again, which is what keeps a retried activity from charging twice.
import { Invoice, Payment, Subscription } from '../entities/index.js';
import type { ChargeResult } from './chargeResult.js';
import { resultOf } from './chargeResult.js';
import type { PaymentContext } from './paymentContext.js';
import { captureRequestId } from './paypal/requestIds.js';
import { chargeMethodFor, openMethod, sealingContext, type StoredPaymentMethod } from './paymentMethods.js';
import {
  InvalidPaymentMethodError,
  UnsupportedCurrencyError,
  type ChargeOutcome,
  type ChargeRequest,
} from './provider.js';
import { ProviderNotConfiguredError } from './providers.js';
import { recordChargeOutcome, type OutcomeDetails } from './recordChargeOutcome.js';

export async function advancePayment(ctx: PaymentContext, paymentId: string): Promise<ChargeResult> {
  const em = ctx.em.fork();
  // The invoice is joined into the payment's select: one round trip, not two.
  const payment = await em.findOneOrFail(Payment, { id: paymentId }, { populate: ['paymentMethodSealed', 'invoice'] });
  const invoice = payment.invoice as Invoice;
  if (payment.status !== 'PENDING') {
    const subscription = invoice.subscription
      ? await em.findOneOrFail(Subscription, { id: invoice.subscription.id })
      : null;
    return resultOf(payment, subscription?.status ?? null);
  }
  return askProvider(ctx, payment, invoice, () =>
    openMethod(ctx.cipher, payment.paymentMethodSealed!, sealingContext.payment(payment.id)),
  );
}

/**
 * The provider step of a PENDING payment whose rows the caller holds: a charge that chargeInvoice has just committed
 * hands them over (with the method it opened) instead of having them read and decrypted again.
 */
export async function askProvider(
  ctx: PaymentContext,
  payment: Payment,
  invoice: Invoice,
  methodOf: () => StoredPaymentMethod,
): Promise<ChargeResult> {
  const provider = ctx.providers[payment.provider];
  // An operator's problem, not the customer's: the activity keeps retrying (visible in the Temporal UI) until
  // the worker is configured, instead of failing the customer's payment.
  if (!provider) throw new ProviderNotConfiguredError(payment.provider);

  const method = methodOf();
  const request: ChargeRequest = {
    idempotencyKey: payment.idempotencyKey,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    amount: { amount: payment.amount, currency: payment.currency },
    description: invoice.description ?? `Invoice ${invoice.number}`,
    method: chargeMethodFor(method, ctx.publicUrl),
  };

  const details: OutcomeDetails = {};
  let outcome: ChargeOutcome;
  try {
    if (!payment.providerReference && payment.provider === 'PAYPAL' && ctx.providers.PAYPAL) {
      // A retried create may find the order approved or captured since; the adapter follows it, and a first payment
      // it captures saves the buyer's account.
      ({ outcome, vaultId: details.vaultId } = await ctx.providers.PAYPAL.placeOrder(request));
    } else if (!payment.providerReference) {
      outcome = await provider.charge(request);
    } else if (payment.provider === 'PAYPAL' && payment.approvalUrl && ctx.providers.PAYPAL) {
      ({ outcome, vaultId: details.vaultId } = await captureIfApproved(ctx.providers.PAYPAL, payment));
    } else {
      outcome = await provider.status(payment.providerReference, request);
    }
  } catch (error) {
    if (error instanceof UnsupportedCurrencyError || error instanceof InvalidPaymentMethodError) {
      outcome = { kind: 'declined', hard: true, code: 'INVALID_PAYMENT_METHOD', message: error.message };
    } else throw error;
  }
  const keys = { paymentId: payment.id, invoiceId: invoice.id, subscriptionId: invoice.subscription?.id ?? null };
  return recordChargeOutcome(ctx, keys, outcome, details);
}

/** A first PayPal payment: capture once the buyer approved (the capture vaults the account); until then, wait. */
async function captureIfApproved(
  paypal: NonNullable<PaymentContext['providers']['PAYPAL']>,
  payment: Payment,
): Promise<{ outcome: ChargeOutcome; vaultId: string | null }> {
  const orderId = payment.providerReference!;
  const captured = await paypal.captureApprovedOrder(orderId, captureRequestId(payment.idempotencyKey));
  if (captured.outcome.kind === 'declined' && captured.outcome.code === 'ORDER_NOT_APPROVED') {
    const approvalUrl = payment.approvalUrl ?? undefined;
    return {
      outcome: { kind: 'pending', awaiting: 'buyerApproval', providerReference: orderId, approvalUrl },
      vaultId: null,
    };
  }
  return captured;
}
