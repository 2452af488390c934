import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints take turns in the delivery loop (src/webhooks/delivery/deliveryStore.ts): when each was last
 * served, so the one served longest ago is claimed first and dead endpoints' backlogs cannot starve healthy ones.
 */
export class Migration20261211900000_delivery_turns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_endpoints" add column "last_claimed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_endpoints" drop column if exists "last_claimed_at";`);
  }
}
