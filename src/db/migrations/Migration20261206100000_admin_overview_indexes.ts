import { Migration } from '@mikro-orm/migrations';

/**
 * The admin overview (src/reports/adminOverview.ts) reads ranges by date per bucket: subscriptions started and
 * ended, payments that ended (collected or failed), renewals coming by the instant a subscription is next invoiced,
 * and the PAST_DUE subscriptions. Without these each would read its whole table.
 */
export class Migration20261206100000_admin_overview_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists "subscriptions_created_at_index" on "subscriptions" ("created_at");`);
    this.addSql(`create index if not exists "subscriptions_ended_at_index" on "subscriptions" ("ended_at")
      where "ended_at" is not null;`);
    this.addSql(`create index if not exists "payments_ended_completed_at_index" on "payments" ("completed_at")
      where "status" in ('SUCCEEDED', 'FAILED');`);
    // The expression is the one src/reports/upcomingRenewals.ts writes (RENEWAL_AT), and so is the condition.
    this.addSql(`create index if not exists "subscriptions_renewal_at_index"
      on "subscriptions" ((coalesce("current_period_end", "trial_end")))
      where "status" in ('TRIALING', 'ACTIVE', 'PAST_DUE') and not "cancel_at_period_end";`);
    this.addSql(`create index if not exists "subscriptions_status_created_at_id_index"
      on "subscriptions" ("status", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    for (const index of [
      'subscriptions_status_created_at_id_index',
      'subscriptions_renewal_at_index',
      'payments_ended_completed_at_index',
      'subscriptions_ended_at_index',
      'subscriptions_created_at_index',
    ]) {
      this.addSql(`drop index if exists "${index}";`);
    }
  }
}
