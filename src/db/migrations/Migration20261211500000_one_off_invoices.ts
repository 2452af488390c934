import { Migration } from '@mikro-orm/migrations';

/**
 * One-off invoices: charges outside any subscription (a setup fee, a consultation, a payment an app asks for). They
 * are `ONE_OFF` invoices without a subscription (a check ties the two), numbered with the others, with `ITEM` lines.
 * They say how they are collected: `AUTOMATIC` charges the payment method kept on the invoice (sealed like a
 * subscription's), `SEND` emails the invoice for the customer to pay. For a one-off invoice the period columns hold
 * its issue and due dates. The caller's idempotency key (unique) creates one invoice however often it is sent.
 */
export class Migration20261211500000_one_off_invoices extends Migration {
  override async up(): Promise<void> {
    // New enum values can be added in a transaction but not used in it: the checks below compare as text.
    this.addSql(`alter type "invoice_kind" add value if not exists 'ONE_OFF';`);
    this.addSql(`alter type "invoice_line_kind" add value if not exists 'ITEM';`);
    this.addSql(`alter table "invoices"
      alter column "subscription_id" drop not null,
      add column "collection" text not null default 'AUTOMATIC'
        constraint "invoices_collection" check ("collection" in ('AUTOMATIC', 'SEND')),
      add column "payment_provider" "payment_provider" null,
      add column "payment_method_sealed" text null,
      add column "description" text null,
      add column "idempotency_key" text null constraint "invoices_idempotency_key_unique" unique,
      add constraint "invoices_one_off_without_subscription"
        check (("kind"::text = 'ONE_OFF') = ("subscription_id" is null)),
      add constraint "invoices_one_off_method_sealed"
        check (("payment_provider" is null) = ("payment_method_sealed" is null)),
      add constraint "invoices_one_off_keyed" check (("kind"::text = 'ONE_OFF') = ("idempotency_key" is not null));`);
    this.addSql(`create index "invoices_one_off_customer_index" on "invoices" ("customer_id", "issued_at")
      where "subscription_id" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `delete from "invoice_lines" where "invoice_id" in (select "id" from "invoices" where "subscription_id" is null);`,
    );
    this.addSql(`delete from "invoices" where "subscription_id" is null;`);
    this.addSql(`alter table "invoices"
      drop constraint if exists "invoices_one_off_keyed",
      drop constraint if exists "invoices_one_off_method_sealed",
      drop constraint if exists "invoices_one_off_without_subscription",
      drop column if exists "idempotency_key", drop column if exists "description",
      drop column if exists "payment_method_sealed", drop column if exists "payment_provider",
      drop column if exists "collection",
      alter column "subscription_id" set not null;`);
  }
}
