// Payments to refund, written directly (a paid invoice and its payment), for the refund tests: the charge itself is
// tested elsewhere, and a refund needs only a payment the provider knows (a PayPal capture, an M-Pesa receipt).
import { randomUUID } from 'node:crypto';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, Payment, Subscription } from '../../src/entities/index.js';
import type { PaymentStatus } from '../../src/domain/paymentStatus.js';
import type { Caller } from '../../src/kernel/caller.js';
import { aCustomer, admin, aPlan } from './fixtures.js';
import { sealingContext, sealMethod } from '../../src/payments/paymentMethods.js';
import { testCipher } from './config.js';

export interface PaidPaymentOptions {
  provider: 'MPESA' | 'PAYPAL';
  amount: number;
  currency: string;
  status?: PaymentStatus;
  providerReference?: string | null;
  receiptNumber?: string | null;
  /** Whose customer it is (an app's API key caller makes an app's customer). */
  owner?: Caller;
  customerId?: string;
  /** The M-Pesa phone that paid, sealed on the payment as the charge does (B2C refunds are sent to it). */
  phone?: string;
}

export async function aPaidPayment(orm: Orm, options: PaidPaymentOptions): Promise<Payment> {
  const [customer, plan] = await Promise.all([
    options.customerId ? Promise.resolve({ id: options.customerId }) : aCustomer(orm.em, options.owner ?? admin),
    aPlan(orm.em, { amount: options.amount, currency: options.currency, trialDays: 0 }),
  ]);
  const em = orm.em.fork();
  const start = new Date();
  const status = options.status ?? 'SUCCEEDED';
  const subscription = em.create(Subscription, {
    customer: customer.id,
    plan: plan.id,
    status: 'ACTIVE',
    billingAnchor: start,
  });
  const invoice = em.create(Invoice, {
    number: `REFUND-${randomUUID()}`,
    subscription,
    customer: customer.id,
    status: status === 'SUCCEEDED' ? 'PAID' : 'OPEN',
    periodIndex: 0,
    periodStart: start,
    periodEnd: new Date(start.getTime() + 30 * 86_400_000),
    currency: options.currency,
    subtotal: options.amount,
    total: options.amount,
    amountDue: options.amount,
    amountPaid: status === 'SUCCEEDED' ? options.amount : 0,
    paidAt: status === 'SUCCEEDED' ? start : null,
    issuedAt: start,
    dueAt: start,
  });
  const payment = em.create(Payment, {
    invoice,
    customer: customer.id,
    provider: options.provider,
    status,
    attempt: 1,
    amount: options.amount,
    currency: options.currency,
    idempotencyKey: `${invoice.id}:1`,
    providerReference: options.providerReference ?? null,
    receiptNumber: options.receiptNumber ?? null,
    completedAt: status === 'SUCCEEDED' ? start : null,
  });
  if (options.phone) {
    payment.paymentMethodSealed = sealMethod(
      testCipher(),
      { kind: 'mpesa', phone: options.phone },
      sealingContext.payment(payment.id),
    );
  }
  await em.flush();
  return payment;
}
