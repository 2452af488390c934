import { Migration } from '@mikro-orm/migrations';

/**
 * A PayPal delivery's PAYPAL-TRANSMISSION-ID, kept in its own column: a transmission id that PayPal signed for one
 * body must never be accepted with another (the signature covers only the body's CRC-32, which a forger can match).
 * Only one accepted delivery may hold a transmission id, so two different bodies racing in under one id cannot both
 * be accepted; the plain index serves the lookup of earlier deliveries, whatever their status.
 */
export class Migration20261203110000_webhook_transmission_id extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_events" add column "transmission_id" text null;`);
    this.addSql(`update "webhook_events" set "transmission_id" = "headers"->>'paypal-transmission-id'
      where "provider" = 'PAYPAL' and "headers" ? 'paypal-transmission-id';`);
    this.addSql(`create index "webhook_events_provider_transmission_id_index"
      on "webhook_events" ("provider", "transmission_id") where "transmission_id" is not null;`);
    this.addSql(`create unique index "webhook_events_provider_transmission_id_accepted_unique"
      on "webhook_events" ("provider", "transmission_id") where "status" = 'ACCEPTED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "webhook_events_provider_transmission_id_accepted_unique";`);
    this.addSql(`drop index if exists "webhook_events_provider_transmission_id_index";`);
    this.addSql(`alter table "webhook_events" drop column if exists "transmission_id";`);
  }
}
