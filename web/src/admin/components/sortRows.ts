// Sorting what a page shows, by the column the URL names, for lists whose API query has no sort argument: the
// order is then within the page only, which the page says.
import type { ListParams } from './listParams';

export function sortRows<Row>(
  rows: Row[],
  sort: ListParams['sort'],
  keys: Record<string, (row: Row) => string | number | null | undefined>,
): Row[] {
  const key = sort ? keys[sort.field] : undefined;
  if (!sort || !key) return rows;
  const sign = sort.direction === 'ASC' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = key(a) ?? '';
    const right = key(b) ?? '';
    if (typeof left === 'number' && typeof right === 'number') return (left - right) * sign;
    return String(left).localeCompare(String(right)) * sign;
  });
}
