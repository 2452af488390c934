import { Migration } from '@mikro-orm/migrations';

/**
 * The transactions ledger: every movement of money or of customer credit, as one view over the tables that record
 * them (src/ledger/). Amounts are signed from the business's side for cash (a charge +, a refund -) and from the
 * customer's balance for credit (granted +, applied -); `kind` says which. Each branch reads its own table's rows
 * and indexes; nothing is copied, so the ledger can never disagree with the payments it lists.
 */
export class Migration20261211400000_money_movements extends Migration {
  override async up(): Promise<void> {
    this.addSql(MONEY_MOVEMENTS_VIEW);
    this.addSql(`create index "customer_credits_created_at_index" on "customer_credits" ("created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view if exists "money_movements";`);
    this.addSql(`drop index if exists "customer_credits_created_at_index";`);
  }
}

const MONEY_MOVEMENTS_VIEW = `create or replace view "money_movements" as
  select p.id, 'CHARGE'::text as kind, p.provider::text as method, p.status::text as status, p.amount,
         p.currency, coalesce(p.receipt_number, p.provider_reference) as reference,
         coalesce(p.completed_at, p.created_at) as occurred_at, p.invoice_id, p.customer_id,
         'Charge attempt ' || p.attempt as description
  from payments p
  union all
  select o.id, 'OFFLINE_PAYMENT', o.method::text, 'SUCCEEDED', o.amount, o.currency, o.reference, o.received_at,
         o.invoice_id, o.customer_id, coalesce(o.note, 'Received outside the providers')
  from offline_payments o
  union all
  select k.id, case k.kind when 'GRANTED' then 'CREDIT_GRANTED' else 'CREDIT_APPLIED' end, 'BALANCE', 'SUCCEEDED',
         k.amount, k.currency, null, k.created_at, k.invoice_id, k.customer_id, k.description
  from customer_credits k;`;
