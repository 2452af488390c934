import { Migration } from '@mikro-orm/migrations';

/**
 * How a subscription pays, and what each charge attempt used. Phone numbers and PayPal vault ids are stored sealed
 * (AES-256-GCM, see src/security/fieldCipher.ts); only a masked label is readable. Payments are found by the
 * provider's reference when a callback or webhook arrives, and a delivery row remembers the payment it concerned.
 */
export class Migration20261121040000_payment_methods extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "subscriptions"
      add column "payment_provider" "payment_provider" null,
      add column "payment_method_sealed" text null,
      add column "payment_method_label" text null,
      add constraint "subscriptions_payment_method_complete"
        check (("payment_provider" is null) = ("payment_method_sealed" is null));`);
    this.addSql(`alter table "payments"
      add column "payment_method_sealed" text null,
      add column "approval_url" text null,
      add column "receipt_number" text null,
      add column "hard_decline" boolean not null default false;`);
    this.addSql(`create index "payments_provider_reference_index" on "payments" ("provider", "provider_reference")
      where "provider_reference" is not null;`);
    this.addSql(`alter table "invoices" add column "paid_at" timestamptz null;`);
    this.addSql(`alter table "webhook_events"
      add column "payment_id" uuid null references "payments" ("id") on delete set null;`);
    this.addSql(`create index "webhook_events_payment_id_index" on "webhook_events" ("payment_id")
      where "payment_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_events" drop column if exists "payment_id";`);
    this.addSql(`alter table "invoices" drop column if exists "paid_at";`);
    this.addSql(`drop index if exists "payments_provider_reference_index";`);
    this.addSql(`alter table "payments" drop column if exists "payment_method_sealed",
      drop column if exists "approval_url", drop column if exists "receipt_number",
      drop column if exists "hard_decline";`);
    this.addSql(`alter table "subscriptions" drop constraint if exists "subscriptions_payment_method_complete",
      drop column if exists "payment_provider", drop column if exists "payment_method_sealed",
      drop column if exists "payment_method_label";`);
  }
}
