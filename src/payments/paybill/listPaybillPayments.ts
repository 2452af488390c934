// Paybill payments for administrators, newest first: the unmatched queue (status UNMATCHED) to work through, or
// everything a customer paid from their phone.
import type { EntityManager } from '@mikro-orm/postgresql';
import { PaybillPayment } from '../../entities/index.js';
import type { PaybillPaymentStatus } from '../../entities/PaybillPayment.js';
import { paginate, type Page, type PageArgs } from '../../graphql/pagination.js';
import type { Caller } from '../../kernel/caller.js';
import { requireAdmin } from '../../kernel/policy.js';

export interface PaybillPaymentFilter {
  status?: PaybillPaymentStatus | null;
  customerId?: string | null;
}

export function listPaybillPayments(
  em: EntityManager,
  caller: Caller,
  filter: PaybillPaymentFilter | null | undefined,
  page: PageArgs,
): Promise<Page<PaybillPayment>> {
  requireAdmin(caller);
  const where: Record<string, unknown> = {};
  if (filter?.status) where.status = filter.status;
  if (filter?.customerId) where.customer = filter.customerId;
  return paginate(em, PaybillPayment, where, page);
}
