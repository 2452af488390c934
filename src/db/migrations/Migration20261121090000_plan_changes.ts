import { Migration } from '@mikro-orm/migrations';

/**
 * Plan and quantity changes. A change now bills the rest of the period on a PRORATION invoice of its own, unique by
 * the change's id (so a retried activity bills it once); period invoices stay unique per subscription and period.
 * A change at the period end waits on the subscription until the next period's invoice applies it.
 */
export class Migration20261121090000_plan_changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "invoice_kind" as enum ('PERIOD', 'PRORATION');`);
    this.addSql(`alter table "invoices"
      add column "kind" "invoice_kind" not null default 'PERIOD',
      add column "plan_change_id" uuid null constraint "invoices_plan_change_id_unique" unique,
      add constraint "invoices_proration_has_change" check (("kind" = 'PRORATION') = ("plan_change_id" is not null));`);
    this.addSql(`alter table "invoices" drop constraint "invoices_subscription_period_unique";`);
    this
      .addSql(`create unique index "invoices_subscription_period_unique" on "invoices" ("subscription_id", "period_start")
      where "kind" = 'PERIOD';`);
    this.addSql(`alter table "subscriptions"
      add column "pending_plan_id" uuid null references "plans" ("id") on delete restrict,
      add column "pending_quantity" int null constraint "subscriptions_pending_quantity_positive"
        check ("pending_quantity" is null or "pending_quantity" > 0),
      add column "pending_change_at_period" int null,
      add constraint "subscriptions_pending_change_complete" check (
        ("pending_plan_id" is null) = ("pending_quantity" is null)
        and ("pending_plan_id" is null) = ("pending_change_at_period" is null));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "subscriptions" drop constraint if exists "subscriptions_pending_change_complete",
      drop column if exists "pending_plan_id", drop column if exists "pending_quantity",
      drop column if exists "pending_change_at_period";`);
    this.addSql(`drop index if exists "invoices_subscription_period_unique";`);
    this.addSql(`delete from "invoices" where "kind" = 'PRORATION';`);
    this.addSql(`alter table "invoices" drop constraint if exists "invoices_proration_has_change",
      drop column if exists "plan_change_id", drop column if exists "kind";`);
    this.addSql(`alter table "invoices" add constraint "invoices_subscription_period_unique"
      unique ("subscription_id", "period_start");`);
    this.addSql(`drop type if exists "invoice_kind";`);
  }
}
