// Relay cursor connections with keyset pagination: rows ordered by a sort key then id, and each page starts after
// the last (key, id) seen with one row comparison, `(key, id) < (?, ?)`, which an index on (key, id) answers as one
// range scan however deep the client pages. Sort keys are never null (so the comparison is exact), and a cursor
// names its sort: it is refused under another.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../kernel/errors.js';

export type SortDirection = 'ASC' | 'DESC';

type KeyValue = string | number | boolean | Date;

export interface SortKey<T> {
  /** As the GraphQL sort enum names it. */
  name: string;
  /** The SQL expression on the entity's table alias; an index on (it, id) serves the order. */
  column: (alias: string) => string;
  value: (node: T) => KeyValue;
  /** A second key ordered before id, the same way (an index on (column, then, id) serves the order). */
  then?: { column: (alias: string) => string; value: (node: T) => KeyValue };
}

/** The default order: newest first. */
export const CREATED_AT: SortKey<{ createdAt: Date }> = {
  name: 'CREATED_AT',
  column: (alias) => `${alias}.created_at`,
  value: (node) => node.createdAt,
};

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface SortArgs<T> {
  sort?: SortKey<T>;
  direction?: SortDirection | null;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  cursorOf: (node: T) => string;
  totalCount: () => Promise<number>;
}

const MAX_PAGE = 100;

type CursorValue = string | number | boolean | { date: string };

function encodeCursor(sort: string, direction: SortDirection, values: KeyValue[], id: string): string {
  const encoded: CursorValue[] = values.map((value) => (value instanceof Date ? { date: value.toISOString() } : value));
  return Buffer.from(JSON.stringify([sort, direction, encoded, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: string, direction: SortDirection): { values: unknown[]; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[3] !== 'string') {
    throw new ValidationError({ after: 'must be a cursor from a previous page' });
  }
  const [cursorSort, cursorDirection, encoded, id] = parsed as [string, string, CursorValue[], string];
  if (cursorSort !== sort || cursorDirection !== direction) {
    throw new ValidationError({ after: `must be a cursor from a page sorted by ${sort} ${direction}` });
  }
  if (!/^[0-9a-f-]{36}$/i.test(id) || !Array.isArray(encoded)) {
    throw new ValidationError({ after: 'must be a cursor from a previous page' });
  }
  const values = encoded.map((value) => (typeof value === 'object' && value !== null ? new Date(value.date) : value));
  if (values.some((key) => key instanceof Date && Number.isNaN(key.getTime()))) {
    throw new ValidationError({ after: 'must be a cursor from a previous page' });
  }
  return { values, id };
}

export async function paginate<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  where: Record<string, unknown>,
  args: PageArgs & SortArgs<T>,
): Promise<Page<T>> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new ValidationError({ first: `must be a whole number from 1 to ${MAX_PAGE}` });
  }
  const sort = args.sort ?? (CREATED_AT as unknown as SortKey<T>);
  const direction = args.direction ?? 'DESC';
  const order = direction === 'DESC' ? 'desc' : 'asc';
  const columns = sortColumns(sort);
  const cursor = args.after ? decodeCursor(args.after, sort.name, direction) : null;
  if (cursor && cursor.values.length !== columns.length) {
    throw new ValidationError({ after: 'must be a cursor from a previous page' });
  }
  const page = cursor
    ? {
        $and: [
          where,
          {
            [raw(
              (alias) =>
                `(${columns.map((column) => column(alias)).join(', ')}, ${alias}.id) ${direction === 'DESC' ? '<' : '>'} (${columns.map(() => '?').join(', ')}, ?)`,
              [...cursor.values, cursor.id],
            )]: [],
          },
        ],
      }
    : where;
  const rows = (await em.find(entity as never, page as never, {
    orderBy: [...columns.map((column) => ({ [raw((alias) => column(alias))]: order })), { id: order }] as never,
    limit: first + 1,
  })) as T[];
  const nodes = rows.slice(0, first);
  const cursorOf = (node: T) =>
    encodeCursor(sort.name, direction, [sort.value(node), ...(sort.then ? [sort.then.value(node)] : [])], node.id);
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]!) : null,
    cursorOf,
    totalCount: () => em.count(entity as never, where as never),
  };
}

/** The SQL expressions a sort orders by, before id. */
export function sortColumns<T>(sort: SortKey<T>): ((alias: string) => string)[] {
  return [sort.column, ...(sort.then ? [sort.then.column] : [])];
}
