// A list's state lives in the address bar: filters, the sort, and the page (the Relay cursor `after`), so a list
// can be bookmarked, shared and reloaded, and Back returns to the page before. Changing a filter or the sort starts
// again from the first page.
import { useSearchParams } from 'react-router';
import { parseDecimalAmount } from '../../../../src/domain/money.js';

export const PAGE_SIZE = 25;

export type SortDirection = 'ASC' | 'DESC';

export interface ListParams {
  /** A filter's value from the URL; '' when unset. */
  get(name: string): string;
  /** Sets (or, with '', removes) filters and goes back to the first page. */
  set(changes: Record<string, string>): void;
  sort: { field: string; direction: SortDirection } | null;
  sortBy(field: string): void;
  after: string | null;
  nextPage(cursor: string): void;
  firstPage(): void;
  /** The URL's query without the page, for links that carry the same filters elsewhere (the CSV export). */
  filterQuery(): URLSearchParams;
}

export function useListParams(): ListParams {
  const [params, setParams] = useSearchParams();
  const update = (change: (next: URLSearchParams) => void, resetPage: boolean) => {
    const next = new URLSearchParams(params);
    change(next);
    if (resetPage) next.delete('after');
    setParams(next);
  };
  const sortField = params.get('sort');
  const direction = params.get('dir') === 'ASC' ? 'ASC' : 'DESC';
  return {
    get: (name) => params.get(name) ?? '',
    set: (changes) =>
      update((next) => {
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
      }, true),
    sort: sortField ? { field: sortField, direction } : null,
    // A new column sorts descending first (newest, largest); the same column again flips the direction.
    sortBy: (field) =>
      update((next) => {
        next.set('dir', sortField === field && direction === 'DESC' ? 'ASC' : 'DESC');
        next.set('sort', field);
      }, true),
    after: params.get('after'),
    nextPage: (cursor) => update((next) => next.set('after', cursor), false),
    firstPage: () => update(() => undefined, true),
    filterQuery: () => {
      const query = new URLSearchParams(params);
      query.delete('after');
      return query;
    },
  };
}

/**
 * Whether a filter narrows the list: only then is the count of matching rows asked for. Counting a whole table of a
 * million invoices is a statement a page does not need (docs/admin-api.md: `totalCount` costs one more).
 */
export function isFiltered(filter: Record<string, unknown>): boolean {
  return Object.values(filter).some((value) => value !== undefined && value !== null && value !== '');
}

/** The API's sort arguments from the URL (none: the API's default order, newest first). */
export function sortArguments<Sort extends string>(
  list: ListParams,
  sorts: readonly Sort[],
): { sort?: Sort; direction?: SortDirection } {
  const field = list.sort?.field as Sort | undefined;
  return field && sorts.includes(field) ? { sort: field, direction: list.sort!.direction } : {};
}

/** Minor units from an amount typed in the filter (a decimal of the currency), or undefined without a currency. */
export function amountFilter(value: string, currency: string): number | undefined {
  if (!value || !/^[A-Z]{3}$/.test(currency)) return undefined;
  return parseDecimalAmount(value, currency) ?? undefined;
}

/** An ISO instant from a date input's value (start of that day, East Africa Time), or undefined. */
export function dayStart(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+03:00`).toISOString() : undefined;
}

/** The instant after the date input's day ends (East Africa Time), for an exclusive upper bound. */
export function dayEnd(value: string): string | undefined {
  const start = dayStart(value);
  return start ? new Date(Date.parse(start) + 86_400_000).toISOString() : undefined;
}
