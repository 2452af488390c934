import { Migration } from '@mikro-orm/migrations';

/**
 * Delivering the outbox: how many times a notice was tried, when it may be tried again (transient SMTP errors back
 * off), and a permanent failure, recorded instead of retried. A notice is sent, failed, or silenced by the customer's
 * preferences: exactly one of those ends it.
 */
export class Migration20261121100000_outbox_delivery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "outbox_messages"
      add column "attempts" int not null default 0,
      add column "next_attempt_at" timestamptz null,
      add column "last_error" text null,
      add column "failed_at" timestamptz null,
      add column "skipped_at" timestamptz null,
      add column "message_id" text null;`);
    this.addSql(`drop index if exists "outbox_messages_unsent_index";`);
    this.addSql(`create index "outbox_messages_due_index" on "outbox_messages" ("created_at")
      where "sent_at" is null and "failed_at" is null and "skipped_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outbox_messages_due_index";`);
    this
      .addSql(`alter table "outbox_messages" drop column if exists "attempts", drop column if exists "next_attempt_at",
      drop column if exists "last_error", drop column if exists "failed_at", drop column if exists "skipped_at",
      drop column if exists "message_id";`);
    this.addSql(
      `create index "outbox_messages_unsent_index" on "outbox_messages" ("created_at") where "sent_at" is null;`,
    );
  }
}
