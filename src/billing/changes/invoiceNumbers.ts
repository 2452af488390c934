import type { EntityManager } from '@mikro-orm/postgresql';

/** A numbered kind of document: its prefix and the table that holds its counter per year. */
export interface NumberSeries {
  prefix: 'INV' | 'CN';
  counterTable: 'invoice_number_counters' | 'credit_note_number_counters';
}

export const INVOICE_NUMBERS: NumberSeries = { prefix: 'INV', counterTable: 'invoice_number_counters' };
export const CREDIT_NOTE_NUMBERS: NumberSeries = { prefix: 'CN', counterTable: 'credit_note_number_counters' };

/**
 * Takes the next number of the year, e.g. INV-2026-000042. Must run inside the transaction that inserts the
 * invoice: the counter row stays locked until commit, so numbers are gapless and ordered under concurrency,
 * and a rolled-back invoice returns its number.
 */
export function nextInvoiceNumber(em: EntityManager, issuedAt: Date): Promise<string> {
  return nextDocumentNumber(em, INVOICE_NUMBERS, issuedAt);
}

/** The next number of a series in `issuedAt`'s year, on `em`'s transaction (see nextInvoiceNumber). */
export async function nextDocumentNumber(em: EntityManager, series: NumberSeries, issuedAt: Date): Promise<string> {
  const year = issuedAt.getUTCFullYear();
  // em.execute runs on the transaction's own connection (em.getConnection().execute would not).
  const rows = await em.execute<{ last_value: number }[]>(
    `insert into ${series.counterTable} (year, last_value) values (?, 1)
     on conflict (year) do update set last_value = ${series.counterTable}.last_value + 1
     returning last_value`,
    [year],
  );
  const value = rows[0]?.last_value;
  if (value === undefined) throw new Error(`${series.prefix} number counter returned no row`);
  return `${series.prefix}-${year}-${String(value).padStart(6, '0')}`;
}
