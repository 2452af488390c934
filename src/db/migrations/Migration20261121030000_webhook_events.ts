import { Migration } from '@mikro-orm/migrations';

/**
 * Every webhook or callback delivery, stored raw before anything else happens, accepted or not: the audit trail
 * for money that providers say moved. A provider's own event identity is unique, so a duplicate delivery is
 * recognised instead of being acted on twice.
 */
export class Migration20261121030000_webhook_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "webhook_event_status" as enum ('ACCEPTED', 'DUPLICATE', 'REJECTED');`);
    this.addSql(`create table "webhook_events" (
      "id" uuid not null primary key,
      "provider" "payment_provider" not null,
      "event_key" text null,
      "status" "webhook_event_status" not null,
      "reason" text null,
      "headers" jsonb not null,
      "raw_body" text not null,
      "received_at" timestamptz not null);`);
    // Only accepted deliveries claim their key: duplicates and rejects are kept too, as their own rows.
    this
      .addSql(`create unique index "webhook_events_provider_event_key_unique" on "webhook_events" ("provider", "event_key")
      where "status" = 'ACCEPTED';`);
    this.addSql(`create index "webhook_events_received_at_index" on "webhook_events" ("received_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_events";`);
    this.addSql(`drop type if exists "webhook_event_status";`);
  }
}
