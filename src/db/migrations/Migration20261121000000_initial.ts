import { Migration } from '@mikro-orm/migrations';

/** Plans, customers, subscriptions, invoices and their lines; money as bigint minor units with checks. */
export class Migration20261121000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "billing_interval" as enum ('DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR');`);
    this.addSql(`create type "plan_status" as enum ('ACTIVE', 'ARCHIVED');`);
    this.addSql(
      `create type "subscription_status" as enum ('INCOMPLETE', 'INCOMPLETE_EXPIRED', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'PAUSED', 'CANCELED', 'UNPAID');`,
    );
    this.addSql(`create type "invoice_status" as enum ('DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE');`);
    this.addSql(
      `create type "invoice_line_kind" as enum ('PLAN', 'PRORATION_CREDIT', 'PRORATION_CHARGE', 'DISCOUNT', 'TAX');`,
    );

    this.addSql(`create table "customers" (
      "id" uuid not null primary key,
      "email" text not null constraint "customers_email_unique" unique,
      "name" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);

    this.addSql(`create table "plans" (
      "id" uuid not null primary key,
      "name" text not null,
      "description" text null,
      "amount" bigint not null constraint "plans_amount_non_negative" check ("amount" >= 0),
      "currency" char(3) not null constraint "plans_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "interval" "billing_interval" not null,
      "interval_count" int not null default 1 constraint "plans_interval_count_positive" check ("interval_count" > 0),
      "trial_days" int not null default 0 constraint "plans_trial_days_non_negative" check ("trial_days" >= 0),
      "status" "plan_status" not null default 'ACTIVE',
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create index "plans_status_created_at_index" on "plans" ("status", "created_at");`);

    this.addSql(`create table "subscriptions" (
      "id" uuid not null primary key,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "plan_id" uuid not null references "plans" ("id") on delete restrict,
      "status" "subscription_status" not null,
      "trial_start" timestamptz null,
      "trial_end" timestamptz null,
      "billing_anchor" timestamptz not null,
      "current_period_start" timestamptz null,
      "current_period_end" timestamptz null,
      "idempotency_key" text null constraint "subscriptions_idempotency_key_unique" unique,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create index "subscriptions_plan_id_index" on "subscriptions" ("plan_id");`);
    this.addSql(`create index "subscriptions_customer_id_status_index" on "subscriptions" ("customer_id", "status");`);

    this.addSql(`create table "invoices" (
      "id" uuid not null primary key,
      "number" text not null constraint "invoices_number_unique" unique,
      "subscription_id" uuid not null references "subscriptions" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "status" "invoice_status" not null,
      "period_index" int not null constraint "invoices_period_index_non_negative" check ("period_index" >= 0),
      "period_start" timestamptz not null,
      "period_end" timestamptz not null,
      "currency" char(3) not null constraint "invoices_currency_iso" check ("currency" ~ '^[A-Z]{3}$'),
      "subtotal" bigint not null,
      "total" bigint not null,
      "amount_due" bigint not null constraint "invoices_amount_due_non_negative" check ("amount_due" >= 0),
      "issued_at" timestamptz not null,
      "due_at" timestamptz not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "invoices_subscription_period_unique" unique ("subscription_id", "period_start"),
      constraint "invoices_period_ordered" check ("period_end" > "period_start"));`);
    this.addSql(`create index "invoices_customer_id_created_at_index" on "invoices" ("customer_id", "created_at");`);

    this.addSql(`create table "invoice_lines" (
      "id" uuid not null primary key,
      "invoice_id" uuid not null references "invoices" ("id") on delete cascade,
      "position" int not null,
      "kind" "invoice_line_kind" not null,
      "description" text not null,
      "quantity" int not null default 1 constraint "invoice_lines_quantity_positive" check ("quantity" > 0),
      "unit_amount" bigint not null,
      "amount" bigint not null,
      "period_start" timestamptz not null,
      "period_end" timestamptz not null,
      constraint "invoice_lines_invoice_position_unique" unique ("invoice_id", "position"));`);

    // Gapless yearly invoice numbers: one counter row per year, bumped inside the invoice's own transaction,
    // so a rolled-back invoice gives its number back and concurrent invoices queue on the row lock.
    this.addSql(`create table "invoice_number_counters" (
      "year" int not null primary key,
      "last_value" int not null constraint "invoice_number_counters_last_value_non_negative" check ("last_value" >= 0));`);
  }

  override async down(): Promise<void> {
    for (const table of [
      'invoice_number_counters',
      'invoice_lines',
      'invoices',
      'subscriptions',
      'plans',
      'customers',
    ]) {
      this.addSql(`drop table if exists "${table}";`);
    }
    for (const type of [
      'invoice_line_kind',
      'invoice_status',
      'subscription_status',
      'plan_status',
      'billing_interval',
    ]) {
      this.addSql(`drop type if exists "${type}";`);
    }
  }
}
