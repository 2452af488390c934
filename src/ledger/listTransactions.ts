// The transactions ledger: every money movement (charges, refunds, offline and paybill payments) and every change to customers'
// credit balances, newest first, filtered by kind, method, status, dates, reference and customer, with totals per
// currency over the whole filter. Read from the `money_movements` view (Migration20261211400000_money_movements),
// so the ledger is the payments themselves, never a copy.
//
// Pages are keyset on (occurred_at, id), like the other lists; the totals are one aggregate over the same filter.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Money } from '../domain/money.js';
import { ownCustomerOf, type Caller } from '../kernel/caller.js';
import { ValidationError } from '../kernel/errors.js';
import { requireScope } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';

export const TRANSACTION_KINDS = [
  'CHARGE',
  'REFUND',
  'OFFLINE_PAYMENT',
  'PAYBILL_PAYMENT',
  'CREDIT_GRANTED',
  'CREDIT_APPLIED',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];
export const TRANSACTION_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export const TRANSACTION_METHODS = ['MPESA', 'PAYPAL', 'BANK_TRANSFER', 'CASH', 'CHEQUE', 'OTHER', 'BALANCE'] as const;

export const transactionFilterSchema = z.object({
  kinds: z.array(z.enum(TRANSACTION_KINDS)).max(TRANSACTION_KINDS.length).nullish(),
  methods: z.array(z.enum(TRANSACTION_METHODS)).max(TRANSACTION_METHODS.length).nullish(),
  statuses: z.array(z.enum(TRANSACTION_STATUSES)).max(TRANSACTION_STATUSES.length).nullish(),
  customerId: z.string().uuid('must be a customer id (UUID)').nullish(),
  invoiceId: z.string().uuid('must be an invoice id (UUID)').nullish(),
  from: z.date().nullish().describe('Occurred at or after this instant.'),
  to: z.date().nullish().describe('Occurred before this instant.'),
  reference: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .nullish()
    .describe("Exact provider or offline reference, any case: an M-Pesa receipt, a PayPal id, a bank transfer's."),
});
export type TransactionFilter = z.input<typeof transactionFilterSchema>;

export interface Transaction {
  id: string;
  kind: TransactionKind;
  method: (typeof TRANSACTION_METHODS)[number];
  status: (typeof TRANSACTION_STATUSES)[number];
  /** Cash from the business's side (charges +, refunds -); credit from the customer's balance (granted +). */
  amount: Money;
  reference: string | null;
  occurredAt: Date;
  invoiceId: string | null;
  customerId: string;
  description: string;
}

export interface TransactionTotals {
  currency: string;
  /** Succeeded charges, offline payments and paybill payments. */
  collected: number;
  /** Succeeded refunds, as a positive amount. */
  refunded: number;
  /** collected - refunded. */
  net: number;
  creditGranted: number;
  /** Credit spent on invoices, as a positive amount. */
  creditApplied: number;
}

interface Row {
  id: string;
  kind: TransactionKind;
  method: Transaction['method'];
  status: Transaction['status'];
  amount: string;
  currency: string;
  reference: string | null;
  occurred_at: Date;
  invoice_id: string | null;
  customer_id: string;
  description: string;
}

const MAX_PAGE = 100;

/** The filter as SQL over `money_movements m join customers c`, the caller's visibility always ANDed in. */
function whereOf(caller: Caller, filter: z.output<typeof transactionFilterSchema>): { sql: string; params: unknown[] } {
  const known = requireScope(caller, 'read:invoices');
  const parts: string[] = ['c.deleted_at is null'];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (known.kind === 'apiClient') add('c.api_client_id = ?', known.apiClientId);
  const own = ownCustomerOf(known);
  if (own) add('c.id = ?', own);
  if (filter.kinds?.length) add(`m.kind in (${filter.kinds.map(() => '?').join(', ')})`, ...filter.kinds);
  if (filter.methods?.length) add(`m.method in (${filter.methods.map(() => '?').join(', ')})`, ...filter.methods);
  if (filter.statuses?.length) add(`m.status in (${filter.statuses.map(() => '?').join(', ')})`, ...filter.statuses);
  if (filter.customerId) add('m.customer_id = ?', filter.customerId);
  if (filter.invoiceId) add('m.invoice_id = ?', filter.invoiceId);
  if (filter.from) add('m.occurred_at >= ?', filter.from);
  if (filter.to) add('m.occurred_at < ?', filter.to);
  if (filter.reference) add('lower(m.reference) = lower(?)', filter.reference);
  return { sql: parts.join(' and '), params };
}

