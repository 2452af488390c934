import { Migration } from '@mikro-orm/migrations';

/**
 * Events out for money corrections (docs/webhooks.md): `credit_note.created` when a credit note is issued and
 * `offline_payment.recorded` when an administrator records money received outside the providers, each with the
 * object as the API shows it, recorded in the transaction that writes the row (like every other event).
 */
export class Migration20261211700000_correction_events extends Migration {
  override async up(): Promise<void> {
    const money = (amount: string, currency: string) =>
      `jsonb_build_object('amount', ${amount}, 'currency', ${currency})`;
    this.addSql(`create or replace function "billing_api_credit_note"(n "credit_notes") returns jsonb
      language sql stable as $$ select jsonb_build_object(
        'id', n.id, 'number', n.number, 'invoiceId', n.invoice_id, 'customerId', n.customer_id,
        'reason', n.reason, 'memo', n.memo, 'amount', ${money('n.amount', 'n.currency')},
        'reducesRemaining', ${money('n.reduces_remaining', 'n.currency')},
        'creditedToBalance', ${money('n.credited_to_balance', 'n.currency')},
        'refundAmount', ${money('n.refund_amount', 'n.currency')},
        'issuedAt', billing_api_time(n.issued_at), 'createdAt', billing_api_time(n.created_at)) $$;`);
    this.addSql(`create or replace function "billing_api_offline_payment"(o "offline_payments") returns jsonb
      language sql stable as $$ select jsonb_build_object(
        'id', o.id, 'invoiceId', o.invoice_id, 'customerId', o.customer_id, 'method', o.method,
        'amount', ${money('o.amount', 'o.currency')},
        'appliedToInvoice', ${money('o.applied_to_invoice', 'o.currency')},
        'creditedToBalance', ${money('o.credited_to_balance', 'o.currency')},
        'reference', o.reference, 'note', o.note, 'receivedAt', billing_api_time(o.received_at),
        'createdAt', billing_api_time(o.created_at)) $$;`);
    this.addSql(`create or replace function "billing_events_for_correction"() returns trigger language plpgsql as $$
      declare
        app uuid := (select api_client_id from customers where id = new.customer_id);
        subscription uuid := (select subscription_id from invoices where id = new.invoice_id);
      begin
        if tg_table_name = 'credit_notes' then
          perform billing_record_event('credit_note.created', app, new.customer_id, subscription,
            billing_api_credit_note(new::credit_notes));
        else
          perform billing_record_event('offline_payment.recorded', app, new.customer_id, subscription,
            billing_api_offline_payment(new::offline_payments));
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "credit_notes_record_events" after insert on "credit_notes"
      for each row execute function "billing_events_for_correction"();`);
    this.addSql(`create trigger "offline_payments_record_events" after insert on "offline_payments"
      for each row execute function "billing_events_for_correction"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "credit_notes_record_events" on "credit_notes";`);
    this.addSql(`drop trigger if exists "offline_payments_record_events" on "offline_payments";`);
    this.addSql(`drop function if exists "billing_events_for_correction"();`);
    this.addSql(`drop function if exists "billing_api_credit_note"("credit_notes");`);
    this.addSql(`drop function if exists "billing_api_offline_payment"("offline_payments");`);
  }
}
