import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A notice to deliver, written in the transaction that caused it; `dedupeKey` makes queueing idempotent. */
@Entity({ tableName: 'outbox_messages' })
export class OutboxMessage {
  [OptionalProps]?:
    | 'createdAt'
    | 'sentAt'
    | 'subscriptionId'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lastError'
    | 'failedAt'
    | 'skippedAt'
    | 'messageId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  dedupeKey!: string;

  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'text' })
  recipient!: string;

  /** The subscription the notice is about, when it is about one. */
  @Property({ type: 'uuid', nullable: true })
  subscriptionId: string | null = null;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** After a transient failure: not before then. */
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** A permanent failure (the address was refused): recorded, never retried. */
  @Property({ type: 'timestamptz', nullable: true })
  failedAt: Date | null = null;

  /** Silenced by the customer's preferences (reminders only). */
  @Property({ type: 'timestamptz', nullable: true })
  skippedAt: Date | null = null;

  /** The Message-ID it was sent with (derived from the dedupe key, so a resend is recognisable). */
  @Property({ type: 'text', nullable: true })
  messageId: string | null = null;
}
