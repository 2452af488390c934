// A list as CSV, streamed: rows come from a Postgres cursor (DECLARE ... FETCH, in a REPEATABLE READ read-only
// transaction, so the file is one consistent snapshot however long it takes), BATCH rows at a time, and the next
// batch is fetched only once the consumer has taken the last (`write` resolves when the socket drained). Memory
// holds one batch, whatever the size of the list. ADMIN only.
import { raw, IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sortColumns, type SortDirection, type SortKey } from '../graphql/pagination.js';
import type { Caller } from '../kernel/caller.js';
import { ValidationError } from '../kernel/errors.js';
import { requireAdmin } from '../kernel/policy.js';
import { csvLine } from './csv.js';
import { parseParams } from './exportFilters.js';
import { LIST_EXPORTS, relatedOf, type ListExport, type Row } from './listExports.js';

const BATCH = 500;

export interface CsvExport {
  list: string;
  /** Writes the whole file through `write`, which resolves once the chunk may be followed by another. */
  run(write: (chunk: string) => Promise<void>, aborted: () => boolean): Promise<number>;
}

/** Checks the caller and the query string at once (before anything is sent), and returns how to write the file. */
export function prepareCsvExport(
  em: EntityManager,
  caller: Caller,
  list: string,
  query: Record<string, unknown>,
): CsvExport {
  requireAdmin(caller);
  const spec = LIST_EXPORTS[list];
  if (!spec) throw new ValidationError({ list: `must be one of ${Object.keys(LIST_EXPORTS).join(', ')}` });
  const {
    sort = 'CREATED_AT',
    direction = 'DESC',
    ...filter
  } = parseParams(query, {
    ...spec.filters,
    sort: Object.keys(spec.sorts),
    direction: ['ASC', 'DESC'],
  }) as Record<string, unknown> & { sort?: string; direction?: SortDirection };
  const where = spec.where(caller, filter);
  return {
    list,
    run: (write, aborted) => streamRows(em, spec, where, spec.sorts[sort]!, direction, write, aborted),
  };
}

async function streamRows(
  em: EntityManager,
  spec: ListExport,
  where: Record<string, unknown>,
  sort: SortKey<never>,
  direction: SortDirection,
  write: (chunk: string) => Promise<void>,
  aborted: () => boolean,
): Promise<number> {
  const order = direction === 'DESC' ? 'desc' : 'asc';
  const qb = em
    .createQueryBuilder(spec.entity, 'e0')
    .select(raw('e0.*'))
    .where(where as never)
    .orderBy([
      ...sortColumns(sort).map((column) => ({ [raw((alias) => column(alias))]: order })),
      { id: order },
    ] as never);
  const { sql, params } = qb.toQuery();
  return em.transactional(
    async (tx) => {
      await tx.execute(`declare list_export no scroll cursor for ${sql}`, [...params]);
      await write(csvLine(spec.header));
      let rows = 0;
      for (;;) {
        if (aborted()) break;
        const batch = await tx.execute<Row[]>(`fetch forward ${BATCH} from list_export`);
        if (batch.length === 0) break;
        const related = await relatedOf(tx, spec, batch);
        await write(batch.map((row) => csvLine(spec.line(row, related))).join(''));
        rows += batch.length;
      }
      await tx.execute('close list_export');
      return rows;
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
