import { Migration } from '@mikro-orm/migrations';

/**
 * Lifecycle audit events are written by the workflow's activities, in the transaction that makes the change; a
 * retried activity must not write a second one, so such events carry the Update's id as a key.
 */
export class Migration20261121130000_audit_dedupe extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_events" add column "dedupe_key" text null
      constraint "audit_events_dedupe_key_unique" unique;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_events" drop column if exists "dedupe_key";`);
  }
}
