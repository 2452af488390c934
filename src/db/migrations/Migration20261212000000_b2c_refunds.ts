import { Migration } from '@mikro-orm/migrations';

/**
 * How an M-Pesa refund gives the money back (docs/refunds.md): REVERSAL of the whole transaction, or B2C, a payment
 * to the phone that paid, for part of it (or for what is left after an earlier part). Null for PayPal refunds.
 */
export class Migration20261212000000_b2c_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refunds" add column "mpesa_method" text null;`);
    this.addSql(`update "refunds" set "mpesa_method" = 'REVERSAL' where "provider" = 'MPESA';`);
    this.addSql(`alter table "refunds" add constraint "refunds_mpesa_method" check (
      case "provider" when 'MPESA' then "mpesa_method" in ('REVERSAL', 'B2C') else "mpesa_method" is null end);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refunds" drop constraint if exists "refunds_mpesa_method";`);
    this.addSql(`alter table "refunds" drop column if exists "mpesa_method";`);
  }
}
