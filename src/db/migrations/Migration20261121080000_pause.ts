import { Migration } from '@mikro-orm/migrations';

/** Pausing collection: since when, and the period at which it resumes by itself (null: until resumed). */
export class Migration20261121080000_pause extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "subscriptions"
      add column "paused_at" timestamptz null,
      add column "resumes_at_period" int null constraint "subscriptions_resumes_at_period_positive"
        check ("resumes_at_period" is null or "resumes_at_period" > 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "subscriptions" drop column if exists "paused_at", drop column if exists "resumes_at_period";`,
    );
  }
}
