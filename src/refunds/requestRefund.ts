// Asks for money back on a successful payment. The refund row is written, and its amount reserved on the payment,
// in one transaction under the payment's row lock (the reservation trigger and the payment's CHECK make the database
// refuse more refunded than paid, whatever the code says); the workflow that talks to the provider starts after
// the commit. The same idempotency key returns the same refund and makes sure its workflow runs: never a second one.
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordAudit } from '../audit/recordAudit.js';
import { actorOf, type Caller } from '../kernel/caller.js';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import { Payment, Refund } from '../entities/index.js';
import { requestRefundSchema, type RequestRefundInput } from './refundSchema.js';

export { requestRefundSchema, type RequestRefundInput };

/** Starts (or finds running) a refund's workflow; src/temporal/refundWorkflows.ts on the API side. */
export interface RefundStarter {
  start(refundId: string): Promise<void>;
}

export interface RefundContext {
  em: EntityManager;
  workflows: RefundStarter;
}

const REFUNDABLE_PROVIDERS = new Set(['MPESA', 'PAYPAL']);

export async function requestRefund(ctx: RefundContext, caller: Caller, input: RequestRefundInput): Promise<Refund> {
  requireScope(caller, 'write:refunds');
  const request = parseInput(requestRefundSchema, input);
  let refund: Refund;
  try {
    refund = await ctx.em.fork().transactional((em) => writeRefund(em, caller, request));
  } catch (error) {
    // Two first requests with one key, for two payments: the loser sees the winner's key taken.
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('this idempotency key was used for another refund', 'input.idempotencyKey');
    }
    throw error;
  }
  // A lost start (Temporal down) is made good by repeating the request with the same key.
  await ctx.workflows.start(refund.id);
  return refund;
}

/**
 * The refund row on `em`'s transaction, under the payment's row lock (its trigger reserves the amount there): the
 * first request's row when the key was used before for this payment. The caller starts its workflow after the commit.
 */
export async function writeRefund(
  em: EntityManager,
  caller: Caller,
  request: ReturnType<typeof requestRefundSchema.parse>,
): Promise<Refund> {
  const payment = await em.findOne(
    Payment,
    { id: request.paymentId, customer: visibleCustomers(caller) },
    // The sealed phone is lazy: a part of the payment can only be sent back to it (B2C).
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['paymentMethodSealed'] },
  );
  if (!payment) throw new NotFoundError('Payment', request.paymentId);
  const earlier = await em.findOne(Refund, { idempotencyKey: request.idempotencyKey });
  if (earlier) return sameRequest(earlier, payment);
  refusals(payment, request);
  const left = payment.amount - payment.amountRefunded;
  const amount = request.amount ?? left;
  const created = em.create(Refund, {
    payment,
    invoice: payment.invoice,
    customer: payment.customer,
    provider: payment.provider,
    amount,
    currency: payment.currency,
    mpesaMethod: payment.provider === 'MPESA' ? mpesaMethodFor(payment, amount) : null,
    status: 'PENDING',
    reason: request.reason,
    idempotencyKey: request.idempotencyKey,
    creditNoteId: request.creditNoteId ?? null,
    requestedBy: requestedBy(caller),
  });
  recordAudit(em, caller, 'refund.requested', 'Refund', created.id, {
    paymentId: payment.id,
    amount: created.amount,
    currency: created.currency,
    reason: created.reason,
  });
  await em.flush();
  return created;
}

/** The first request's refund, if this repeat asks about the same payment. */
function sameRequest(earlier: Refund, payment: Payment): Refund {
  if (earlier.payment.id !== payment.id) {
    throw new ConflictError('this idempotency key was used for a refund of another payment', 'input.idempotencyKey');
  }
  return earlier;
}

/** Every reason this payment cannot be refunded as asked, named by field and rule. Nothing is written when any holds. */
function refusals(payment: Payment, request: ReturnType<typeof requestRefundSchema.parse>): void {
  if (!REFUNDABLE_PROVIDERS.has(payment.provider)) {
    throw new ValidationError({
      'input.paymentId': `is a ${payment.provider} payment: only M-Pesa and PayPal payments can be refunded`,
    });
  }
  if (payment.status !== 'SUCCEEDED') {
    throw new ValidationError({ 'input.paymentId': `is ${payment.status}: only a SUCCEEDED payment can be refunded` });
  }
  if (request.currency && request.currency !== payment.currency) {
    throw new ValidationError({ 'input.currency': `must be the payment's currency (${payment.currency})` });
  }
  const left = payment.amount - payment.amountRefunded;
  if (left <= 0) throw new ValidationError({ 'input.paymentId': 'is already refunded in full' });
  if (request.amount != null && request.amount > left) {
    throw new ValidationError({
      'input.amount': `must be at most what is left to refund (${left} minor units of ${payment.amount} paid)`,
    });
  }
  if (payment.provider === 'MPESA' && request.amount != null && request.amount % 100 !== 0) {
    throw new ValidationError({ 'input.amount': 'must be whole shillings (a multiple of 100) for an M-Pesa payment' });
  }
  // A reversal gives back the whole transaction; anything else is sent to the phone that paid (B2C), which needs it.
  const amount = request.amount ?? left;
  if (payment.provider === 'MPESA' && mpesaMethodFor(payment, amount) === 'B2C' && !payment.paymentMethodSealed) {
    throw new ValidationError({
      'input.paymentId': payment.receiptNumber
        ? 'has no phone on record to send part of it back to: refund the whole payment (a reversal)'
        : 'has no M-Pesa receipt (its callback never came) and no phone on record: it cannot be refunded through M-Pesa',
    });
  }
  if (payment.provider === 'MPESA' && amount < MIN_B2C_CENTS && mpesaMethodFor(payment, amount) === 'B2C') {
    throw new ValidationError({ 'input.amount': 'must be at least KES 10 for an M-Pesa refund sent to the phone' });
  }
}

/** M-Pesa's B2C takes at least KES 10. */
export const MIN_B2C_CENTS = 1_000;

/**
 * Daraja's Reversal API gives back a whole transaction, once, by its receipt: the way for a first refund of all of
 * it. Part of a payment, or what is left after an earlier part, or a payment whose receipt never came, is paid to the
 * phone that paid instead (B2C, docs/refunds.md).
 */
function mpesaMethodFor(payment: Payment, amount: number): 'REVERSAL' | 'B2C' {
  const whole = amount === payment.amount && payment.amountRefunded === 0;
  return whole && payment.receiptNumber ? 'REVERSAL' : 'B2C';
}

function requestedBy(caller: Caller): string {
  const { actorType, actorId } = actorOf(caller);
  return actorId ? `${actorType}:${actorId}` : actorType;
}
