import { Migration } from '@mikro-orm/migrations';

/**
 * M-Pesa paybill payments (C2B, docs/paybill.md): money a customer sends to the business's paybill from their phone,
 * naming an invoice or their account number as the account. Each is recorded once by its M-Pesa receipt (TransID),
 * matched to a customer and spread over their open invoices (`paybill_allocations`) with the rest on their balance,
 * or kept UNMATCHED, with the reason, until an administrator assigns it. Customers get an account number to type.
 */
export class Migration20261211800000_paybill_payments extends Migration {
  override async up(): Promise<void> {
    // Short, typed on a phone, any case: ACC000042. Existing customers get theirs now, in creation order.
    this.addSql(`create sequence "customer_account_numbers";`);
    this.addSql(`alter table "customers" add column "account_number" text;`);
    this
      .addSql(`update "customers" c set "account_number" = 'ACC' || lpad(nextval('customer_account_numbers')::text, 6, '0')
      from (select id from "customers" order by "created_at", "id") o where o.id = c.id;`);
    this.addSql(`alter table "customers"
      alter column "account_number" set default 'ACC' || lpad(nextval('customer_account_numbers')::text, 6, '0'),
      alter column "account_number" set not null,
      add constraint "customers_account_number_format" check ("account_number" ~ '^ACC[0-9]{6,}$'),
      add constraint "customers_account_number_unique" unique ("account_number");`);

    this.addSql(`create type "paybill_payment_status" as enum ('MATCHED', 'UNMATCHED');`);
    this.addSql(`create table "paybill_payments" (
      "id" uuid not null primary key,
      "trans_id" text not null constraint "paybill_payments_trans_id_unique" unique
        constraint "paybill_payments_trans_id_format" check ("trans_id" ~ '^[A-Z0-9]{6,20}$'),
      "short_code" text not null,
      "transaction_type" text not null,
      "bill_ref_number" text not null,
      "amount" bigint not null constraint "paybill_payments_amount_positive" check ("amount" > 0),
      "currency" char(3) not null constraint "paybill_payments_currency_kes" check ("currency" = 'KES'),
      "payer_msisdn" text not null,
      "payer_name" text not null,
      "paid_at" timestamptz not null,
      "status" "paybill_payment_status" not null,
      "unmatched_reason" text null,
      "customer_id" uuid null references "customers" ("id") on delete restrict,
      "applied_to_invoices" bigint not null default 0,
      "credited_to_balance" bigint not null default 0,
      "matched_by" text null,
      "matched_at" timestamptz null,
      "webhook_event_id" uuid not null references "webhook_events" ("id") on delete restrict,
      "created_at" timestamptz not null,
      constraint "paybill_payments_matched_has_customer" check (
        ("status" = 'MATCHED') = ("customer_id" is not null and "matched_at" is not null and "matched_by" is not null)),
      constraint "paybill_payments_unmatched_has_reason" check (("status" = 'UNMATCHED') = ("unmatched_reason" is not null)),
      constraint "paybill_payments_split" check ("applied_to_invoices" >= 0 and "credited_to_balance" >= 0 and
        case "status" when 'MATCHED' then "applied_to_invoices" + "credited_to_balance" = "amount"
          else "applied_to_invoices" = 0 and "credited_to_balance" = 0 end));`);
    this.addSql(`create index "paybill_payments_unmatched_index" on "paybill_payments" ("paid_at", "id")
      where "status" = 'UNMATCHED';`);
    this.addSql(`create index "paybill_payments_customer_index" on "paybill_payments" ("customer_id");`);

    this.addSql(`create table "paybill_allocations" (
      "id" uuid not null primary key,
      "paybill_payment_id" uuid not null references "paybill_payments" ("id") on delete restrict,
      "invoice_id" uuid not null references "invoices" ("id") on delete restrict,
      "customer_id" uuid not null references "customers" ("id") on delete restrict,
      "amount" bigint not null constraint "paybill_allocations_amount_positive" check ("amount" > 0),
      "currency" char(3) not null constraint "paybill_allocations_currency_kes" check ("currency" = 'KES'),
      "created_at" timestamptz not null,
      constraint "paybill_allocations_once_per_invoice" unique ("paybill_payment_id", "invoice_id"));`);
    this.addSql(`create index "paybill_allocations_invoice_index" on "paybill_allocations" ("invoice_id");`);

    // The ledger: what went to each invoice, and what went to the balance, sum to the money received.
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
      from customer_credits k
      union all
      select a.id, 'PAYBILL_PAYMENT', 'MPESA', 'SUCCEEDED', a.amount, a.currency, pp.trans_id, pp.paid_at,
             a.invoice_id, a.customer_id, 'Paybill payment, account ' || pp.bill_ref_number
      from paybill_allocations a join paybill_payments pp on pp.id = a.paybill_payment_id
      union all
      select pp.id, 'PAYBILL_PAYMENT', 'MPESA', 'SUCCEEDED', pp.credited_to_balance, pp.currency, pp.trans_id,
             pp.paid_at, null, pp.customer_id, 'Paybill payment, account ' || pp.bill_ref_number || ', to the balance'
      from paybill_payments pp where pp.status = 'MATCHED' and pp.credited_to_balance > 0;`);

    // Events out: the client app hears of a paybill payment once it is its customer's (matched, now or later).
    this.addSql(`create or replace function "billing_api_paybill_payment"(p "paybill_payments") returns jsonb
      language sql stable as $$ select jsonb_build_object(
        'id', p.id, 'customerId', p.customer_id, 'transId', p.trans_id, 'accountReference', p.bill_ref_number,
        'amount', jsonb_build_object('amount', p.amount, 'currency', p.currency),
        'appliedToInvoices', jsonb_build_object('amount', p.applied_to_invoices, 'currency', p.currency),
        'creditedToBalance', jsonb_build_object('amount', p.credited_to_balance, 'currency', p.currency),
        'invoiceIds', coalesce((select jsonb_agg(a.invoice_id order by a.created_at, a.id)
          from paybill_allocations a where a.paybill_payment_id = p.id), '[]'::jsonb),
        'paidAt', billing_api_time(p.paid_at), 'createdAt', billing_api_time(p.created_at)) $$;`);
    this
      .addSql(`create or replace function "billing_events_for_paybill_payment"() returns trigger language plpgsql as $$
      begin
        if new.status = 'MATCHED' and (tg_op = 'INSERT' or old.status <> 'MATCHED') then
          perform billing_record_event('paybill_payment.received',
            (select api_client_id from customers where id = new.customer_id), new.customer_id, null,
            billing_api_paybill_payment(new::paybill_payments));
        end if;
        return null;
      end $$;`);
    // Deferred to the commit: by then the payment's allocations are written, and the event lists their invoices.
    this.addSql(`create constraint trigger "paybill_payments_record_events" after insert or update of "status"
      on "paybill_payments" deferrable initially deferred
      for each row execute function "billing_events_for_paybill_payment"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "paybill_payments_record_events" on "paybill_payments";`);
    this.addSql(`drop function if exists "billing_events_for_paybill_payment"();`);
    this.addSql(`drop function if exists "billing_api_paybill_payment"("paybill_payments");`);
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
    this.addSql(`drop table if exists "paybill_allocations";`);
    this.addSql(`drop table if exists "paybill_payments";`);
    this.addSql(`drop type if exists "paybill_payment_status";`);
    this.addSql(`alter table "customers" drop column if exists "account_number";`);
    this.addSql(`drop sequence if exists "customer_account_numbers";`);
  }
}
