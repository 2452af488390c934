// An administrator gives an UNMATCHED paybill payment to the invoice it was meant for (the customer typed a wrong or
// no account): it is applied as if it had named that invoice, the rest to the customer's balance, and audited. Only
// an unmatched payment can be assigned, once: the row is locked, so two administrators cannot both assign it.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { Invoice, PaybillPayment } from '../../entities/index.js';
import { actorOf, type Caller } from '../../kernel/caller.js';
import { ConflictError, NotFoundError } from '../../kernel/errors.js';
import { requireAdmin } from '../../kernel/policy.js';
import { parseInput } from '../../kernel/validate.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';
import { applyPaybillPayment } from './applyPaybillPayment.js';
import { owesMoney } from './paybillTarget.js';

export const assignPaybillPaymentSchema = z.object({
  paybillPaymentId: z.string().uuid('must be a paybill payment id (UUID)'),
  invoiceId: z.string().uuid('must be an invoice id (UUID)').describe('The invoice the customer meant to pay.'),
});
export type AssignPaybillPaymentInput = z.input<typeof assignPaybillPaymentSchema>;

export async function assignPaybillPayment(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: Pick<SubscriptionLifecycle, 'invoiceClosed'>,
  input: AssignPaybillPaymentInput,
  now: Date = new Date(),
): Promise<PaybillPayment> {
  requireAdmin(caller);
  const parsed = parseInput(assignPaybillPaymentSchema, input);
  const { payment, paid } = await rootEm.fork().transactional(async (em) => {
    const payment = await em.findOne(
      PaybillPayment,
      { id: parsed.paybillPaymentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!payment) throw new NotFoundError('PaybillPayment', parsed.paybillPaymentId);
    if (payment.status !== 'UNMATCHED') {
      throw new ConflictError(`paybill payment ${payment.transId} is already applied`, 'input.paybillPaymentId');
    }
    const invoice = await em.findOne(Invoice, { id: parsed.invoiceId });
    if (!invoice) throw new NotFoundError('Invoice', parsed.invoiceId);
    if (invoice.currency !== payment.currency) {
      throw new ConflictError(`invoice ${invoice.number} is billed in ${invoice.currency}, not KES`, 'input.invoiceId');
    }
    if (!owesMoney(invoice)) {
      throw new ConflictError(`invoice ${invoice.number} owes nothing (${invoice.status})`, 'input.invoiceId');
    }
    const reason = payment.unmatchedReason;
    const actor = actorOf(caller);
    const by = `${actor.actorType.toLowerCase()}:${actor.actorId}`;
    const paid = await applyPaybillPayment(em, payment, invoice.customer, invoice, by, now);
    recordAudit(em, caller, 'paybill_payment.assigned', 'PaybillPayment', payment.id, {
      transId: payment.transId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      unmatchedReason: reason,
      appliedToInvoices: payment.appliedToInvoices,
      creditedToBalance: payment.creditedToBalance,
    });
    await em.flush();
    return { payment, paid };
  });
  // After the commit: a collection retrying the invoice looks again and finds it paid.
  for (const { subscriptionId, invoiceId } of paid) await lifecycle.invoiceClosed(subscriptionId, invoiceId);
  return payment;
}
