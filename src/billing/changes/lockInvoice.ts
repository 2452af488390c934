// Takes the row locks a change to an invoice needs, in the order every writer of these rows takes them (the charge
// activity, lifecycle changes): its subscription first, then the invoice, so two writers never deadlock. The invoice
// is read again under its lock, so what the change decides on is what the database holds.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Invoice, Subscription } from '../../entities/index.js';
import { NotFoundError } from '../../kernel/errors.js';

export async function lockInvoice(
  em: EntityManager,
  invoiceId: string,
): Promise<{ subscription: Subscription | null; invoice: Invoice }> {
  const found = await em.findOne(Invoice, { id: invoiceId });
  if (!found) throw new NotFoundError('Invoice', invoiceId);
  // A one-off invoice has no subscription: its own lock is the only one.
  const subscription = found.subscription
    ? await em.findOneOrFail(Subscription, { id: found.subscription.id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  const invoice = await em.findOneOrFail(
    Invoice,
    { id: invoiceId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  return { subscription, invoice };
}
