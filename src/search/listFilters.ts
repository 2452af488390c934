// Small pieces the admin lists' filters share: conditions on SQL expressions, date and amount ranges checked and
// named by their field, and a contains-pattern safe from LIKE's wildcards.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, type Page, type PageArgs, type SortDirection, type SortKey } from '../graphql/pagination.js';
import type { Caller } from '../kernel/caller.js';
import { ValidationError } from '../kernel/errors.js';
import { visibleCustomers } from '../kernel/policy.js';

/** A condition on an SQL expression of the entity's alias, for an `$and` list. */
export function sqlCondition(expression: (alias: string) => string, params: unknown[]): Record<string, unknown> {
  return { [raw(expression, params)]: [] };
}

/** `{ $gte, $lt }` for [from, to); refused (naming the fields) when `to` is not after `from`. */
export function range<T extends Date | number>(
  field: string,
  from: T | null | undefined,
  to: T | null | undefined,
  bounds: { lower: '$gte'; upper: '$lt' | '$lte' } = { lower: '$gte', upper: '$lt' },
): Record<string, T> | null {
  if (from == null && to == null) return null;
  if (from != null && to != null && to < from) {
    throw new ValidationError({ [field]: 'must not end before it starts' });
  }
  return { ...(from != null ? { [bounds.lower]: from } : {}), ...(to != null ? { [bounds.upper]: to } : {}) };
}

/** `%text%` for ILIKE, its own %, _ and \ escaped; refused when blank. */
export function containsPattern(field: string, text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new ValidationError({ [field]: 'must not be blank' });
  return `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whole minor units, or refused naming the field. */
export function minorUnits(field: string, value: number | null | undefined): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value)) throw new ValidationError({ [field]: 'must be a whole number of minor units' });
  return value;
}

/** An inclusive range of minor units from two optional bounds, each checked by its field's name. */
export function minorUnitRange(
  fields: { min: string; max: string },
  min: number | null | undefined,
  max: number | null | undefined,
): Record<string, number> | null {
  return range(fields.max, minorUnits(fields.min, min), minorUnits(fields.max, max), {
    lower: '$gte',
    upper: '$lte',
  });
}

/** Rows hanging off a customer, narrowed to the customers the caller may see and to a customer or app asked for. */
export function ofVisibleCustomers(
  caller: Caller,
  filter: { customerId?: string | null; apiClientId?: string | null },
): Record<string, unknown> {
  const customer: Record<string, unknown> = {};
  if (filter.customerId) customer.id = filter.customerId;
  if (filter.apiClientId) customer.apiClient = filter.apiClientId;
  return { customer: visibleCustomers(caller, customer) };
}

/** A page of a list under one of its named sorts (CREATED_AT when none is asked for). */
export function sortedPage<T extends { id: string }, S extends string>(
  em: EntityManager,
  entity: new () => T,
  where: Record<string, unknown>,
  sorts: Record<S, SortKey<T>> & { CREATED_AT: SortKey<T> },
  page: PageArgs & { sort?: S | null; direction?: SortDirection | null },
): Promise<Page<T>> {
  return paginate(em, entity, where, { ...page, sort: page.sort ? sorts[page.sort] : sorts.CREATED_AT });
}
