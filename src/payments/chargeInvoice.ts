// Charges an invoice: attempt N of collecting it. The attempt's payment row (with its idempotency key, derived
// from invoice and attempt) is committed before any provider is called, so a crash anywhere leaves either no
// charge or a row that the retried activity picks up and reconciles instead of charging again.
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockInvoice } from '../billing/changes/lockInvoice.js';
import { markPaidIfSettled } from '../billing/changes/settleInvoice.js';
import { Payment, type Invoice, type Subscription } from '../entities/index.js';
import type { PaymentProvider } from '../entities/Payment.js';
import { advancePayment, askProvider } from './advancePayment.js';
import { phoneDigestOf } from './mpesa/phoneDigest.js';
import type { ChargeResult } from './chargeResult.js';
import type { PaymentContext } from './paymentContext.js';
import { openMethod, sealingContext, sealMethod, type StoredPaymentMethod } from './paymentMethods.js';

export interface ChargeInvoiceInput {
  invoiceId: string;
  /** 1 for the first attempt, then one more per retry: the workflow counts, so a replay asks the same. */
  attempt: number;
}

export function paymentIdempotencyKey(invoiceId: string, attempt: number): string {
  return `invoice-${invoiceId}-attempt-${attempt}`;
}

type Next = { done: ChargeResult } | { advance: string } | { fresh: FreshCharge };

export async function chargeInvoice(
  ctx: PaymentContext,
  { invoiceId, attempt }: ChargeInvoiceInput,
): Promise<ChargeResult> {
  const next: Next = await ctx.em.fork().transactional(async (em) => {
    const { subscription, invoice } = await lockInvoice(em, invoiceId);
    const nothing = (status: ChargeResult['status']): Next => ({
      done: {
        paymentId: null,
        status,
        awaiting: null,
        hardDecline: false,
        failureCode: null,
        subscriptionStatus: subscription?.status ?? null,
      },
    });
    if (invoice.status !== 'OPEN') return nothing('NOTHING_DUE');
    if (invoice.amountRemaining <= 0) {
      // A fully discounted period, or one settled by credit notes and offline payments: nothing to ask for.
      markPaidIfSettled(invoice, subscription, invoice.issuedAt);
      await em.flush();
      return nothing('NOTHING_DUE');
    }

    const existing = await em.findOne(Payment, { invoice, attempt });
    if (existing) return { advance: existing.id };
    // An earlier attempt still waiting for its answer may yet succeed: follow it rather than charge again.
    const open = await em.findOne(Payment, { invoice, status: 'PENDING' }, { orderBy: { attempt: 'desc' } });
    if (open) return { advance: open.id };
    const stored = await storedMethodOf(em, subscription, invoice);
    if (!stored) return nothing('NO_PAYMENT_METHOD');
    return { fresh: await writeChargeAttempt(ctx, em, invoice, stored, attempt, invoice.amountRemaining) };
  });
  if ('done' in next) return next.done;
  if ('advance' in next) return advancePayment(ctx, next.advance);
  return chargeFresh(ctx, next.fresh);
}

/** A payment row this process has just committed (PENDING, never sent), with the method it was sealed from. */
export interface FreshCharge {
  payment: Payment;
  invoice: Invoice;
  method: StoredPaymentMethod;
}

/**
 * Writes attempt N's PENDING payment (its idempotency key, its own sealed copy of the method) on `em`'s transaction,
 * which the caller commits before any provider is called.
 */
export async function writeChargeAttempt(
  ctx: PaymentContext,
  em: EntityManager,
  invoice: Invoice,
  stored: StoredMethod,
  attempt: number,
  amount: number,
): Promise<FreshCharge> {
  const method = openMethod(ctx.cipher, stored.sealed, stored.context);
  const payment = em.create(Payment, {
    invoice,
    customer: invoice.customer,
    provider: stored.provider,
    status: 'PENDING',
    attempt,
    amount,
    currency: invoice.currency,
    idempotencyKey: paymentIdempotencyKey(invoice.id, attempt),
  });
  payment.paymentMethodSealed = sealMethod(ctx.cipher, method, sealingContext.payment(payment.id));
  payment.phoneDigest = phoneDigestOf(ctx.cipher, method);
  await em.flush();
  return { payment, invoice, method };
}

/**
 * The provider step for a payment just committed: the rows and the opened method are at hand, so they are not read
 * and decrypted again (advancePayment would find the same PENDING row without a provider reference).
 */
export function chargeFresh(ctx: PaymentContext, { payment, invoice, method }: FreshCharge): Promise<ChargeResult> {
  return askProvider(ctx, payment, invoice, () => method);
}

/** The attempt number a new, out-of-schedule charge (pay now) should use. */
export async function nextPaymentAttempt(ctx: PaymentContext, invoiceId: string): Promise<number> {
  const last = await ctx.em.fork().findOne(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'desc' } });
  return (last?.attempt ?? 0) + 1;
}

export interface StoredMethod {
  provider: PaymentProvider;
  sealed: string;
  context: string;
}

/** What to charge: the subscription's payment method, or a one-off invoice's own. */
export async function storedMethodOf(
  em: EntityManager,
  subscription: Subscription | null,
  invoice: Invoice,
): Promise<StoredMethod | null> {
  if (subscription) {
    await em.populate(subscription, ['paymentMethodSealed']);
    const { paymentProvider: provider, paymentMethodSealed: sealed } = subscription;
    return provider && sealed ? { provider, sealed, context: sealingContext.subscription(subscription.id) } : null;
  }
  await em.populate(invoice, ['paymentMethodSealed']);
  const { paymentProvider: provider, paymentMethodSealed: sealed } = invoice;
  return provider && sealed ? { provider, sealed, context: sealingContext.invoice(invoice.id) } : null;
}
