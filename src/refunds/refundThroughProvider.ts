// The worker's side of a refund: asking the provider to give the money back, and asking it again where that stands.
// Both are safe to run twice. PayPal's refund is keyed by PayPal-Request-Id = the refund's id, so a retried call
// returns the first refund. An M-Pesa reversal has no such key, but Daraja reverses a transaction once; a B2C payment
// (a partial refund sent to the phone) carries the refund's id as its OriginatorConversationID. Either way the
// moment of asking is committed first, and a retry that finds it asked (without the answer recorded) asks for the
// status instead of asking again: money is never sent twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment, Refund } from '../entities/index.js';
import type { PaymentProviders } from '../payments/providers.js';
import { ProviderNotConfiguredError } from '../payments/providers.js';
import type { RefundOutcome as PaypalRefundOutcome } from '../payments/paypal/PaypalProvider.js';
import { recordRefundOutcome } from './recordRefundOutcome.js';
import type { RefundOutcome, RefundProgress } from './refundOutcome.js';
import { mpesaRefundResult } from './mpesaRefundResults.js';
import { openMethod, sealingContext } from '../payments/paymentMethods.js';
import type { FieldCipher } from '../security/fieldCipher.js';

export interface RefundWorkContext {
  em: EntityManager;
  providers: PaymentProviders;
  /** Opens the phone a B2C refund is sent to (sealed on the payment). */
  cipher: FieldCipher;
}

/** The refund's provider call, the first time; a later run of it (a retry, a new worker) follows it up instead. */
export async function sendRefund(ctx: RefundWorkContext, refundId: string): Promise<RefundProgress> {
  const { refund, payment } = await load(ctx.em, refundId);
  if (refund.status !== 'PENDING') return { refundId, status: refund.status };
  if (refund.provider === 'PAYPAL') {
    const paypal = ctx.providers.PAYPAL;
    if (!paypal) throw new ProviderNotConfiguredError('PAYPAL');
    const amount = { amount: refund.amount, currency: refund.currency };
    return settle(
      ctx.em,
      refundId,
      fromPaypal(await paypal.refundCapture(payment.providerReference!, amount, refund.id)),
    );
  }
  // Asked before and answered (ids recorded): follow that reversal. Asked, answer lost: ask again; Daraja reverses a
  // transaction once, and "already reversed" is read as done (src/refunds/mpesaRefundResults.ts).
  if (refund.providerReference || (refund.mpesaMethod === 'B2C' && refund.providerRequestedAt)) {
    return checkRefund(ctx, refundId);
  }
  const mpesa = ctx.providers.MPESA;
  if (!mpesa) throw new ProviderNotConfiguredError('MPESA');
  if (refund.mpesaMethod === 'B2C') {
    const phone = paidFrom(ctx.cipher, payment);
    await markRequested(ctx.em, refundId);
    return settle(
      ctx.em,
      refundId,
      await mpesa.sendB2c({
        refundId: refund.id,
        phone,
        amount: { amount: refund.amount, currency: refund.currency },
        remarks: `Refund ${refund.id.slice(0, 8)}`,
      }),
    );
  }
  await markRequested(ctx.em, refundId);
  return settle(
    ctx.em,
    refundId,
    await mpesa.reverse({
      receiptNumber: payment.receiptNumber!,
      amount: { amount: refund.amount, currency: refund.currency },
      refundId: refund.id,
      remarks: `Refund ${refund.id.slice(0, 8)}`,
    }),
  );
}

/** Asks where a PENDING refund stands: PayPal's refund lookup; for M-Pesa, its result callback or a status query. */
export async function checkRefund(ctx: RefundWorkContext, refundId: string): Promise<RefundProgress> {
  const { refund, payment } = await load(ctx.em, refundId);
  if (refund.status !== 'PENDING') return { refundId, status: refund.status };
  if (refund.provider === 'PAYPAL') {
    const paypal = ctx.providers.PAYPAL;
    if (!paypal) throw new ProviderNotConfiguredError('PAYPAL');
    // No refund id recorded: the first call's answer was lost; repeating it (same request id) answers with it.
    if (!refund.providerReference) return sendRefund(ctx, refundId);
    return settle(ctx.em, refundId, fromPaypal(await paypal.refundStatus(refund.providerReference)));
  }
  const result = await mpesaRefundResult(ctx.em, refund);
  if (result) return settle(ctx.em, refundId, result);
  const mpesa = ctx.providers.MPESA;
  if (!mpesa) throw new ProviderNotConfiguredError('MPESA');
  // Nothing heard: ask Daraja (its answer comes to the status result route and wakes the workflow).
  // A B2C payment is asked about by its OriginatorConversationID (the refund's id), a reversal by its own ids.
  const asked = await mpesa.queryReversal({
    refundId: refund.id,
    receiptNumber: refund.mpesaMethod === 'B2C' ? null : payment.receiptNumber,
    reversal: refund.mpesaMethod === 'B2C' ? (refund.providerRequestId ?? refund.id) : refund.providerRequestId,
  });
  return settle(ctx.em, refundId, asked.kind === 'unavailable' ? asked : { kind: 'pending', providerReference: null });
}

async function load(rootEm: EntityManager, refundId: string): Promise<{ refund: Refund; payment: Payment }> {
  const em = rootEm.fork();
  const refund = await em.findOneOrFail(Refund, { id: refundId });
  const payment = await em.findOneOrFail(Payment, { id: refund.payment.id }, { populate: ['paymentMethodSealed'] });
  return { refund, payment };
}

/** The phone that paid, as Daraja wants it (2547XXXXXXXX): where a B2C refund goes. */
function paidFrom(cipher: FieldCipher, payment: Payment): string {
  const method = openMethod(cipher, payment.paymentMethodSealed!, sealingContext.payment(payment.id));
  if (method.kind !== 'mpesa') throw new Error(`payment ${payment.id} was not paid from an M-Pesa phone`);
  return method.phone.replace(/^\+/, '');
}

async function markRequested(rootEm: EntityManager, refundId: string): Promise<void> {
  await rootEm
    .fork()
    .nativeUpdate(Refund, { id: refundId, providerRequestedAt: null }, { providerRequestedAt: new Date() });
}

/** Records the outcome; `unavailable` is recorded too, then thrown so the activity retries with back-off. */
async function settle(em: EntityManager, refundId: string, outcome: RefundOutcome): Promise<RefundProgress> {
  const progress = await recordRefundOutcome(em, refundId, outcome);
  if (outcome.kind === 'unavailable') throw new Error(`refund ${refundId}: provider unavailable (${outcome.code})`);
  return progress;
}

function fromPaypal(outcome: PaypalRefundOutcome): RefundOutcome {
  switch (outcome.kind) {
    case 'refunded':
      return outcome.pending
        ? { kind: 'pending', providerReference: outcome.refundId }
        : { kind: 'succeeded', providerReference: outcome.refundId };
    case 'declined':
      return { kind: 'failed', code: outcome.code, message: outcome.message };
    case 'unavailable':
      return outcome;
  }
}
