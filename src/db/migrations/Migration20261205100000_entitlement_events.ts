import { Migration } from '@mikro-orm/migrations';

/**
 * The entitlement cache (src/billing/entitlementCache.ts) must hear of every change that can change an answer, and
 * the live event triggers (Migration20261203120000) cover subscriptions, invoices and payments only. An answer also
 * depends on which app and externalId a customer has and whether it is deleted, and on the plan's name, features and
 * limits and the product's code. So:
 *
 * - customers NOTIFY `customer` on insert, on delete, and when `api_client_id`, `external_id` or `deleted_at`
 *   changes (an email or name change leaves every answer as it was), naming the customer and both its old and new
 *   (app, externalId): a cached "no such customer" is kept under the pair that was asked about, not under an id;
 * - plans and products NOTIFY `catalog` when what an answer shows or joins on changes. That happens by hand in SQL
 *   if ever (plans are versioned, not edited), so the event names nothing and listeners start over.
 */
export class Migration20261205100000_entitlement_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function "billing_notify_customer"() returns trigger language plpgsql as $$
      begin
        -- NEW is null on delete and OLD on insert (PostgreSQL 11+), and so are their fields.
        perform pg_notify('billing_events', json_build_object('kind', 'customer',
          'customerId', coalesce(new.id, old.id),
          'apiClientId', new.api_client_id, 'externalId', new.external_id,
          'previousApiClientId', old.api_client_id, 'previousExternalId', old.external_id,
          'tx', txid_current()::text)::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "customers_notify_insert" after insert on "customers"
      for each row execute function "billing_notify_customer"();`);
    this.addSql(`create trigger "customers_notify_update" after update on "customers"
      for each row when ((old.api_client_id, old.external_id, old.deleted_at)
        is distinct from (new.api_client_id, new.external_id, new.deleted_at))
      execute function "billing_notify_customer"();`);
    this.addSql(`create trigger "customers_notify_delete" after delete on "customers"
      for each row execute function "billing_notify_customer"();`);

    this.addSql(`create or replace function "billing_notify_catalog"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('billing_events', json_build_object('kind', 'catalog', 'tx', txid_current()::text)::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "plans_notify_update" after update on "plans"
      for each row when ((old.name, old.features, old.limits, old.product_id)
        is distinct from (new.name, new.features, new.limits, new.product_id))
      execute function "billing_notify_catalog"();`);
    this.addSql(`create trigger "products_notify_update" after update on "products"
      for each row when (old.code is distinct from new.code)
      execute function "billing_notify_catalog"();`);
  }

  override async down(): Promise<void> {
    for (const trigger of ['customers_notify_insert', 'customers_notify_update', 'customers_notify_delete']) {
      this.addSql(`drop trigger if exists "${trigger}" on "customers";`);
    }
    this.addSql(`drop trigger if exists "plans_notify_update" on "plans";`);
    this.addSql(`drop trigger if exists "products_notify_update" on "products";`);
    this.addSql(`drop function if exists "billing_notify_customer"();`);
    this.addSql(`drop function if exists "billing_notify_catalog"();`);
  }
}
