// Payments (charge attempts) by provider, status, date, provider reference (an M-Pesa CheckoutRequestID or receipt
// number, a PayPal order or capture id), amount, customer, invoice and app; sorted by creation or amount. Seen as
// invoices are: a caller sees the payments of the customers they may see.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Payment, type PaymentStatus } from '../entities/Payment.js';
import type { PaymentProvider } from '../entities/paymentProvider.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { CREATED_AT, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import { minorUnitRange, ofVisibleCustomers, range, sortedPage } from './listFilters.js';

export interface PaymentSearch {
  provider?: PaymentProvider | null;
  status?: PaymentStatus | null;
  customerId?: string | null;
  invoiceId?: string | null;
  apiClientId?: string | null;
  /** The provider's reference or the M-Pesa receipt number, exactly. */
  reference?: string | null;
  currency?: string | null;
  /** Created at or after / before. */
  from?: Date | null;
  to?: Date | null;
  minAmount?: number | null;
  maxAmount?: number | null;
}

export const PAYMENT_SORTS: Record<'CREATED_AT' | 'AMOUNT', SortKey<Payment>> = {
  CREATED_AT,
  AMOUNT: { name: 'AMOUNT', column: (a) => `${a}.amount`, value: (p) => p.amount },
};
export type PaymentSort = keyof typeof PAYMENT_SORTS;

export function paymentWhere(caller: Caller, filter: PaymentSearch = {}): Record<string, unknown> {
  const where = ofVisibleCustomers(caller, filter);
  if (filter.provider) where.provider = filter.provider;
  if (filter.status) where.status = filter.status;
  if (filter.invoiceId) where.invoice = filter.invoiceId;
  if (filter.currency) where.currency = filter.currency.trim().toUpperCase();
  const reference = filter.reference?.trim();
  if (reference) where.$or = [{ providerReference: reference }, { receiptNumber: reference.toUpperCase() }];
  const created = range('filter.to', filter.from, filter.to);
  if (created) where.createdAt = created;
  const amount = minorUnitRange(
    { min: 'filter.minAmount', max: 'filter.maxAmount' },
    filter.minAmount,
    filter.maxAmount,
  );
  if (amount) where.amount = amount;
  return where;
}

export function searchPayments(
  em: EntityManager,
  caller: Caller,
  filter: PaymentSearch | null | undefined,
  page: PageArgs & { sort?: PaymentSort | null; direction?: SortDirection | null },
): Promise<Page<Payment>> {
  requireScope(caller, 'read:invoices');
  return sortedPage(em, Payment, paymentWhere(caller, filter ?? {}), PAYMENT_SORTS, page);
}
