// Reading refunds: one by id, or the newest first with a filter. Refunds hang off payments, so reading them takes
// the scope payments take (read:invoices) and the caller's customer visibility: another app's refund is NOT_FOUND.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../kernel/caller.js';
import { NotFoundError } from '../kernel/errors.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import { Refund, type RefundStatus } from '../entities/index.js';
import type { PaymentProvider } from '../entities/Payment.js';

export interface RefundFilterInput {
  paymentId?: string | null;
  customerId?: string | null;
  status?: RefundStatus | null;
  provider?: PaymentProvider | null;
}

export const MAX_REFUNDS_PER_PAGE = 100;

export async function findRefund(em: EntityManager, caller: Caller, id: string): Promise<Refund> {
  requireScope(caller, 'read:invoices');
  const refund = await em.findOne(Refund, { id, customer: visibleCustomers(caller) });
  if (!refund) throw new NotFoundError('Refund', id);
  return refund;
}

export async function findRefunds(
  em: EntityManager,
  caller: Caller,
  filter: RefundFilterInput = {},
  first = 50,
): Promise<Refund[]> {
  requireScope(caller, 'read:invoices');
  const where: Record<string, unknown> = {
    customer: visibleCustomers(caller, filter.customerId ? { id: filter.customerId } : {}),
  };
  if (filter.paymentId) where.payment = filter.paymentId;
  if (filter.status) where.status = filter.status;
  if (filter.provider) where.provider = filter.provider;
  return em.find(Refund, where, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: Math.max(1, Math.min(first, MAX_REFUNDS_PER_PAGE)),
  });
}
