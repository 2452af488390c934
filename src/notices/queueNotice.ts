// Notices to customers go into the outbox, written by the same transaction as the change they announce when there
// is one. The dedupe key names the business event (e.g. "payment_failed:<payment id>"), so a retried activity or a
// replayed workflow queues nothing twice; the emails issue renders and delivers them.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities/index.js';

export const NOTICE_KINDS = [
  'trial_ending',
  'renewal_reminder',
  'invoice_issued',
  'payment_receipt',
  'balance_payment_received',
  'standing_order_outdated',
  'payment_failed',
  'action_required',
  'subscription_canceled',
  'subscription_unpaid',
  'subscription_expired',
  'invoice_issued',
  'subscription_started',
  'subscription_paused',
  'subscription_resumed',
  'plan_changed',
  'credit_note_issued',
  'refund_succeeded',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  kind: NoticeKind;
  /** Unique per business event: the same key is queued once, ever. */
  dedupeKey: string;
  /** Null for notices about a one-off invoice. */
  subscriptionId: string | null;
  customerId: string;
  payload: Record<string, unknown>;
}

/**
 * Queues a notice on `em`'s transaction; true when it was new. The recipient is read by the insert itself (one round
 * trip; notices are written in every renewal's transactions); only when nothing was inserted is the customer looked
 * for, so a missing one is still an error rather than a silently dropped notice.
 */
export async function queueNotice(em: EntityManager, notice: Notice): Promise<boolean> {
  const rows = await em.execute(
    `insert into outbox_messages (id, dedupe_key, kind, recipient, payload, subscription_id, created_at)
     select gen_random_uuid(), ?, ?, c.email, ?, ?, now() from customers c where c.id = ?
     on conflict (dedupe_key) do nothing
     returning id`,
    [notice.dedupeKey, notice.kind, JSON.stringify(notice.payload), notice.subscriptionId, notice.customerId],
  );
  if (rows.length > 0) return true;
  await em.findOneOrFail(Customer, { id: notice.customerId }, { fields: ['email'] });
  return false;
}
