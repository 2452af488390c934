// One set of DataLoaders per request: every relation the schema exposes is fetched in one query per level,
// however many parents the query asks for.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Invoice, InvoiceLine, Plan } from '../entities/index.js';

function byId<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.find(entity as never, { id: { $in: [...ids] } } as never);
    const found = new Map((rows as T[]).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function createLoaders(em: EntityManager) {
  return {
    planById: byId(em, Plan),
    customerById: byId(em, Customer),
    invoicesBySubscriptionId: new DataLoader<string, Invoice[]>(async (ids) => {
      const rows = await em.find(Invoice, { subscription: { $in: [...ids] } }, { orderBy: { periodStart: 'asc' } });
      const groups = groupBy(rows, (row) => row.subscription.id);
      return ids.map((id) => groups.get(id) ?? []);
    }),
    linesByInvoiceId: new DataLoader<string, InvoiceLine[]>(async (ids) => {
      const rows = await em.find(InvoiceLine, { invoice: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      const groups = groupBy(rows, (row) => row.invoice.id);
      return ids.map((id) => groups.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
