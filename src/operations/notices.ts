// Notices (emails) that did not go out: given up (the mail server refused the address, or attempts ran out) or
// still failing and retrying; and sending one again. ADMIN only.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/recordAudit.js';
import { OutboxMessage } from '../entities/OutboxMessage.js';
import { paginate, type Page, type PageArgs } from '../graphql/pagination.js';
import type { Caller } from '../kernel/caller.js';
import { ConflictError, NotFoundError } from '../kernel/errors.js';
import { requireAdmin } from '../kernel/policy.js';

export type NoticeTrouble = 'FAILED' | 'RETRYING';

export function failedNotices(
  em: EntityManager,
  caller: Caller,
  filter: { trouble?: NoticeTrouble | null; kind?: string | null; recipient?: string | null } | null | undefined,
  page: PageArgs,
): Promise<Page<OutboxMessage>> {
  requireAdmin(caller);
  const trouble =
    filter?.trouble === 'FAILED'
      ? { failedAt: { $ne: null } }
      : filter?.trouble === 'RETRYING'
        ? { failedAt: null, attempts: { $gt: 0 } }
        : { $or: [{ failedAt: { $ne: null } }, { attempts: { $gt: 0 } }] };
  const where: Record<string, unknown> = { $and: [{ sentAt: null, skippedAt: null }, trouble] };
  if (filter?.kind) where.kind = filter.kind;
  if (filter?.recipient) where.recipient = filter.recipient.trim().toLowerCase();
  return paginate(em, OutboxMessage, where, page);
}

/**
 * Queues a notice that did not go out to be sent again at once: its attempts start over (the delivery loop sends it
 * on its next pass). A notice already sent, or silenced by the customer's preferences, is refused.
 */
export async function resendNotice(em: EntityManager, caller: Caller, noticeId: string): Promise<OutboxMessage> {
  requireAdmin(caller);
  return em.transactional(async (tx) => {
    const notice = await tx.findOne(OutboxMessage, { id: noticeId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!notice) throw new NotFoundError('Notice', noticeId);
    if (notice.sentAt) throw new ConflictError('this notice was sent; nothing to resend', 'noticeId');
    if (notice.skippedAt) throw new ConflictError('the customer’s preferences silence this notice', 'noticeId');
    recordAudit(tx, caller, 'notice.resent', 'Notice', notice.id, {
      attempts: notice.attempts,
      failedAt: notice.failedAt?.toISOString() ?? null,
      lastError: notice.lastError,
    });
    notice.failedAt = null;
    notice.attempts = 0;
    notice.nextAttemptAt = null;
    return notice;
  });
}
