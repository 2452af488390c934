// Pay now: the customer (or their app) asks for an open invoice to be charged at once, outside the retry
// schedule. The workflow does the charging, so a pay-now and a scheduled retry can never race into two charges;
// while a payment is still waiting for its provider, paying now asks the provider about it instead of charging again.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import { parseInput } from '../kernel/validate.js';
import { Invoice, Subscription } from '../entities/index.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import { paymentMethodFrom, paymentMethodSchema, providerOf, sealingContext, sealMethod } from './paymentMethods.js';

export const payInvoiceSchema = z.object({
  invoiceId: z.string().uuid('must be an invoice id (UUID)'),
  paymentMethod: paymentMethodSchema
    .nullish()
    .describe(
      "One-off invoices only: how to pay it now (an M-Pesa phone, or PayPal), kept on the invoice. A subscription's " +
        'invoices are paid with its own method (updatePaymentMethod).',
    ),
});

export async function payInvoice(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof payInvoiceSchema>,
  /** Seals a one-off invoice's new payment method; needed only when the input gives one. */
  cipher?: FieldCipher,
): Promise<Invoice> {
  requireScope(caller, 'write:invoices');
  const { invoiceId, paymentMethod } = parseInput(payInvoiceSchema, input);
  const em = rootEm.fork();
  const invoice = await em.findOne(Invoice, { id: invoiceId, customer: visibleCustomers(caller) });
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  if (invoice.status === 'PAID') throw new ConflictError('this invoice is already paid', 'input.invoiceId');
  if (invoice.status !== 'OPEN') {
    throw new ConflictError(`this invoice is ${invoice.status} and cannot be paid`, 'input.invoiceId');
  }
  if (invoice.subscription) {
    if (paymentMethod) {
      throw new ValidationError({
        'input.paymentMethod':
          "is for one-off invoices: a subscription's invoices are paid with its method (updatePaymentMethod)",
      });
    }
    const subscription = await em.findOneOrFail(Subscription, { id: invoice.subscription.id });
    if (!subscription.paymentProvider) throw noMethod();
    await lifecycle.payNow(subscription.id, invoice.id);
  } else {
    if (paymentMethod) {
      if (!cipher) throw new Error('payInvoice needs the cipher to keep a payment method');
      const method = paymentMethodFrom(paymentMethod, invoice.currency, 'input.paymentMethod');
      invoice.paymentProvider = providerOf(method);
      invoice.paymentMethodSealed = sealMethod(cipher, method, sealingContext.invoice(invoice.id));
      await em.flush();
    }
    if (!invoice.paymentProvider) throw noMethod();
    await lifecycle.collectOneOff(invoice.id, collectionWindowMs(invoice));
  }
  recordAudit(em, caller, 'invoice.pay_now_requested', 'Invoice', invoice.id);
  await em.flush();
  return invoice;
}

function noMethod(): ValidationError {
  return new ValidationError({
    'input.invoiceId':
      'has no payment method to charge: add one with updatePaymentMethod first (one-off invoices: give paymentMethod)',
  });
}

/** A one-off invoice is collected until its due date, and for at least a day after it is asked to be paid. */
export function collectionWindowMs(invoice: Invoice, now: Date = new Date()): number {
  return Math.max(invoice.dueAt.getTime() - now.getTime(), 24 * 60 * 60 * 1000);
}
