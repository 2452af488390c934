import { Migration } from '@mikro-orm/migrations';

/**
 * Customer credit: a ledger of what we owe customers (a downgrade made mid-period credits the unused time) and of
 * its use on their invoices. Each row has a dedupe key from its business identity (the plan change, the invoice),
 * so a retried activity grants or spends once. An invoice records how much credit it took: what is left to pay is
 * always its total less that.
 */
export class Migration20261121120000_customer_credits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "customer_credits" (
      "id" uuid not null primary key,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "currency" char(3) not null constraint "customer_credits_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "amount" bigint not null constraint "customer_credits_amount_not_zero" check ("amount" <> 0),
      "kind" text not null constraint "customer_credits_kind" check ("kind" in ('GRANTED', 'APPLIED')),
      "description" text not null,
      "subscription_id" uuid null references "subscriptions" ("id") on delete restrict,
      "invoice_id" uuid null references "invoices" ("id") on delete restrict,
      "dedupe_key" text not null constraint "customer_credits_dedupe_key_unique" unique,
      "created_at" timestamptz not null,
      constraint "customer_credits_sign" check (("kind" = 'GRANTED') = ("amount" > 0)),
      constraint "customer_credits_applied_to_an_invoice" check ("kind" <> 'APPLIED' or "invoice_id" is not null));`);
    this.addSql(
      `create index "customer_credits_customer_currency_index" on "customer_credits" ("customer_id", "currency");`,
    );
    this.addSql(`alter table "invoices"
      add column "credit_applied" bigint not null default 0
        constraint "invoices_credit_applied_non_negative" check ("credit_applied" >= 0),
      add constraint "invoices_amount_due_is_total_less_credit" check ("amount_due" = "total" - "credit_applied");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoices" drop constraint if exists "invoices_amount_due_is_total_less_credit",
      drop column if exists "credit_applied";`);
    this.addSql(`drop table if exists "customer_credits";`);
  }
}
