import { Migration } from '@mikro-orm/migrations';

/**
 * The worker's eTIMS submissions (src/tax/etims/etimsSubmissionLoop.ts): how many times an invoice was offered to
 * the control unit, when it may be offered again (also the lease of the worker trying it now), and what the last
 * refusal said, for operators. The index holds only the invoices still unsigned, so the loop's claim stays cheap
 * however many invoices are signed.
 */
export class Migration20261212200000_etims_submissions extends Migration {
  override up(): void {
    this.addSql(`alter table "invoices"
      add column "etims_attempts" int not null default 0,
      add column "etims_next_attempt_at" timestamptz null,
      add column "etims_last_error" text null,
      add constraint "invoices_etims_attempts_not_negative" check ("etims_attempts" >= 0);`);
    this.addSql(`create index "invoices_etims_unsigned_index" on "invoices" ("issued_at")
      where "etims_receipt_number" is null and "status" in ('OPEN', 'PAID');`);
  }

  override down(): void {
    this.addSql(`drop index if exists "invoices_etims_unsigned_index";`);
    this.addSql(`alter table "invoices" drop constraint if exists "invoices_etims_attempts_not_negative",
      drop column if exists "etims_last_error", drop column if exists "etims_next_attempt_at",
      drop column if exists "etims_attempts";`);
  }
}
