// Invoices by status, number (contains, trigram-indexed), issue date, amount (total, minor units), currency,
// customer, subscription and app; sorted by creation, issue or due date, number or total.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Invoice, type InvoiceStatus } from '../entities/Invoice.js';
import { requireScope } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { CREATED_AT, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import { containsPattern, minorUnitRange, ofVisibleCustomers, range, sortedPage } from './listFilters.js';

export interface InvoiceSearch {
  status?: InvoiceStatus | null;
  customerId?: string | null;
  subscriptionId?: string | null;
  apiClientId?: string | null;
  number?: string | null;
  currency?: string | null;
  /** Issued at or after / before. */
  from?: Date | null;
  to?: Date | null;
  /** Total at least / at most, in minor units. */
  minTotal?: number | null;
  maxTotal?: number | null;
}

export const INVOICE_SORTS: Record<'CREATED_AT' | 'ISSUED_AT' | 'DUE_AT' | 'NUMBER' | 'TOTAL', SortKey<Invoice>> = {
  CREATED_AT,
  ISSUED_AT: { name: 'ISSUED_AT', column: (a) => `${a}.issued_at`, value: (i) => i.issuedAt },
  DUE_AT: { name: 'DUE_AT', column: (a) => `${a}.due_at`, value: (i) => i.dueAt },
  NUMBER: { name: 'NUMBER', column: (a) => `${a}.number`, value: (i) => i.number },
  TOTAL: { name: 'TOTAL', column: (a) => `${a}.total`, value: (i) => i.total },
};
export type InvoiceSort = keyof typeof INVOICE_SORTS;

export function invoiceWhere(caller: Caller, filter: InvoiceSearch = {}): Record<string, unknown> {
  const where = ofVisibleCustomers(caller, filter);
  if (filter.status) where.status = filter.status;
  if (filter.subscriptionId) where.subscription = filter.subscriptionId;
  if (filter.currency) where.currency = filter.currency.trim().toUpperCase();
  if (filter.number) where.number = { $ilike: containsPattern('filter.number', filter.number) };
  const issued = range('filter.to', filter.from, filter.to);
  if (issued) where.issuedAt = issued;
  const total = minorUnitRange({ min: 'filter.minTotal', max: 'filter.maxTotal' }, filter.minTotal, filter.maxTotal);
  if (total) where.total = total;
  return where;
}

export function searchInvoices(
  em: EntityManager,
  caller: Caller,
  filter: InvoiceSearch | null | undefined,
  page: PageArgs & { sort?: InvoiceSort | null; direction?: SortDirection | null },
): Promise<Page<Invoice>> {
  requireScope(caller, 'read:invoices');
  return sortedPage(em, Invoice, invoiceWhere(caller, filter ?? {}), INVOICE_SORTS, page);
}
