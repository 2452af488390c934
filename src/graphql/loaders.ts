// One set of DataLoaders per request: every relation the schema exposes is fetched in one query per level,
// however many parents the query asks for.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Money } from '../domain/money.js';
import { webhookLoaders } from './webhookLoaders.js';
import {
  ApiKey,
  AuditEvent,
  CreditNote,
  CreditNoteLine,
  Customer,
  Invoice,
  InvoiceLine,
  OfflinePayment,
  OutboxMessage,
  PaybillAllocation,
  Payment,
  Plan,
  Product,
  Refund,
  StandingOrder,
  Subscription,
  WebhookEvent,
} from '../entities/index.js';

function byId<T extends { id: string }>(em: EntityManager, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.find(entity as never, { id: { $in: [...ids] } } as never);
    const found = new Map((rows as T[]).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Children of many parents in one query, grouped back per parent. */
export function childrenOf<T>(load: (ids: string[]) => Promise<T[]>, parentId: (row: T) => string) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = groupBy(await load([...ids]), parentId);
    return ids.map((id) => groups.get(id) ?? []);
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

/** An entity's audit trail, oldest first, per entity id. */
function auditTrailOf(em: EntityManager, entity: string) {
  return childrenOf(
    (ids) => em.find(AuditEvent, { entity, entityId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    (row) => row.entityId,
  );
}

/** Each customer's credit balance per currency (currencies at zero left out), in one statement per batch. */
function creditBalances(em: EntityManager) {
  return new DataLoader<string, Money[]>(async (ids) => {
    const rows = await em.execute<{ customer_id: string; currency: string; balance: string }[]>(
      `select customer_id, currency, sum(amount)::text as balance from customer_credits
       where customer_id in (${ids.map(() => '?').join(', ')})
       group by customer_id, currency having sum(amount) <> 0 order by currency`,
      [...ids],
    );
    const groups = groupBy(rows, (row) => row.customer_id);
    return ids.map((id) =>
      (groups.get(id) ?? []).map((row) => ({ amount: Number(row.balance), currency: row.currency.trim() })),
    );
  });
}

function noticesOfCustomers(em: EntityManager) {
  return new DataLoader<string, OutboxMessage[]>(async (ids) => {
    const rows = await em.execute<{ id: string; customer_id: string }[]>(
      `select o.id, s.customer_id from outbox_messages o join subscriptions s on s.id = o.subscription_id
       where s.customer_id in (${ids.map(() => '?').join(', ')}) order by o.created_at desc, o.id desc`,
      [...ids],
    );
    const notices = new Map(
      (await em.find(OutboxMessage, { id: { $in: rows.map((row) => row.id) } })).map((n) => [n.id, n]),
    );
    const groups = groupBy(rows, (row) => row.customer_id);
    return ids.map((id) => (groups.get(id) ?? []).map((row) => notices.get(row.id)!));
  });
}

export function createLoaders(em: EntityManager) {
  return {
    creditBalanceByCustomerId: creditBalances(em),
    auditTrailByCustomerId: auditTrailOf(em, 'Customer'),
    auditTrailBySubscriptionId: auditTrailOf(em, 'Subscription'),
    planById: byId(em, Plan),
    customerById: byId(em, Customer),
    subscriptionById: byId(em, Subscription),
    invoiceById: byId(em, Invoice),
    paymentById: byId(em, Payment),
    creditNoteById: byId(em, CreditNote),
    deliveriesByPaymentId: childrenOf(
      (ids) => em.find(WebhookEvent, { paymentId: { $in: ids } }, { orderBy: { receivedAt: 'asc', id: 'asc' } }),
      (row) => row.paymentId!,
    ),
    /** Notices about a customer's subscriptions, newest first (account emails to users are not a customer's). */
    noticesByCustomerId: noticesOfCustomers(em),
    productById: byId(em, Product),
    invoicesBySubscriptionId: childrenOf(
      (ids) => em.find(Invoice, { subscription: { $in: ids } }, { orderBy: { periodStart: 'asc' } }),
      (row) => row.subscription!.id, // found by subscription, so it has one
    ),
    invoicesByCustomerId: childrenOf(
      (ids) => em.find(Invoice, { customer: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (row) => row.customer.id,
    ),
    linesByInvoiceId: childrenOf(
      // The invoice is populated because a line's Money needs its currency, and a mutation (createInvoice) returns
      // an invoice written on another EntityManager, which this one has never loaded.
      (ids) => em.find(InvoiceLine, { invoice: { $in: ids } }, { orderBy: { position: 'asc' }, populate: ['invoice'] }),
      (row) => row.invoice.id,
    ),
    creditNotesByInvoiceId: childrenOf(
      (ids) => em.find(CreditNote, { invoice: { $in: ids } }, { orderBy: { issuedAt: 'asc', id: 'asc' } }),
      (row) => row.invoice.id,
    ),
    linesByCreditNoteId: childrenOf(
      (ids) => em.find(CreditNoteLine, { creditNote: { $in: ids } }, { orderBy: { position: 'asc' } }),
      (row) => row.creditNote.id,
    ),
    offlinePaymentsByInvoiceId: childrenOf(
      (ids) => em.find(OfflinePayment, { invoice: { $in: ids } }, { orderBy: { receivedAt: 'asc', id: 'asc' } }),
      (row) => row.invoice.id,
    ),
    paybillAllocationsByPaymentId: childrenOf(
      (ids) =>
        em.find(PaybillAllocation, { paybillPayment: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (row) => row.paybillPayment.id,
    ),
    paymentsByInvoiceId: childrenOf(
      (ids) => em.find(Payment, { invoice: { $in: ids } }, { orderBy: { attempt: 'asc' } }),
      (row) => row.invoice.id,
    ),
    /** First PayPal payments waiting for the buyer, newest first, per subscription. */
    approvalsBySubscriptionId: childrenOf(
      (ids) =>
        em.find(
          Payment,
          { status: 'PENDING', approvalUrl: { $ne: null }, invoice: { subscription: { $in: ids } } },
          { populate: ['invoice'], orderBy: { createdAt: 'desc', id: 'desc' } },
        ),
      (row) => row.invoice.subscription!.id, // found by subscription, so it has one
    ),
    /** Newest first: the first is the subscription's current standing order. */
    standingOrdersBySubscriptionId: childrenOf(
      (ids) => em.find(StandingOrder, { subscription: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (row) => row.subscription.id,
    ),
    refundsByPaymentId: childrenOf(
      (ids) => em.find(Refund, { payment: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (row) => row.payment.id,
    ),
    paymentsByCustomerId: childrenOf(
      (ids) => em.find(Payment, { customer: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (row) => row.customer.id,
    ),
    subscriptionsByCustomerId: childrenOf(
      (ids) => em.find(Subscription, { customer: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (row) => row.customer.id,
    ),
    activePlansByProductId: childrenOf(
      (ids) => em.find(Plan, { product: { $in: ids }, status: 'ACTIVE' }, { orderBy: { createdAt: 'asc' } }),
      (row) => row.product.id,
    ),
    keysByApiClientId: childrenOf(
      (ids) => em.find(ApiKey, { apiClient: { $in: ids } }, { orderBy: { createdAt: 'desc' } }),
      (row) => row.apiClient.id,
    ),
    ...webhookLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
