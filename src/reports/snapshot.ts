// Reading one consistent snapshot on several connections at once: the first transaction (REPEATABLE READ, read-only)
// exports its snapshot, and each statement run `alongside` opens a transaction that imports it (SET TRANSACTION
// SNAPSHOT), so every figure describes the same moment while the heavy ones run in parallel. JIT is off in each:
// the overview's bucket joins are estimated far above what they read, which turned on seconds of compiling.
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

const READ_ONLY_SNAPSHOT = { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true } as const;

/** Connections one snapshot may hold at once: the first and three alongside. */
const CONNECTIONS = 4;

/**
 * One at a time per process: each holds its first connection while it waits for the others, so several at once could
 * hold the whole pool and wait for each other for ever. With a pool smaller than CONNECTIONS, everything runs on the
 * first connection, one statement after another.
 */
let queue: Promise<unknown> = Promise.resolve();

export function inOneSnapshot<T>(
  em: EntityManager,
  work: (tx: EntityManager, alongside: <R>(read: (other: EntityManager) => Promise<R>) => Promise<R>) => Promise<T>,
): Promise<T> {
  const run = queue.then(() => snapshotRun(em, work));
  queue = run.catch(() => undefined);
  return run;
}

function snapshotRun<T>(
  em: EntityManager,
  work: (tx: EntityManager, alongside: <R>(read: (other: EntityManager) => Promise<R>) => Promise<R>) => Promise<T>,
): Promise<T> {
  const poolMax = (em.config.get('pool') as { max?: number } | undefined)?.max ?? 10;
  return em.transactional(async (tx) => {
    await tx.execute('set local jit = off');
    const [{ snapshot }] = (await tx.execute<{ snapshot: string }[]>('select pg_export_snapshot() as snapshot')) as [
      { snapshot: string },
    ];
    const alongside = <R>(read: (other: EntityManager) => Promise<R>): Promise<R> =>
      poolMax < CONNECTIONS
        ? read(tx)
        : em.fork().transactional(async (other) => {
            // Before any query of the transaction, as Postgres requires; the id is Postgres's own (hex and dashes).
            await other.execute(`set transaction snapshot '${snapshot.replace(/[^0-9A-Fa-f-]/g, '')}'`);
            await other.execute('set local jit = off');
            return read(other);
          }, READ_ONLY_SNAPSHOT);
    return work(tx, alongside);
  }, READ_ONLY_SNAPSHOT);
}