export async function listTransactions(
  em: EntityManager,
  caller: Caller,
  input: { filter?: TransactionFilter | null; first?: number | null; after?: string | null },
): Promise<{
  nodes: Transaction[];
  hasNextPage: boolean;
  endCursor: string | null;
  cursorOf: (node: Transaction) => string;
}> {
  const filter = parseInput(transactionFilterSchema, input.filter ?? {}, 'filter');
  const where = whereOf(caller, filter);
  const first = Math.min(Math.max(input.first ?? 50, 1), MAX_PAGE);
  const after = input.after ? decodeCursor(input.after) : null;
  const rows = await em.execute<Row[]>(
    `select m.* from money_movements m join customers c on c.id = m.customer_id
     where ${where.sql}${after ? ' and (m.occurred_at, m.id) < (?, ?)' : ''}
     order by m.occurred_at desc, m.id desc limit ?`,
    [...where.params, ...(after ? [after.occurredAt, after.id] : []), first + 1],
  );
  const nodes = rows.slice(0, first).map(toTransaction);
  const last = nodes.at(-1);
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: last ? encodeCursor(last) : null,
    cursorOf: encodeCursor,
  };
}

/** Totals per currency over everything the filter matches (not just a page). */
export async function transactionTotals(
  em: EntityManager,
  caller: Caller,
  input: { filter?: TransactionFilter | null },
): Promise<TransactionTotals[]> {
  const where = whereOf(caller, parseInput(transactionFilterSchema, input.filter ?? {}, 'filter'));
  const rows = await em.execute<Record<string, string>[]>(
    `select m.currency,
            coalesce(sum(m.amount) filter (where m.kind in ('CHARGE', 'OFFLINE_PAYMENT', 'PAYBILL_PAYMENT') and m.status = 'SUCCEEDED'), 0)::text as collected,
            coalesce(-sum(m.amount) filter (where m.kind = 'REFUND' and m.status = 'SUCCEEDED'), 0)::text as refunded,
            coalesce(sum(m.amount) filter (where m.kind = 'CREDIT_GRANTED'), 0)::text as credit_granted,
            coalesce(-sum(m.amount) filter (where m.kind = 'CREDIT_APPLIED'), 0)::text as credit_applied
     from money_movements m join customers c on c.id = m.customer_id
     where ${where.sql} group by m.currency order by m.currency`,
    where.params,
  );
  return rows.map((row) => {
    const collected = Number(row.collected);
    const refunded = Number(row.refunded);
    return {
      currency: row.currency!.trim(),
      collected,
      refunded,
      net: collected - refunded,
      creditGranted: Number(row.credit_granted),
      creditApplied: Number(row.credit_applied),
    };
  });
}

function toTransaction(row: Row): Transaction {
  const currency = row.currency.trim();
  return {
    id: row.id,
    kind: row.kind,
    method: row.method,
    status: row.status,
    amount: { amount: Number(row.amount), currency },
    reference: row.reference,
    occurredAt: new Date(row.occurred_at),
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    description: row.description,
  };
}

function encodeCursor(node: Transaction): string {
  return Buffer.from(JSON.stringify([node.occurredAt.toISOString(), node.id])).toString('base64url');
}

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const occurredAt = new Date(at);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(occurredAt.getTime())) {
      return { occurredAt, id };
    }
  } catch {
    // refused below
  }
  throw new ValidationError({ after: 'must be a cursor from a previous page of transactions' });
}
