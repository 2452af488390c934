import { Migration } from '@mikro-orm/migrations';

/**
 * The operators' lists (src/operations/): provider deliveries refused first then newest (and newest alone), notices
 * that did not go out, and payments PENDING since long ago. Each a small or partial index, so the tables' writers
 * (every delivery, every notice, every payment) pay little for them.
 */
export class Migration20261206120000_operations_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists "webhook_events_rejected_first_index"
      on "webhook_events" (("status" = 'REJECTED'), "received_at", "id");`);
    this.addSql(`create index if not exists "webhook_events_received_at_id_index"
      on "webhook_events" ("received_at", "id");`);
    this.addSql(`drop index if exists "webhook_events_received_at_index";`);
    this.addSql(`create index if not exists "outbox_messages_troubled_index" on "outbox_messages" ("created_at", "id")
      where "sent_at" is null and "skipped_at" is null and ("failed_at" is not null or "attempts" > 0);`);
    this.addSql(`create index if not exists "payments_pending_created_at_index" on "payments" ("created_at", "id")
      where "status" = 'PENDING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "webhook_events_received_at_index" on "webhook_events" ("received_at");`);
    for (const index of [
      'webhook_events_rejected_first_index',
      'webhook_events_received_at_id_index',
      'outbox_messages_troubled_index',
      'payments_pending_created_at_index',
    ]) {
      this.addSql(`drop index if exists "${index}";`);
    }
  }
}
