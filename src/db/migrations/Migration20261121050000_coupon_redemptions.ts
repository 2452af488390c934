import { Migration } from '@mikro-orm/migrations';

/**
 * Coupons redeemed on subscriptions. A coupon's duration counts billing periods from the one it was redeemed in, so
 * the subscription keeps that period's index next to the coupon: the two are set together or not at all. Discount
 * lines take money off, never add it.
 */
export class Migration20261121050000_coupon_redemptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "subscriptions"
      add column "coupon_redeemed_at_period" int null
        constraint "subscriptions_coupon_redeemed_at_period_non_negative" check ("coupon_redeemed_at_period" >= 0);`);
    // Nothing set coupon_id before this migration; should a row have one, its coupon counts from the first period.
    this.addSql(`update "subscriptions" set "coupon_redeemed_at_period" = 0 where "coupon_id" is not null;`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_coupon_redemption_complete"
      check (("coupon_id" is null) = ("coupon_redeemed_at_period" is null));`);
    this.addSql(`alter table "invoice_lines" add constraint "invoice_lines_discount_not_positive"
      check ("kind" <> 'DISCOUNT' or ("amount" <= 0 and "unit_amount" <= 0));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice_lines" drop constraint if exists "invoice_lines_discount_not_positive";`);
    this.addSql(`alter table "subscriptions" drop constraint if exists "subscriptions_coupon_redemption_complete",
      drop column if exists "coupon_redeemed_at_period";`);
  }
}
