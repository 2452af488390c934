import { Migration } from '@mikro-orm/migrations';

/**
 * Payments: one row per charge attempt on an invoice. (invoice, attempt) and the idempotency key are unique, so
 * a retried charge activity can never record, or send to a provider, two charges for one attempt.
 */
export class Migration20261121020000_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "payment_provider" as enum ('MPESA', 'PAYPAL');`);
    this.addSql(`create type "payment_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'REFUNDED');`);
    this.addSql(`create table "payments" (
      "id" uuid not null primary key,
      "invoice_id" uuid not null references "invoices" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "provider" "payment_provider" not null,
      "status" "payment_status" not null,
      "attempt" int not null constraint "payments_attempt_positive" check ("attempt" > 0),
      "amount" bigint not null constraint "payments_amount_positive" check ("amount" > 0),
      "currency" char(3) not null constraint "payments_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "idempotency_key" text not null constraint "payments_idempotency_key_unique" unique,
      "provider_reference" text null,
      "failure_code" text null,
      "failure_message" text null,
      "completed_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "payments_invoice_attempt_unique" unique ("invoice_id", "attempt"));`);
    this.addSql(`create index "payments_customer_id_created_at_index" on "payments" ("customer_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payments";`);
    this.addSql(`drop type if exists "payment_status";`);
    this.addSql(`drop type if exists "payment_provider";`);
  }
}
