import { Migration } from '@mikro-orm/migrations';

/**
 * Reports sum invoices by issue date and successful payments by completion date over a range of dates: without
 * these, each report would read the whole table.
 */
export class Migration20261121110000_report_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists "invoices_issued_at_index" on "invoices" ("issued_at");`);
    this.addSql(`create index if not exists "payments_succeeded_completed_at_index" on "payments" ("completed_at")
      where "status" = 'SUCCEEDED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "payments_succeeded_completed_at_index";`);
    this.addSql(`drop index if exists "invoices_issued_at_index";`);
  }
}
