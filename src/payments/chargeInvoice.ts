// Charges an invoice: attempt N of collecting it. The attempt's payment row (with its idempotency key, derived
// from invoice and attempt) is committed before any provider is called, so a crash anywhere leaves either no
// charge or a row that the retried activity picks up and reconciles instead of charging again.
import { LockMode } from '@mikro-orm/core';
import { NotFoundError } from '../kernel/errors.js';
import { invoiceMachine } from '../domain/invoiceStatus.js';
import { statusAfterPayment } from '../domain/subscriptionStatus.js';
import { Invoice, Payment, Subscription } from '../entities/index.js';
import { advancePayment } from './advancePayment.js';
import { phoneDigestOf } from './mpesa/phoneDigest.js';
import type { ChargeResult } from './chargeResult.js';
import type { PaymentContext } from './paymentContext.js';
import { openMethod, sealingContext, sealMethod } from './paymentMethods.js';

export interface ChargeInvoiceInput {
  invoiceId: string;
  /** 1 for the first attempt, then one more per retry: the workflow counts, so a replay asks the same. */
  attempt: number;
}

export function paymentIdempotencyKey(invoiceId: string, attempt: number): string {
  return `invoice-${invoiceId}-attempt-${attempt}`;
}

type Next = { done: ChargeResult } | { advance: string };

export async function chargeInvoice(
  ctx: PaymentContext,
  { invoiceId, attempt }: ChargeInvoiceInput,
): Promise<ChargeResult> {
  const next: Next = await ctx.em.fork().transactional(async (em) => {
    const found = await em.findOne(Invoice, { id: invoiceId });
    if (!found) throw new NotFoundError('Invoice', invoiceId);
    const subscription = await em.findOneOrFail(
      Subscription,
      { id: found.subscription.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['paymentMethodSealed'] },
    );
    const invoice = await em.findOneOrFail(Invoice, { id: invoiceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const nothing = (status: ChargeResult['status']): Next => ({
      done: {
        paymentId: null,
        status,
        awaiting: null,
        hardDecline: false,
        failureCode: null,
        subscriptionStatus: subscription.status,
      },
    });
    if (invoice.status !== 'OPEN') return nothing('NOTHING_DUE');
    if (invoice.amountDue <= 0) {
      // A fully discounted period: settled without asking anyone for money.
      const before = subscription.status;
      invoiceMachine.assert(invoice.status, 'PAID');
      invoice.status = 'PAID';
      invoice.paidAt = invoice.issuedAt;
      subscription.status = statusAfterPayment(before, true);
      await em.flush();
      return nothing('NOTHING_DUE');
    }

    const existing = await em.findOne(Payment, { invoice, attempt });
    if (existing) return { advance: existing.id };
    // An earlier attempt still waiting for its answer may yet succeed: follow it rather than charge again.
    const open = await em.findOne(Payment, { invoice, status: 'PENDING' }, { orderBy: { attempt: 'desc' } });
    if (open) return { advance: open.id };
    if (!subscription.paymentProvider || !subscription.paymentMethodSealed) return nothing('NO_PAYMENT_METHOD');

    const method = openMethod(
      ctx.cipher,
      subscription.paymentMethodSealed,
      sealingContext.subscription(subscription.id),
    );
    const payment = em.create(Payment, {
      invoice,
      customer: invoice.customer,
      provider: subscription.paymentProvider,
      status: 'PENDING',
      attempt,
      amount: invoice.amountDue,
      currency: invoice.currency,
      idempotencyKey: paymentIdempotencyKey(invoice.id, attempt),
    });
    payment.paymentMethodSealed = sealMethod(ctx.cipher, method, sealingContext.payment(payment.id));
    payment.phoneDigest = phoneDigestOf(ctx.cipher, method);
    await em.flush();
    return { advance: payment.id };
  });
  return 'done' in next ? next.done : advancePayment(ctx, next.advance);
}

/** The attempt number a new, out-of-schedule charge (pay now) should use. */
export async function nextPaymentAttempt(ctx: PaymentContext, invoiceId: string): Promise<number> {
  const last = await ctx.em.fork().findOne(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'desc' } });
  return (last?.attempt ?? 0) + 1;
}
