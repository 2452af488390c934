import { Migration } from '@mikro-orm/migrations';

/**
 * Ending subscriptions: cancellation at the period end (reversible until then), when it was asked for and when the
 * subscription ended, and why. Notices in the outbox name the subscription they are about, for operators.
 */
export class Migration20261121060000_cancellation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "subscriptions"
      add column "cancel_at_period_end" boolean not null default false,
      add column "canceled_at" timestamptz null,
      add column "ended_at" timestamptz null,
      add column "end_reason" text null;`);
    this.addSql(`alter table "outbox_messages" add column "subscription_id" uuid null
      references "subscriptions" ("id") on delete set null;`);
    this.addSql(`create index "outbox_messages_subscription_id_index" on "outbox_messages" ("subscription_id")
      where "subscription_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "outbox_messages" drop column if exists "subscription_id";`);
    this.addSql(`alter table "subscriptions" drop column if exists "cancel_at_period_end",
      drop column if exists "canceled_at", drop column if exists "ended_at", drop column if exists "end_reason";`);
  }
}
