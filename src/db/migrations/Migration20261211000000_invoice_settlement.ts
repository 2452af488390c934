import { Migration } from '@mikro-orm/migrations';

/**
 * What an invoice has been settled by, held by the database: payments (charges and offline payments) and credit
 * notes. `amount_remaining` is what is still to collect, a column Postgres computes (so nothing can make it drift):
 *
 *   amount_due (total less the balance credit applied at issue)
 *     - credit notes that reduced what was owed (amount_credited - amount_credited_after_payment)
 *     - amount_paid
 *
 * and never negative. A credit note on money already paid (amount_credited_after_payment) goes back to the customer
 * as balance or a refund, so it may never exceed what was paid. PAID means nothing remains.
 *
 * Offline payments (bank transfers, cash, cheques received outside the providers) are their own table: they are not
 * charge attempts, and the charge machinery's keys (invoice, attempt) do not apply. A reference is recorded once per
 * customer and method: recording the same bank transfer twice is refused by a unique index, not by care.
 */
export class Migration20261211000000_invoice_settlement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "invoices"
      add column "amount_paid" bigint not null default 0,
      add column "amount_credited" bigint not null default 0,
      add column "amount_credited_after_payment" bigint not null default 0,
      add column "amount_remaining" bigint generated always as
        ("amount_due" - ("amount_credited" - "amount_credited_after_payment") - "amount_paid") stored;`);
    // Until now an invoice was PAID by one payment of its whole amount due, or owed it all.
    this.addSql(`update "invoices" set "amount_paid" = "amount_due" where "status" = 'PAID';`);
    this.addSql(`alter table "invoices"
      add constraint "invoices_amount_paid_non_negative" check ("amount_paid" >= 0),
      add constraint "invoices_amount_credited_non_negative" check ("amount_credited" >= 0),
      add constraint "invoices_credited_after_payment_within_paid"
        check ("amount_credited_after_payment" >= 0 and "amount_credited_after_payment" <= "amount_credited"
               and "amount_credited_after_payment" <= "amount_paid"),
      add constraint "invoices_amount_remaining_non_negative" check ("amount_remaining" >= 0),
      add constraint "invoices_paid_means_settled" check ("status" <> 'PAID' or "amount_remaining" = 0);`);

    this.addSql(`create type "offline_payment_method" as enum ('BANK_TRANSFER', 'CASH', 'CHEQUE', 'OTHER');`);
    this.addSql(`create table "offline_payments" (
      "id" uuid not null primary key,
      "invoice_id" uuid not null references "invoices" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "method" "offline_payment_method" not null,
      "amount" bigint not null constraint "offline_payments_amount_positive" check ("amount" > 0),
      "currency" char(3) not null constraint "offline_payments_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "applied_to_invoice" bigint not null,
      "credited_to_balance" bigint not null,
      "reference" text not null constraint "offline_payments_reference_present"
        check (length(btrim("reference")) between 1 and 200),
      "note" text null,
      "received_at" timestamptz not null,
      "recorded_by" text not null,
      "created_at" timestamptz not null,
      constraint "offline_payments_split" check ("applied_to_invoice" >= 0 and "credited_to_balance" >= 0
        and "applied_to_invoice" + "credited_to_balance" = "amount"));`);
    this.addSql(`create unique index "offline_payments_reference_unique"
      on "offline_payments" ("customer_id", "method", lower(btrim("reference")));`);
    this.addSql(`create index "offline_payments_invoice_index" on "offline_payments" ("invoice_id");`);
    this.addSql(`create index "offline_payments_received_at_index" on "offline_payments" ("received_at", "id");`);
    // Events render the invoice as the API shows it, settlement included.
    this.addSql(`create or replace function "billing_api_invoice"(i "invoices") returns jsonb
      language sql stable as $$ select jsonb_build_object(
        'id', i.id, 'number', i.number, 'customerId', i.customer_id, 'subscriptionId', i.subscription_id,
        'kind', i.kind, 'status', i.status, 'periodIndex', i.period_index,
        'periodStart', billing_api_time(i.period_start), 'periodEnd', billing_api_time(i.period_end),
        'issuedAt', billing_api_time(i.issued_at), 'dueAt', billing_api_time(i.due_at),
        'paidAt', billing_api_time(i.paid_at),
        'subtotal', jsonb_build_object('amount', i.subtotal, 'currency', i.currency),
        'total', jsonb_build_object('amount', i.total, 'currency', i.currency),
        'creditApplied', jsonb_build_object('amount', i.credit_applied, 'currency', i.currency),
        'amountDue', jsonb_build_object('amount', i.amount_due, 'currency', i.currency),
        'amountPaid', jsonb_build_object('amount', i.amount_paid, 'currency', i.currency),
        'amountCredited', jsonb_build_object('amount', i.amount_credited, 'currency', i.currency),
        'amountRemaining', jsonb_build_object('amount', i.amount_remaining, 'currency', i.currency),
        'createdAt', billing_api_time(i.created_at), 'updatedAt', billing_api_time(i.updated_at)) $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "offline_payments";`);
    this.addSql(`drop type if exists "offline_payment_method";`);
    this.addSql(`alter table "invoices"
      drop constraint if exists "invoices_paid_means_settled",
      drop constraint if exists "invoices_amount_remaining_non_negative",
      drop constraint if exists "invoices_credited_after_payment_within_paid",
      drop constraint if exists "invoices_amount_credited_non_negative",
      drop constraint if exists "invoices_amount_paid_non_negative",
      drop column if exists "amount_remaining", drop column if exists "amount_credited_after_payment",
      drop column if exists "amount_credited", drop column if exists "amount_paid";`);
  }
}
