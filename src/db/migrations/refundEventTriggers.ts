// The SQL behind refunds' events (docs/webhooks.md) and live updates (src/events/), kept apart from the table
// definitions so the rules read as one list. The functions of eventsOutTriggers.ts are frozen with their migration;
// the payment object here adds `amountRefunded`, which only exists from the refunds migration on.

const money = (amount: string, currency: string) => `jsonb_build_object('amount', ${amount}, 'currency', ${currency})`;

export const paymentObjectWithRefunds = `create or replace function "billing_api_payment"(p "payments") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', p.id, 'invoiceId', p.invoice_id, 'customerId', p.customer_id, 'provider', p.provider,
    'status', p.status, 'attempt', p.attempt, 'amount', ${money('p.amount', 'p.currency')},
    'amountRefunded', ${money('p.amount_refunded', 'p.currency')},
    'providerReference', p.provider_reference, 'receiptNumber', p.receipt_number,
    'hardDecline', p.hard_decline, 'failureCode', p.failure_code, 'failureMessage', p.failure_message,
    'completedAt', billing_api_time(p.completed_at),
    'createdAt', billing_api_time(p.created_at), 'updatedAt', billing_api_time(p.updated_at)) $$;`;

const refundObject = `create or replace function "billing_api_refund"(r "refunds") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', r.id, 'paymentId', r.payment_id, 'invoiceId', r.invoice_id, 'customerId', r.customer_id,
    'provider', r.provider, 'status', r.status, 'amount', ${money('r.amount', 'r.currency')},
    'reason', r.reason, 'providerReference', r.provider_reference, 'failureCode', r.failure_code,
    'failureMessage', r.failure_message, 'creditNoteId', r.credit_note_id,
    'completedAt', billing_api_time(r.completed_at),
    'createdAt', billing_api_time(r.created_at), 'updatedAt', billing_api_time(r.updated_at)) $$;`;

/**
 * The reservation that keeps refunded <= paid: a new refund reserves its amount on the payment (the UPDATE takes the
 * payment's row lock, and the payment's CHECK refuses to go past its amount), a FAILED one gives it back. In the
 * refund's own transaction, so no code path can forget it.
 */
const reserve = `create or replace function "billing_refund_reserve"() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' and new.status <> 'FAILED' then
      update payments set amount_refunded = amount_refunded + new.amount where id = new.payment_id;
    elsif tg_op = 'UPDATE' and new.status = 'FAILED' and old.status <> 'FAILED' then
      update payments set amount_refunded = amount_refunded - old.amount where id = new.payment_id;
    elsif tg_op = 'UPDATE' and old.status = 'FAILED' and new.status <> 'FAILED' then
      raise exception 'refund % is FAILED and cannot change status', new.id;
    end if;
    return null;
  end $$;`;

/** refund.created / refund.succeeded / refund.failed, and payment.refunded when a refund of the payment succeeds. */
const refundEvents = `create or replace function "billing_events_for_refund"() returns trigger language plpgsql as $$
  declare
    app uuid := (select api_client_id from customers where id = new.customer_id);
    subscription uuid := (select subscription_id from invoices where id = new.invoice_id);
  begin
    if tg_op = 'INSERT' then
      perform billing_record_event('refund.created', app, new.customer_id, subscription, billing_api_refund(new));
    end if;
    if tg_op = 'UPDATE' and new.status = old.status then return null; end if;
    if new.status = 'SUCCEEDED' then
      perform billing_record_event('refund.succeeded', app, new.customer_id, subscription, billing_api_refund(new));
      perform billing_record_event('payment.refunded', app, new.customer_id, subscription,
        (select billing_api_payment(p) from payments p where p.id = new.payment_id));
    elsif new.status = 'FAILED' then
      perform billing_record_event('refund.failed', app, new.customer_id, subscription, billing_api_refund(new));
    end if;
    return null;
  end $$;`;

/** The live bus (src/events/billingEvents.ts): `refund` with its ids, like payments. */
const notify = `create or replace function "billing_notify_refund"() returns trigger language plpgsql as $$
  begin
    perform pg_notify('billing_events', json_build_object('kind', 'refund', 'refundId', new.id,
      'paymentId', new.payment_id, 'invoiceId', new.invoice_id, 'customerId', new.customer_id,
      'status', new.status, 'tx', txid_current()::text)::text);
    return null;
  end $$;`;

// A payment's status no longer becomes REFUNDED (it stays SUCCEEDED, like Stripe's charge): its refunds announce it.
const paymentEvents = `create or replace function "billing_events_for_payment"() returns trigger language plpgsql as $$
  declare
    app uuid := (select api_client_id from customers where id = new.customer_id);
    invoice "invoices";
  begin
    if tg_op = 'UPDATE' and new.status = old.status then return null; end if;
    if new.status not in ('SUCCEEDED', 'FAILED') then return null; end if;
    select * into invoice from invoices where id = new.invoice_id;
    perform billing_record_event(case new.status when 'SUCCEEDED' then 'payment.succeeded' else 'payment.failed' end,
      app, new.customer_id, invoice.subscription_id, billing_api_payment(new));
    if new.status = 'FAILED' then
      perform billing_record_event('invoice.payment_failed', app, new.customer_id, invoice.subscription_id,
        billing_api_invoice(invoice));
    end if;
    return null;
  end $$;`;

export const refundTriggerSql = [
  paymentObjectWithRefunds,
  refundObject,
  reserve,
  refundEvents,
  notify,
  paymentEvents,
  `create trigger "refunds_reserve" after insert or update of "status" on "refunds"
     for each row execute function "billing_refund_reserve"();`,
  `create trigger "refunds_record_events" after insert or update of "status" on "refunds"
     for each row execute function "billing_events_for_refund"();`,
  `create trigger "refunds_notify_insert" after insert on "refunds"
     for each row execute function "billing_notify_refund"();`,
  `create trigger "refunds_notify_update" after update on "refunds"
     for each row when (old.* is distinct from new.*) execute function "billing_notify_refund"();`,
];
