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
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  kind: NoticeKind;
  /** Unique per business event: the same key is queued once, ever. */
  dedupeKey: string;
  subscriptionId: string;
  customerId: string;
  payload: Record<string, unknown>;
}

/** Queues a notice on `em`'s transaction; true when it was new. */
export async function queueNotice(em: EntityManager, notice: Notice): Promise<boolean> {
  const customer = await em.findOneOrFail(Customer, { id: notice.customerId }, { fields: ['email'] });
  const rows = await em.execute(
    `insert into outbox_messages (id, dedupe_key, kind, recipient, payload, subscription_id, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, now())
     on conflict (dedupe_key) do nothing
     returning id`,
    [notice.dedupeKey, notice.kind, customer.email, JSON.stringify(notice.payload), notice.subscriptionId],
  );
  return rows.length > 0;
}
