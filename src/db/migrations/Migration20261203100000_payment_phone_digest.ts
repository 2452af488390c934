import { Migration } from '@mikro-orm/migrations';

/**
 * A paid M-Pesa prompt whose CheckoutRequestID died with a worker is matched to its payment by phone and amount
 * (src/payments/webhooks/adoptOrphanPush.ts). Phones are stored only sealed, so each M-Pesa payment also keeps a keyed
 * digest of its phone: the callback route finds the few payments of that customer through this partial index instead
 * of locking and opening every waiting payment of the same amount. Rows written before this migration have no digest
 * (keys are not available to migrations); the route still reads those few, without locking them.
 */
export class Migration20261203100000_payment_phone_digest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "payments" add column "phone_digest" text null;`);
    this.addSql(`create index "payments_mpesa_waiting_phone_digest_index" on "payments" ("phone_digest", "amount")
      where "provider" = 'MPESA' and "status" = 'PENDING' and "provider_reference" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "payments_mpesa_waiting_phone_digest_index";`);
    this.addSql(`alter table "payments" drop column if exists "phone_digest";`);
  }
}
