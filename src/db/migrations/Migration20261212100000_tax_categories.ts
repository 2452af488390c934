import { Migration } from '@mikro-orm/migrations';

/**
 * Tax categories (docs/tax.md): a plan, or failing that its product, names its category (STANDARD with a rate in
 * basis points, ZERO_RATED, EXEMPT); null on both keeps the global TAX setting, so existing plans bill as before.
 * A customer may hold a KRA PIN (letter, nine digits, letter) and a VAT exemption. Each invoice line records the
 * category and rate it was taxed under, so the totals per category can be read back from an issued invoice
 * forever; old lines keep null there and are shown under the global setting's name.
 */
export class Migration20261212100000_tax_categories extends Migration {
  override async up(): Promise<void> {
    for (const table of ['plans', 'products']) {
      this.addSql(`alter table "${table}"
        add column "tax_category" text null
          constraint "${table}_tax_category" check ("tax_category" in ('STANDARD', 'ZERO_RATED', 'EXEMPT')),
        add column "tax_rate_basis_points" integer null,
        add constraint "${table}_tax_rate" check (
          ("tax_category" = 'STANDARD') = ("tax_rate_basis_points" is not null)
          and coalesce("tax_rate_basis_points" between 1 and 10000, true));`);
    }
    this.addSql(`alter table "customers"
      add column "kra_pin" text null constraint "customers_kra_pin" check ("kra_pin" ~ '^[A-Z][0-9]{9}[A-Z]$'),
      add column "tax_exempt" boolean not null default false;`);
    this.addSql(`alter table "invoice_lines"
      add column "tax_category" text null
        constraint "invoice_lines_tax_category" check ("tax_category" in ('STANDARD', 'ZERO_RATED', 'EXEMPT')),
      add column "tax_rate_basis_points" integer null
        constraint "invoice_lines_tax_rate" check ("tax_rate_basis_points" between 0 and 10000);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice_lines" drop column if exists "tax_rate_basis_points",
      drop column if exists "tax_category";`);
    this.addSql(`alter table "customers" drop column if exists "tax_exempt", drop column if exists "kra_pin";`);
    for (const table of ['plans', 'products']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_tax_rate",
        drop column if exists "tax_rate_basis_points", drop column if exists "tax_category";`);
    }
  }
}
