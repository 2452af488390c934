// What each list's CSV holds: the list's own filters (the same `where` as its GraphQL query, src/search/), its
// sorts, and its columns. Money is written twice: a decimal string in the currency's exponent (KES 1500.00, JPY 1500,
// KWD 1.500) and the integer minor units, so a spreadsheet and a program both read it exactly.
import type { EntityManager } from '@mikro-orm/postgresql';
import { toDecimalString } from '../domain/money.js';
import { INVOICE_STATUSES } from '../domain/invoiceStatus.js';
import { PAYMENT_STATUSES } from '../domain/paymentStatus.js';
import { SUBSCRIPTION_STATUSES } from '../domain/subscriptionStatus.js';
import { Customer, Invoice, Payment, Subscription } from '../entities/index.js';
import type { Caller } from '../kernel/caller.js';
import { visibleCustomers } from '../kernel/policy.js';
import type { SortKey } from '../graphql/pagination.js';
import { CUSTOMER_SORTS, customerWhere } from '../search/searchCustomers.js';
import { INVOICE_SORTS, invoiceWhere } from '../search/searchInvoices.js';
import { PAYMENT_SORTS, paymentWhere } from '../search/searchPayments.js';
import { SUBSCRIPTION_SORTS, subscriptionWhere } from '../search/searchSubscriptions.js';
import { Text, type CsvValue } from './csv.js';
import type { ParamKind } from './exportFilters.js';

export type Row = Record<string, unknown>;
/** Rows of other tables a batch refers to, by id (one statement per table per batch). */
export type Related = Record<string, Map<string, Row>>;

export interface ListExport {
  entity: new () => { id: string };
  filters: Record<string, ParamKind>;
  sorts: Record<string, SortKey<never>>;
  where: (caller: Caller, filter: Record<string, unknown>) => Record<string, unknown>;
  /** Other tables to read for a batch: table -> (the row's column holding the id, columns wanted). */
  related: Record<string, { via: string; columns: string[] }>;
  header: string[];
  line: (row: Row, related: Related) => (CsvValue | Text)[];
}

const money = (row: Row, column: string): [string, number] => {
  const amount = Number(row[column]);
  return [toDecimalString({ amount, currency: String(row.currency).trim() }), amount];
};
const of = (related: Related, table: string, id: unknown): Row => related[table]?.get(String(id)) ?? {};
const text = (value: unknown) => new Text(value == null ? null : String(value));
const ids = { customerId: 'id', apiClientId: 'id' } as const;

const customers: ListExport = {
  entity: Customer,
  filters: {
    search: 'text',
    email: 'text',
    phone: 'text',
    externalId: 'text',
    ...ids,
    status: ['ACTIVE', 'SUSPENDED'],
  },
  sorts: CUSTOMER_SORTS as Record<string, SortKey<never>>,
  where: (caller, filter) => visibleCustomers(caller, customerWhere(filter)),
  related: {},
  header: ['id', 'name', 'email', 'phone', 'external_id', 'api_client_id', 'status', 'created_at'],
  line: (r) => [
    r.id,
    text(r.name),
    text(r.email),
    text(r.phone),
    text(r.external_id),
    r.api_client_id,
    r.status,
    r.created_at as Date,
  ],
} as ListExport;

const subscriptions: ListExport = {
  entity: Subscription,
  filters: {
    status: SUBSCRIPTION_STATUSES,
    statuses: { list: SUBSCRIPTION_STATUSES },
    planId: 'id',
    productId: 'id',
    ...ids,
    renewsFrom: 'date',
    renewsTo: 'date',
  },
  sorts: SUBSCRIPTION_SORTS as Record<string, SortKey<never>>,
  where: subscriptionWhere,
  related: {
    customers: { via: 'customer_id', columns: ['name', 'email'] },
    plans: { via: 'plan_id', columns: ['name'] },
  },
  header: [
    'id',
    'status',
    'customer_id',
    'customer_name',
    'customer_email',
    'plan_id',
    'plan_name',
    'quantity',
    'payment_method',
    'trial_end',
    'current_period_start',
    'current_period_end',
    'cancel_at_period_end',
    'created_at',
    'ended_at',
    'end_reason',
  ],
  line: (r, related) => {
    const customer = of(related, 'customers', r.customer_id);
    return [
      r.id,
      r.status,
      r.customer_id,
      text(customer.name),
      text(customer.email),
      r.plan_id,
      text(of(related, 'plans', r.plan_id).name),
      r.quantity as number,
      text(r.payment_method_label),
      r.trial_end as Date,
      r.current_period_start as Date,
      r.current_period_end as Date,
      r.cancel_at_period_end as boolean,
      r.created_at as Date,
      r.ended_at as Date,
      r.end_reason as string,
    ];
  },
} as ListExport;

