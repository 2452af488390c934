import { Migration } from '@mikro-orm/migrations';

/**
 * What KRA's eTIMS control unit answered for an invoice (docs/tax.md): its receipt number, signature, internal data
 * and QR code URL, printed on the invoice. All or none: an invoice is either signed or not yet submitted.
 */
export class Migration20261212110000_etims_receipts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "invoices"
      add column "etims_receipt_number" text null,
      add column "etims_signature" text null,
      add column "etims_internal_data" text null,
      add column "etims_qr_code_url" text null,
      add column "etims_signed_at" timestamptz null,
      add constraint "invoices_etims_all_or_none" check (
        num_nonnulls("etims_receipt_number", "etims_signature", "etims_internal_data", "etims_qr_code_url",
          "etims_signed_at") in (0, 5));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoices" drop constraint if exists "invoices_etims_all_or_none",
      drop column if exists "etims_signed_at", drop column if exists "etims_qr_code_url",
      drop column if exists "etims_internal_data", drop column if exists "etims_signature",
      drop column if exists "etims_receipt_number";`);
  }
}
