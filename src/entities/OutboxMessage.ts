import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A notice to deliver, written in the transaction that caused it; `dedupeKey` makes queueing idempotent. */
@ObjectType('Notice', { description: 'An email to a customer (or user), queued with the change it announces.' })
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

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  dedupeKey!: string;

  @Field({ description: 'e.g. payment_failed, invoice_issued, password_reset.' })
  @Property({ type: 'text' })
  kind!: string;

  @Field()
  @Property({ type: 'text' })
  recipient!: string;

  /** The subscription the notice is about, when it is about one. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  subscriptionId: string | null = null;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** After a transient failure: not before then. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** A permanent failure (the address was refused): recorded, never retried. */
  @Field(() => Date, { nullable: true, description: 'Given up: refused by the mail server, or out of attempts.' })
  @Property({ type: 'timestamptz', nullable: true })
  failedAt: Date | null = null;

  /** Silenced by the customer's preferences (reminders only). */
  @Field(() => Date, { nullable: true, description: 'Not sent: the customer’s preferences silence it.' })
  @Property({ type: 'timestamptz', nullable: true })
  skippedAt: Date | null = null;

  /** The Message-ID it was sent with (derived from the dedupe key, so a resend is recognisable). */
  @Property({ type: 'text', nullable: true })
  messageId: string | null = null;
}
