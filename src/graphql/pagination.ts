// Relay cursor connections with keyset pagination on (createdAt, id), newest first: every page is one indexed
// range scan however deep the client pages.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../kernel/errors.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: () => Promise<number>;
}

const MAX_PAGE = 100;

export function encodeCursor(node: { createdAt: Date; id: string }): string {
  return Buffer.from(`${node.createdAt.toISOString()}|${node.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()))
    throw new ValidationError({ after: 'must be a cursor from a previous page' });
  return { createdAt, id };
}

export async function paginate<T extends { createdAt: Date; id: string }>(
  em: EntityManager,
  entity: new () => T,
  where: Record<string, unknown>,
  args: PageArgs,
): Promise<Page<T>> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new ValidationError({ first: `must be a whole number from 1 to ${MAX_PAGE}` });
  }
  const cursor = args.after ? decodeCursor(args.after) : null;
  const page = cursor
    ? {
        $and: [
          where,
          { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] },
        ],
      }
    : where;
  const rows = (await em.find(entity as never, page as never, {
    orderBy: { createdAt: 'desc', id: 'desc' } as never,
    limit: first + 1,
  })) as T[];
  const nodes = rows.slice(0, first);
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!) : null,
    totalCount: () => em.count(entity as never, where as never),
  };
}
