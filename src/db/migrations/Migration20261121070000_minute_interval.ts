import { Migration } from '@mikro-orm/migrations';

/** Minute-long billing periods, for watching a lifecycle against the sandboxes (refused in production). */
export class Migration20261121070000_minute_interval extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "billing_interval" add value if not exists 'MINUTE' before 'DAY';`);
  }

  override async down(): Promise<void> {
    // Postgres cannot drop an enum value; plans using it would have to go first. Nothing to undo safely.
  }
}
