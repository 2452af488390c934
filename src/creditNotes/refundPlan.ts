// Which of an invoice's payments a credit note's refund comes back through: succeeded M-Pesa and PayPal charges,
// newest first, each for what it still has unrefunded. PayPal refunds any part of a capture. M-Pesa reverses a whole
// transaction by its receipt, or sends part of one to the phone that paid (B2C: whole shillings, at least KES 10;
// docs/refunds.md), so an M-Pesa payment gives back all of it, or a part when its phone is on record. A plan that
// cannot return exactly the amount is refused before the note is written, naming what can be refunded.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment } from '../entities/index.js';
import { ValidationError } from '../kernel/errors.js';
import { MIN_B2C_CENTS } from '../refunds/requestRefund.js';

export interface RefundPiece {
  paymentId: string;
  amount: number;
}

export async function refundPlan(em: EntityManager, invoiceId: string, amount: number): Promise<RefundPiece[]> {
  if (amount === 0) return [];
  const payments = await em.find(
    Payment,
    { invoice: invoiceId, status: 'SUCCEEDED', provider: { $in: ['MPESA', 'PAYPAL'] } },
    { orderBy: { completedAt: 'desc', id: 'desc' }, populate: ['paymentMethodSealed'] },
  );
  const pieces: RefundPiece[] = [];
  let left = amount;
  for (const payment of payments) {
    const refundable = payment.amount - payment.amountRefunded;
    if (left === 0 || refundable <= 0) continue;
    if (payment.provider === 'MPESA') {
      const take = mpesaPart(payment, refundable, left);
      if (take === 0) continue;
      pieces.push({ paymentId: payment.id, amount: take });
      left -= take;
    } else {
      const take = Math.min(refundable, left);
      pieces.push({ paymentId: payment.id, amount: take });
      left -= take;
    }
  }
  if (left > 0) {
    throw new ValidationError({
      'input.refundAmount': `must be at most ${amount - left}: that is what this invoice's payments can refund through the providers (M-Pesa gives back whole shillings, part of a payment only to a phone on record); credit the rest to the balance`,
    });
  }
  return pieces;
}

/** What an M-Pesa payment can give back of `left`: all of it (a reversal or B2C), or a part by B2C; else 0. */
function mpesaPart(payment: Payment, refundable: number, left: number): number {
  const whole = refundable <= left && payment.amountRefunded === 0 && payment.receiptNumber !== null;
  if (whole) return refundable;
  if (!payment.paymentMethodSealed) return 0;
  const part = Math.min(refundable, left);
  const shillings = part - (part % 100);
  return shillings >= MIN_B2C_CENTS ? shillings : 0;
}
