import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Takes the next number of the year, e.g. INV-2026-000042. Must run inside the transaction that inserts the
 * invoice: the counter row stays locked until commit, so numbers are gapless and ordered under concurrency,
 * and a rolled-back invoice returns its number.
 */
export async function nextInvoiceNumber(em: EntityManager, issuedAt: Date): Promise<string> {
  const year = issuedAt.getUTCFullYear();
  // em.execute runs on the transaction's own connection (em.getConnection().execute would not).
  const rows = await em.execute<{ last_value: number }[]>(
    `insert into invoice_number_counters (year, last_value) values (?, 1)
     on conflict (year) do update set last_value = invoice_number_counters.last_value + 1
     returning last_value`,
    [year],
  );
  const value = rows[0]?.last_value;
  if (value === undefined) throw new Error('invoice number counter returned no row');
  return `INV-${year}-${String(value).padStart(6, '0')}`;
}
