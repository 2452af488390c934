import { Migration } from '@mikro-orm/migrations';

/**
 * The admin lists (src/search/): each sort key with id, so a page is one range scan from the last (key, id) seen
 * (src/graphql/pagination.ts), and trigram indexes (pg_trgm) for the contains-searches (`ILIKE '%x%'`) on customers'
 * names, emails and phones and on invoice numbers, which a btree cannot serve. Customers' indexes leave deleted
 * customers out, as every list does.
 */
export class Migration20261206110000_admin_search_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    const live = `where "deleted_at" is null`;
    this.addSql(
      `create index if not exists "customers_created_at_id_index" on "customers" ("created_at", "id") ${live};`,
    );
    this.addSql(`create index if not exists "customers_name_id_index" on "customers" ("name", "id") ${live};`);
    this.addSql(`create index if not exists "customers_email_id_index" on "customers" ("email", "id") ${live};`);
    this.addSql(`create index if not exists "customers_external_id_index" on "customers" ("external_id") ${live};`);
    for (const column of ['name', 'email', 'phone']) {
      this.addSql(`create index if not exists "customers_${column}_trigram_index" on "customers"
        using gin ("${column}" gin_trgm_ops) ${live};`);
    }
    this.addSql(
      `create index if not exists "subscriptions_created_at_id_index" on "subscriptions" ("created_at", "id");`,
    );
    this.addSql(`drop index if exists "subscriptions_created_at_index";`);
    // The expression is RENEWS_AT in src/search/searchSubscriptions.ts.
    this.addSql(`create index if not exists "subscriptions_renews_at_id_index"
      on "subscriptions" ((coalesce("current_period_end", "trial_end", "billing_anchor")), "id");`);
    for (const column of ['created_at', 'issued_at', 'due_at', 'total']) {
      this.addSql(`create index if not exists "invoices_${column}_id_index" on "invoices" ("${column}", "id");`);
    }
    this.addSql(`drop index if exists "invoices_issued_at_index";`);
    this.addSql(`create index if not exists "invoices_subscription_id_index" on "invoices" ("subscription_id");`);
    this.addSql(
      `create index if not exists "invoices_number_trigram_index" on "invoices" using gin ("number" gin_trgm_ops);`,
    );
    for (const column of ['created_at', 'amount']) {
      this.addSql(`create index if not exists "payments_${column}_id_index" on "payments" ("${column}", "id");`);
    }
    this.addSql(`create index if not exists "payments_reference_index" on "payments" ("provider_reference")
      where "provider_reference" is not null;`);
    this.addSql(`create index if not exists "payments_receipt_number_index" on "payments" ("receipt_number")
      where "receipt_number" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "invoices_issued_at_index" on "invoices" ("issued_at");`);
    this.addSql(`create index if not exists "subscriptions_created_at_index" on "subscriptions" ("created_at");`);
    for (const index of [
      'customers_created_at_id_index',
      'customers_name_id_index',
      'customers_email_id_index',
      'customers_external_id_index',
      'customers_name_trigram_index',
      'customers_email_trigram_index',
      'customers_phone_trigram_index',
      'subscriptions_created_at_id_index',
      'subscriptions_renews_at_id_index',
      'invoices_created_at_id_index',
      'invoices_issued_at_id_index',
      'invoices_due_at_id_index',
      'invoices_total_id_index',
      'invoices_subscription_id_index',
      'invoices_number_trigram_index',
      'payments_created_at_id_index',
      'payments_amount_id_index',
      'payments_reference_index',
      'payments_receipt_number_index',
    ]) {
      this.addSql(`drop index if exists "${index}";`);
    }
  }
}
