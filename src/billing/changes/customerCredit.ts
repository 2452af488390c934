// A customer's credit balance, per currency: what we owe them (a downgrade made mid-period credits the unused
// time), spent automatically on their next invoices in that currency. Kept as a ledger (customer_credits): every
// grant and every use is a row whose dedupe key comes from its business identity, so a retried activity grants or
// spends once; the balance is the sum. Spending takes a per-customer lock, so two invoices issued at once for two
// subscriptions of one customer cannot both spend the same credit.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Invoice } from '../../entities/index.js';
import { creditToApply } from '../planChangeProration.js';

export interface CreditGrant {
  customerId: string;
  /** The subscription it came from; null for a one-off invoice's. */
  subscriptionId: string | null;
  currency: string;
  /** Positive, in minor units. */
  amount: number;
  description: string;
  /** From what earns the credit, e.g. `plan-change:<changeId>`: granted once however often this runs. */
  dedupeKey: string;
  /** When a credit note gives the credit back. */
  creditNoteId?: string;
}

/** Adds credit on `em`'s transaction; false when this grant was already made. */
export async function grantCredit(em: EntityManager, grant: CreditGrant): Promise<boolean> {
  if (!Number.isSafeInteger(grant.amount) || grant.amount <= 0) {
    throw new RangeError(`a credit grant must be a positive whole number of minor units, got ${grant.amount}`);
  }
  const rows = await em.execute(
    `insert into customer_credits
       (id, customer_id, subscription_id, currency, amount, kind, description, dedupe_key, credit_note_id, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, 'GRANTED', ?, ?, ?, now())
     on conflict (dedupe_key) do nothing
     returning id`,
    [
      grant.customerId,
      grant.subscriptionId,
      grant.currency,
      grant.amount,
      grant.description,
      grant.dedupeKey,
      grant.creditNoteId ?? null,
    ],
  );
  return rows.length > 0;
}

/**
 * The customer's balance in one currency, holding the customer's credit lock until `em`'s transaction ends. Writers
 * of a new invoice take it before the invoice's number (nextInvoiceNumber): the number's counter row is held until
 * commit and every invoice of the year queues on it, so the less a transaction does after taking its number, the
 * sooner the next one gets its own. Always in that order (credit lock, then number), so two writers never deadlock.
 * (This lock keeps spending safe whatever the numbering.)
 */
export async function lockCreditBalance(em: EntityManager, customerId: string, currency: string): Promise<number> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended('customer-credit:' || ?, 0))`, [customerId]);
  return creditBalance(em, customerId, currency);
}

/** The customer's balance in one currency as it stands (no lock: for previews, not for spending). */
export async function creditBalance(em: EntityManager, customerId: string, currency: string): Promise<number> {
  const [row] = await em.execute<{ balance: string }[]>(
    `select coalesce(sum(amount), 0)::text as balance from customer_credits where customer_id = ? and currency = ?`,
    [customerId, currency],
  );
  return Number(row?.balance ?? 0);
}

/**
 * Pays what it can of a new invoice (created on `em`'s transaction, not yet flushed) from the customer's balance,
 * `balance` as lockCreditBalance returned it on this transaction: sets its creditApplied and amountDue, writes it,
 * and records the use under the invoice's id. Returns the credit applied.
 */
export async function applyCredit(em: EntityManager, invoice: Invoice, balance: number): Promise<number> {
  const customerId = invoice.customer.id;
  const applied = creditToApply(balance, invoice.total);
  invoice.creditApplied = applied;
  invoice.amountDue = invoice.total - applied;
  await em.flush();
  if (applied > 0) {
    await em.execute(
      `insert into customer_credits (id, customer_id, invoice_id, currency, amount, kind, description, dedupe_key, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, 'APPLIED', ?, ?, now())`,
      [
        customerId,
        invoice.id,
        invoice.currency,
        -applied,
        `Applied to invoice ${invoice.number}`,
        `invoice:${invoice.id}`,
      ],
    );
  }
  return applied;
}
