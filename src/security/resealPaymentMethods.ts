// Finishes a key rotation (docs/operations.md): every stored payment method sealed with an older key of the ring is
// opened with its row's context and sealed again with the active key, the plaintext untouched. Each table is walked
// in primary-key order, one transaction per batch, so an interrupted run keeps what it committed and the next run
// carries on; values already under the active key are left alone, so running it again changes nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { phoneDigestOf } from '../payments/mpesa/phoneDigest.js';
import { sealingContext, type StoredPaymentMethod } from '../payments/paymentMethods.js';
import type { FieldCipher } from './fieldCipher.js';

const TABLES = {
  subscriptions: sealingContext.subscription,
  payments: sealingContext.payment,
} as const;

export type SealedTable = keyof typeof TABLES;

export interface ResealCounts {
  /** Rows holding a sealed value. */
  scanned: number;
  /** Sealed again with the active key. */
  resealed: number;
  /** Did not open with any key of the ring (key removed, value altered or moved): left as they were. */
  unreadable: number;
}

export type ResealReport = Record<SealedTable, ResealCounts>;

export interface ResealOptions {
  batchSize?: number;
  /** Hears of every unreadable row, e.g. to list the customers who must enter their payment method again. */
  onUnreadable?: (table: SealedTable, id: string, reason: string) => void;
}

export async function resealPaymentMethods(
  em: EntityManager,
  cipher: FieldCipher,
  { batchSize = 200, onUnreadable }: ResealOptions = {},
): Promise<ResealReport> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number above 0');
  return {
    subscriptions: await resealTable(em, cipher, 'subscriptions', batchSize, onUnreadable),
    payments: await resealTable(em, cipher, 'payments', batchSize, onUnreadable),
  };
}

async function resealTable(
  em: EntityManager,
  cipher: FieldCipher,
  table: SealedTable,
  batchSize: number,
  onUnreadable: ResealOptions['onUnreadable'],
): Promise<ResealCounts> {
  const total: ResealCounts = { scanned: 0, resealed: 0, unreadable: 0 };
  let after: string | null = null;
  for (;;) {
    const batch = await resealBatch(em, cipher, table, after, batchSize, onUnreadable);
    total.scanned += batch.counts.scanned;
    total.resealed += batch.counts.resealed;
    total.unreadable += batch.counts.unreadable;
    if (batch.last === null) return total;
    after = batch.last;
  }
}

/** The rows after `after` (by primary key), in a transaction of their own; `last` is null past the end. */
async function resealBatch(
  em: EntityManager,
  cipher: FieldCipher,
  table: SealedTable,
  after: string | null,
  batchSize: number,
  onUnreadable: ResealOptions['onUnreadable'],
): Promise<{ counts: ResealCounts; last: string | null }> {
  const contextOf = TABLES[table];
  return em.fork().transactional(async (tx) => {
    // The lock waits out a concurrent writer and then reads its committed value, so a method the customer has
    // just changed is never overwritten with the old one. NO KEY UPDATE rather than UPDATE: inserts that merely
    // reference these rows (foreign key checks) are not held up. With LIMIT, Postgres locks below the limit, so
    // a row that no longer qualifies once locked is replaced by the next one and an empty batch means the end.
    const rows = await tx.execute<{ id: string; sealed: string }[]>(
      `select id, payment_method_sealed as sealed from ${table}
       where payment_method_sealed is not null${after === null ? '' : ' and id > ?'}
       order by id limit ? for no key update`,
      after === null ? [batchSize] : [after, batchSize],
    );
    const counts: ResealCounts = { scanned: rows.length, resealed: 0, unreadable: 0 };
    for (const row of rows) {
      if (!cipher.needsResealing(row.sealed)) continue;
      const context = contextOf(row.id);
      let plaintext: string;
      try {
        plaintext = cipher.open(row.sealed, context);
      } catch (error) {
        // One lost key or damaged value must not stop the rotation of every other row.
        counts.unreadable += 1;
        onUnreadable?.(table, row.id, error instanceof Error ? error.message : String(error));
        continue;
      }
      // updated_at stays: the stored method is the same, only the key wrapping it changed. A payment's phone digest
      // moves to the new key with it, so that it is still found once the old key leaves the ring.
      const sealed = cipher.seal(plaintext, context);
      if (table === 'payments') {
        const digest = phoneDigestOf(cipher, JSON.parse(plaintext) as StoredPaymentMethod);
        await tx.execute(`update payments set payment_method_sealed = ?, phone_digest = ? where id = ?`, [
          sealed,
          digest,
          row.id,
        ]);
      } else {
        await tx.execute(`update ${table} set payment_method_sealed = ? where id = ?`, [sealed, row.id]);
      }
      counts.resealed += 1;
    }
    return { counts, last: rows.at(-1)?.id ?? null };
  });
}
