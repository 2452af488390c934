import { Migration } from '@mikro-orm/migrations';

/**
 * Credit notes: numbered documents (CN-2026-000007, gapless per year from their own counter, like invoices) that
 * take an amount off an invoice. Each records how its amount was used, and the parts always add up: what it took off
 * what was still owed, what it gave back to the customer's balance, and what it refunds. The invoice's own checks
 * (Migration20261211000000_invoice_settlement) keep its credit notes within what it billed.
 */
export class Migration20261211200000_credit_notes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "credit_note_number_counters" (
      "year" int not null primary key,
      "last_value" int not null constraint "credit_note_number_counters_last_value_non_negative" check ("last_value" >= 0));`);
    this.addSql(`create type "credit_note_reason" as enum
      ('DUPLICATE', 'FRAUDULENT', 'ORDER_CHANGE', 'PRODUCT_UNSATISFACTORY', 'SERVICE_ISSUE', 'OTHER');`);
    this.addSql(`create table "credit_notes" (
      "id" uuid not null primary key,
      "number" text not null constraint "credit_notes_number_unique" unique,
      "invoice_id" uuid not null references "invoices" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "currency" char(3) not null constraint "credit_notes_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "amount" bigint not null constraint "credit_notes_amount_positive" check ("amount" > 0),
      "reduces_remaining" bigint not null,
      "credited_to_balance" bigint not null,
      "refund_amount" bigint not null,
      "reason" "credit_note_reason" not null,
      "memo" text null,
      "idempotency_key" text not null constraint "credit_notes_idempotency_key_unique" unique,
      "issued_by" text not null,
      "issued_at" timestamptz not null,
      "created_at" timestamptz not null,
      constraint "credit_notes_parts_add_up" check ("reduces_remaining" >= 0 and "credited_to_balance" >= 0
        and "refund_amount" >= 0 and "reduces_remaining" + "credited_to_balance" + "refund_amount" = "amount"));`);
    this.addSql(`create index "credit_notes_invoice_index" on "credit_notes" ("invoice_id");`);
    this.addSql(`create index "credit_notes_customer_issued_index" on "credit_notes" ("customer_id", "issued_at");`);
    this.addSql(`create index "credit_notes_issued_at_index" on "credit_notes" ("issued_at", "id");`);
    this.addSql(`create table "credit_note_lines" (
      "id" uuid not null primary key,
      "credit_note_id" uuid not null references "credit_notes" ("id") on delete restrict,
      "position" int not null constraint "credit_note_lines_position_positive" check ("position" > 0),
      "description" text not null,
      "amount" bigint not null constraint "credit_note_lines_amount_positive" check ("amount" > 0),
      constraint "credit_note_lines_position_unique" unique ("credit_note_id", "position"));`);
    // A credit's origin on the balance: a credit note's part given back as balance names its note.
    this.addSql(`alter table "customer_credits"
      add column "credit_note_id" uuid null references "credit_notes" ("id") on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_credits" drop column if exists "credit_note_id";`);
    this.addSql(`drop table if exists "credit_note_lines";`);
    this.addSql(`drop table if exists "credit_notes";`);
    this.addSql(`drop type if exists "credit_note_reason";`);
    this.addSql(`drop table if exists "credit_note_number_counters";`);
  }
}
