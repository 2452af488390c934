import { Migration } from '@mikro-orm/migrations';

/**
 * Refunds join the transactions ledger (money out, negative), and a refund made for a credit note names it with a
 * foreign key now that both tables exist.
 */
export class Migration20261211600000_ledger_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refunds" add constraint "refunds_credit_note_id_foreign"
      foreign key ("credit_note_id") references "credit_notes" ("id") on delete restrict;`);
    this.addSql(
      `create index "refunds_completed_at_index" on "refunds" ("completed_at") where "status" = 'SUCCEEDED';`,
    );
    this.addSql(`create or replace view "money_movements" as
      select p.id, 'CHARGE'::text as kind, p.provider::text as method, p.status::text as status, p.amount,
             p.currency, coalesce(p.receipt_number, p.provider_reference) as reference,
             coalesce(p.completed_at, p.created_at) as occurred_at, p.invoice_id, p.customer_id,
             'Charge attempt ' || p.attempt as description
      from payments p
      union all
      select r.id, 'REFUND', r.provider::text, r.status::text, -r.amount, r.currency, r.provider_reference,
             coalesce(r.completed_at, r.created_at), r.invoice_id, r.customer_id, r.reason
      from refunds r
      union all
      select o.id, 'OFFLINE_PAYMENT', o.method::text, 'SUCCEEDED', o.amount, o.currency, o.reference, o.received_at,
             o.invoice_id, o.customer_id, coalesce(o.note, 'Received outside the providers')
      from offline_payments o
      union all
      select k.id, case k.kind when 'GRANTED' then 'CREDIT_GRANTED' else 'CREDIT_APPLIED' end, 'BALANCE', 'SUCCEEDED',
             k.amount, k.currency, null, k.created_at, k.invoice_id, k.customer_id, k.description
      from customer_credits k;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refunds" drop constraint if exists "refunds_credit_note_id_foreign";`);
    this.addSql(`drop index if exists "refunds_completed_at_index";`);
  }
}
