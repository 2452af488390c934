// Customers an operator (or an app, or a customer user: their visibility) looks for: by name or email (contains,
// trigram-indexed), phone (a full number in any form the customer could have typed, or a run of its digits),
// externalId, app, status; sorted by creation, name or email.
import type { EntityManager } from '@mikro-orm/postgresql';
import { normalizePhone } from '../domain/phone.js';
import { Customer, type CustomerStatus } from '../entities/Customer.js';
import { ValidationError } from '../kernel/errors.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { CREATED_AT, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import { containsPattern, sortedPage } from './listFilters.js';

export interface CustomerSearch {
  search?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  apiClientId?: string | null;
  status?: CustomerStatus | null;
}

export const CUSTOMER_SORTS: Record<'CREATED_AT' | 'NAME' | 'EMAIL', SortKey<Customer>> = {
  CREATED_AT,
  NAME: { name: 'NAME', column: (a) => `${a}.name`, value: (c) => c.name },
  EMAIL: { name: 'EMAIL', column: (a) => `${a}.email`, value: (c) => c.email },
};
export type CustomerSort = keyof typeof CUSTOMER_SORTS;

export function customerWhere(filter: CustomerSearch = {}): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (filter.email) where.email = filter.email.trim().toLowerCase();
  if (filter.externalId) where.externalId = filter.externalId;
  if (filter.status) where.status = filter.status;
  if (filter.apiClientId) where.apiClient = filter.apiClientId;
  if (filter.phone) where.phone = phoneCondition(filter.phone);
  if (filter.search) {
    const pattern = containsPattern('filter.search', filter.search);
    where.$or = [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }];
  }
  return where;
}

/** 0712345678, +254 712 345 678 and 254712345678 find +254712345678; "345 678" finds every phone holding 345678. */
function phoneCondition(input: string): unknown {
  const e164 = normalizePhone(input);
  if (e164) return e164;
  const digits = input.replace(/\D/g, '');
  if (digits.length < 3) throw new ValidationError({ 'filter.phone': 'must hold at least 3 digits' });
  return { $like: `%${digits}%` };
}

export function searchCustomers(
  em: EntityManager,
  caller: Caller,
  filter: CustomerSearch | null | undefined,
  page: PageArgs & { sort?: CustomerSort | null; direction?: SortDirection | null },
): Promise<Page<Customer>> {
  requireScope(caller, 'read:customers');
  return sortedPage(em, Customer, visibleCustomers(caller, customerWhere(filter ?? {})), CUSTOMER_SORTS, page);
}