const invoices: ListExport = {
  entity: Invoice,
  filters: {
    status: INVOICE_STATUSES,
    ...ids,
    subscriptionId: 'id',
    number: 'text',
    currency: 'text',
    from: 'date',
    to: 'date',
    minTotal: 'minorUnits',
    maxTotal: 'minorUnits',
  },
  sorts: INVOICE_SORTS as Record<string, SortKey<never>>,
  where: invoiceWhere,
  related: { customers: { via: 'customer_id', columns: ['name', 'email'] } },
  header: [
    'id',
    'number',
    'status',
    'customer_id',
    'customer_name',
    'customer_email',
    'subscription_id',
    'currency',
    'subtotal',
    'subtotal_minor',
    'credit_applied',
    'credit_applied_minor',
    'total',
    'total_minor',
    'amount_due',
    'amount_due_minor',
    'period_start',
    'period_end',
    'issued_at',
    'due_at',
    'paid_at',
  ],
  line: (r, related) => {
    const customer = of(related, 'customers', r.customer_id);
    return [
      r.id,
      r.number as string,
      r.status,
      r.customer_id,
      text(customer.name),
      text(customer.email),
      r.subscription_id,
      String(r.currency).trim(),
      ...money(r, 'subtotal'),
      ...money(r, 'credit_applied'),
      ...money(r, 'total'),
      ...money(r, 'amount_due'),
      r.period_start as Date,
      r.period_end as Date,
      r.issued_at as Date,
      r.due_at as Date,
      r.paid_at as Date,
    ] as (CsvValue | Text)[];
  },
} as ListExport;

const payments: ListExport = {
  entity: Payment,
  filters: {
    provider: ['MPESA', 'PAYPAL'],
    status: PAYMENT_STATUSES,
    ...ids,
    invoiceId: 'id',
    reference: 'text',
    currency: 'text',
    from: 'date',
    to: 'date',
    minAmount: 'minorUnits',
    maxAmount: 'minorUnits',
  },
  sorts: PAYMENT_SORTS as Record<string, SortKey<never>>,
  where: paymentWhere,
  related: {
    customers: { via: 'customer_id', columns: ['name', 'email'] },
    invoices: { via: 'invoice_id', columns: ['number'] },
  },
  header: [
    'id',
    'created_at',
    'completed_at',
    'provider',
    'status',
    'attempt',
    'currency',
    'amount',
    'amount_minor',
    'provider_reference',
    'receipt_number',
    'failure_code',
    'failure_message',
    'hard_decline',
    'invoice_id',
    'invoice_number',
    'customer_id',
    'customer_name',
    'customer_email',
  ],
  line: (r, related) => {
    const customer = of(related, 'customers', r.customer_id);
    return [
      r.id,
      r.created_at as Date,
      r.completed_at as Date,
      r.provider,
      r.status,
      r.attempt as number,
      String(r.currency).trim(),
      ...money(r, 'amount'),
      text(r.provider_reference),
      text(r.receipt_number),
      text(r.failure_code),
      text(r.failure_message),
      r.hard_decline as boolean,
      r.invoice_id,
      of(related, 'invoices', r.invoice_id).number as string,
      r.customer_id,
      text(customer.name),
      text(customer.email),
    ] as (CsvValue | Text)[];
  },
} as ListExport;

export const LIST_EXPORTS: Record<string, ListExport> = { customers, subscriptions, invoices, payments };

/** One statement per related table for a batch of rows. */
export async function relatedOf(em: EntityManager, list: ListExport, rows: Row[]): Promise<Related> {
  const related: Related = {};
  for (const [table, { via, columns }] of Object.entries(list.related)) {
    const wanted = [...new Set(rows.map((row) => String(row[via])))];
    const found = wanted.length
      ? await em.execute<Row[]>(
          `select id, ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" where id in (${wanted.map(() => '?').join(', ')})`,
          wanted,
        )
      : [];
    related[table] = new Map(found.map((row) => [String(row.id), row]));
  }
  return related;
}
