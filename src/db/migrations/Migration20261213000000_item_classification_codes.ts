import { Migration } from '@mikro-orm/migrations';

/**
 * KRA item classification codes (docs/tax.md): a product may carry its own, and each invoice line keeps the one it
 * was billed under, so eTIMS receives what the line was when issued even if the product's code changes later. Lines
 * without one (one-off lines, tax lines, lines written before this) take ETIMS_ITEM_CLASSIFICATION_CODE.
 */
export class Migration20261213000000_item_classification_codes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "products" add column "item_classification_code" text null,
      add constraint "products_item_classification_code_digits" check ("item_classification_code" ~ '^[0-9]{6,10}$');`);
    this.addSql(`alter table "invoice_lines" add column "item_classification_code" text null,
      add constraint "invoice_lines_item_classification_code_digits"
        check ("item_classification_code" ~ '^[0-9]{6,10}$');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice_lines" drop column if exists "item_classification_code";`);
    this.addSql(`alter table "products" drop column if exists "item_classification_code";`);
  }
}
