import { Migration } from '@mikro-orm/migrations';

/**
 * M-Pesa Ratiba standing orders (docs/ratiba.md): a recurring payment to our paybill that a customer approved once on
 * their phone, collecting a subscription's invoices. At most one live (awaiting approval or active) per subscription;
 * Daraja's reference is unique, so a result callback names one order. Its collections arrive as paybill payments.
 */
export class Migration20261212300000_ratiba_standing_orders extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "standing_order_status" as enum ('PENDING_APPROVAL', 'ACTIVE', 'DECLINED', 'LAPSED', 'CANCELLED');`,
    );
    this.addSql(`create table "standing_orders" (
      "id" uuid not null primary key,
      "subscription_id" uuid not null references "subscriptions" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "amount" bigint not null constraint "standing_orders_amount_whole_shillings" check ("amount" > 0 and "amount" % 100 = 0),
      "currency" char(3) not null constraint "standing_orders_currency_kes" check ("currency" = 'KES'),
      "frequency" smallint not null constraint "standing_orders_frequency" check ("frequency" between 2 and 8),
      "start_date" date not null,
      "end_date" date not null,
      "account_reference" text not null,
      "status" "standing_order_status" not null,
      "provider_reference" text null constraint "standing_orders_provider_reference_unique" unique,
      "transaction_id" text null,
      "failure_code" text null,
      "failure_message" text null,
      "approved_at" timestamptz null,
      "ended_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "standing_orders_dates" check ("end_date" > "start_date"),
      constraint "standing_orders_active_approved" check (("status" = 'ACTIVE') <= ("approved_at" is not null)));`);
    this
      .addSql(`create unique index "standing_orders_one_live_per_subscription" on "standing_orders" ("subscription_id")
      where "status" in ('PENDING_APPROVAL', 'ACTIVE');`);
    this.addSql(
      `create index "standing_orders_subscription_index" on "standing_orders" ("subscription_id", "created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "standing_orders";`);
    this.addSql(`drop type if exists "standing_order_status";`);
  }
}
