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

export const payInvoiceSchema = z.object({ invoiceId: z.string().uuid('must be an invoice id (UUID)') });

export async function payInvoice(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof payInvoiceSchema>,
): Promise<Invoice> {
  requireScope(caller, 'write:invoices');
  const { invoiceId } = parseInput(payInvoiceSchema, input);
  const em = rootEm.fork();
  const invoice = await em.findOne(Invoice, { id: invoiceId, customer: visibleCustomers(caller) });
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  if (invoice.status === 'PAID') throw new ConflictError('this invoice is already paid', 'input.invoiceId');
  if (invoice.status !== 'OPEN') {
    throw new ConflictError(`this invoice is ${invoice.status} and cannot be paid`, 'input.invoiceId');
  }
  const subscription = await em.findOneOrFail(Subscription, { id: invoice.subscription.id });
  if (!subscription.paymentProvider) {
    throw new ValidationError({
      'input.invoiceId': 'has no payment method to charge: add one with updatePaymentMethod first',
    });
  }

  await lifecycle.payNow(subscription.id, invoice.id);
  recordAudit(em, caller, 'invoice.pay_now_requested', 'Invoice', invoice.id);
  await em.flush();
  return invoice;
}
