import { Migration } from '@mikro-orm/migrations';
import { refundTriggerSql } from './refundEventTriggers.js';

/**
 * Refunds (docs/refunds.md): one row per refund of a payment, with its own status. `payments.amount_refunded` is
 * what PENDING and SUCCEEDED refunds hold of the payment, kept by a trigger on `refunds` under the payment's row
 * lock, and its CHECK is the invariant: never more refunded than paid. `credit_note_id` has no foreign key yet (the
 * credit notes table comes with them). Provider deliveries about a refund (M-Pesa reversal results) name it in
 * `webhook_events.refund_id`.
 */
export class Migration20261211100000_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "refund_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`alter table "payments" add column "amount_refunded" bigint not null default 0,
      add constraint "payments_amount_refunded_check" check ("amount_refunded" >= 0 and "amount_refunded" <= "amount");`);
    this.addSql(`create table "refunds" (
      "id" uuid not null primary key,
      "payment_id" uuid not null references "payments" ("id") on delete restrict,
      "invoice_id" uuid not null references "invoices" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "provider" "payment_provider" not null,
      "amount" bigint not null check ("amount" > 0),
      "currency" char(3) not null,
      "status" "refund_status" not null,
      "reason" text not null,
      "idempotency_key" text not null unique,
      "provider_reference" text null,
      "provider_request_id" text null,
      "provider_requested_at" timestamptz null,
      "failure_code" text null,
      "failure_message" text null,
      "credit_note_id" uuid null,
      "requested_by" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "completed_at" timestamptz null);`);
    this.addSql(`create index "refunds_payment_id_index" on "refunds" ("payment_id");`);
    this.addSql(`create index "refunds_customer_created_index" on "refunds" ("customer_id", "created_at");`);
    this.addSql(`create index "refunds_status_created_index" on "refunds" ("status", "created_at");`);
    this.addSql(`create index "refunds_provider_request_id_index" on "refunds" ("provider_request_id")
      where "provider_request_id" is not null;`);
    this.addSql(`create index "refunds_provider_reference_index" on "refunds" ("provider_reference")
      where "provider_reference" is not null;`);
    this.addSql(`alter table "webhook_events" add column "refund_id" uuid null;`);
    for (const sql of refundTriggerSql) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refunds";`);
    this.addSql(`drop function if exists "billing_refund_reserve"();`);
    this.addSql(`drop function if exists "billing_events_for_refund"();`);
    this.addSql(`drop function if exists "billing_notify_refund"();`);
    this.addSql(`drop function if exists "billing_api_refund"("refunds");`);
    this.addSql(`alter table "webhook_events" drop column if exists "refund_id";`);
    this.addSql(`alter table "payments" drop constraint if exists "payments_amount_refunded_check",
      drop column if exists "amount_refunded";`);
    this.addSql(`drop type if exists "refund_status";`);
  }
}
