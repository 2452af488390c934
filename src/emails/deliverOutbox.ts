// Delivers the outbox: each due notice is claimed with a row lock (FOR UPDATE SKIP LOCKED, so several workers share
// the work without sending one twice), composed, sent over SMTP, and marked sent in the same transaction. A notice
// ends in exactly one way: sent, skipped (the customer silenced that kind of reminder), or failed for good (the
// server refused it permanently, or transient errors outlasted the attempts). Transient errors back off and retry.
//
// Exactly once, as far as SMTP allows: a crash after the server accepted a message but before the commit leaves the
// row unsent, and it is sent again; it carries the same Message-ID (derived from the dedupe key), so mail systems
// that deduplicate by Message-ID show it once.
import { createHash } from 'node:crypto';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from '../entities/index.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

/** What a notice becomes: an email, or nothing because the customer asked not to get this kind. */
export type Composed = { email: Omit<OutgoingEmail, 'from' | 'to' | 'messageId'> & { to?: string } } | { skip: string };

export type Compose = (em: EntityManager, message: OutboxMessage) => Promise<Composed>;

export interface DeliveryOptions {
  mailer: Mailer;
  compose: Compose;
  from: string;
  /** Domain part of Message-IDs. */
  messageIdDomain: string;
  batchSize?: number;
  maxAttempts?: number;
  now?: () => Date;
  /** Only notices matching this too, e.g. one subscription's (an operator's resend, or a test's own rows). */
  only?: FilterQuery<OutboxMessage>;
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  failed: number;
  retrying: number;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 60 * 60 * 1000;

export function messageIdFor(dedupeKey: string, domain: string): string {
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** 5xx answers are the server's final word (no such mailbox, rejected); the rest may go through later. */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export async function deliverDueNotices(rootEm: EntityManager, options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 10;
  for (let handled = 0; handled < (options.batchSize ?? 50); handled++) {
    const outcome = await rootEm.fork().transactional(async (em) => {
      const [due] = await em.find(
        OutboxMessage,
        {
          $and: [
            { sentAt: null, failedAt: null, skippedAt: null },
            { $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now() } }] },
            options.only ?? {},
          ],
        },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 1, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!due) return null;
      let composed: Composed;
      try {
        composed = await options.compose(em, due);
      } catch (error) {
        // A notice that cannot be composed (a template error, a deleted invoice) will not compose next time either.
        due.failedAt = now();
        due.lastError = `not composed: ${(error as Error).message}`.slice(0, 1000);
        return 'failed' as const;
      }
      if ('skip' in composed) {
        due.skippedAt = now();
        due.lastError = composed.skip;
        return 'skipped' as const;
      }
      const messageId = messageIdFor(due.dedupeKey, options.messageIdDomain);
      due.attempts += 1;
      try {
        await options.mailer.send({
          ...composed.email,
          from: options.from,
          to: composed.email.to ?? due.recipient,
          messageId,
        });
      } catch (error) {
        due.lastError = (error as Error).message.slice(0, 1000);
        if (isPermanent(error) || due.attempts >= maxAttempts) {
          due.failedAt = now();
          return 'failed' as const;
        }
        due.nextAttemptAt = new Date(
          now().getTime() + Math.min(BACKOFF_BASE_MS * 2 ** (due.attempts - 1), BACKOFF_MAX_MS),
        );
        return 'retrying' as const;
      }
      due.sentAt = now();
      due.messageId = messageId;
      due.lastError = null;
      // A one-time token has done its job once it is in the customer's mailbox; the outbox keeps no usable copy.
      if (typeof due.payload.token === 'string') due.payload = { ...due.payload, token: '[delivered]' };
      return 'sent' as const;
    });
    if (outcome === null) break;
    report[outcome] += 1;
  }
  return report;
}

/** Delivers due notices every `intervalMs` until stopped; one round at a time. */
export function startOutboxDelivery(
  rootEm: EntityManager,
  options: DeliveryOptions & { intervalMs?: number; onError?: (error: unknown) => void },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = deliverDueNotices(rootEm, options)
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(round, options.intervalMs ?? 2000);
      });
  };
  round();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
