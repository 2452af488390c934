// The SQL that turns row changes into the catalog's events (src/webhooks/eventCatalog.ts lists the types and
// docs/webhooks.md documents them). Kept apart from the migration's tables so the rules read as one list.
//
// Objects are rendered the way the GraphQL API shows them: camelCase fields, ISO 8601 UTC times with
// milliseconds, money as { amount (minor units), currency }. A test compares each rendering with the API's answer.

export const EVENTS_API_VERSION_SQL = '2026-12-01';

const time = `create or replace function "billing_api_time"(t timestamptz) returns text
  language sql immutable as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;`;

const money = (amount: string, currency: string) => `jsonb_build_object('amount', ${amount}, 'currency', ${currency})`;

const subscriptionObject = `create or replace function "billing_api_subscription"(s "subscriptions") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', s.id, 'customerId', s.customer_id, 'planId', s.plan_id, 'status', s.status, 'quantity', s.quantity,
    'trialStart', billing_api_time(s.trial_start), 'trialEnd', billing_api_time(s.trial_end),
    'billingAnchor', billing_api_time(s.billing_anchor),
    'currentPeriodStart', billing_api_time(s.current_period_start),
    'currentPeriodEnd', billing_api_time(s.current_period_end),
    'paymentProvider', s.payment_provider, 'paymentMethodLabel', s.payment_method_label,
    'pendingPlanId', s.pending_plan_id, 'pendingQuantity', s.pending_quantity,
    'pendingChangeAtPeriod', s.pending_change_at_period,
    'pausedAt', billing_api_time(s.paused_at), 'resumesAtPeriod', s.resumes_at_period,
    'cancelAtPeriodEnd', s.cancel_at_period_end, 'canceledAt', billing_api_time(s.canceled_at),
    'endedAt', billing_api_time(s.ended_at), 'endReason', s.end_reason,
    'workflowId', 'subscription-' || s.id,
    'createdAt', billing_api_time(s.created_at), 'updatedAt', billing_api_time(s.updated_at)) $$;`;

const invoiceObject = `create or replace function "billing_api_invoice"(i "invoices") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', i.id, 'number', i.number, 'customerId', i.customer_id, 'subscriptionId', i.subscription_id,
    'kind', i.kind, 'status', i.status, 'periodIndex', i.period_index,
    'periodStart', billing_api_time(i.period_start), 'periodEnd', billing_api_time(i.period_end),
    'issuedAt', billing_api_time(i.issued_at), 'dueAt', billing_api_time(i.due_at),
    'paidAt', billing_api_time(i.paid_at),
    'subtotal', ${money('i.subtotal', 'i.currency')}, 'total', ${money('i.total', 'i.currency')},
    'creditApplied', ${money('i.credit_applied', 'i.currency')},
    'amountDue', ${money('i.amount_due', 'i.currency')},
    'createdAt', billing_api_time(i.created_at), 'updatedAt', billing_api_time(i.updated_at)) $$;`;

const paymentObject = `create or replace function "billing_api_payment"(p "payments") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', p.id, 'invoiceId', p.invoice_id, 'customerId', p.customer_id, 'provider', p.provider,
    'status', p.status, 'attempt', p.attempt, 'amount', ${money('p.amount', 'p.currency')},
    'providerReference', p.provider_reference, 'receiptNumber', p.receipt_number,
    'hardDecline', p.hard_decline, 'failureCode', p.failure_code, 'failureMessage', p.failure_message,
    'completedAt', billing_api_time(p.completed_at),
    'createdAt', billing_api_time(p.created_at), 'updatedAt', billing_api_time(p.updated_at)) $$;`;

const customerObject = `create or replace function "billing_api_customer"(c "customers") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', c.id, 'externalId', c.external_id, 'email', c.email, 'name', c.name, 'phone', c.phone,
    'address', c.address, 'billingAddress', c.billing_address, 'locale', c.locale, 'status', c.status,
    'deletedAt', billing_api_time(c.deleted_at),
    'createdAt', billing_api_time(c.created_at), 'updatedAt', billing_api_time(c.updated_at)) $$;`;

// One event row. The app is the customer's: events of customers no app owns are listed to administrators only.
const recordEvent = `create or replace function "billing_record_event"(
    event_type text, app uuid, customer uuid, subscription uuid, object jsonb) returns void
  language sql volatile as $$
    insert into "events" ("type", "api_version", "api_client_id", "customer_id", "subscription_id",
      "ordering_key", "object_id", "data")
    values (event_type, '${EVENTS_API_VERSION_SQL}', app, customer, subscription, coalesce(subscription, customer),
      (object ->> 'id')::uuid, jsonb_build_object('object', object)) $$;`;

/**
 * Which statuses let a customer in (src/billing/entitlement.ts): ACTIVE and TRIALING, and PAST_DUE during the
 * grace period. The grace period lapsing changes no row, so `entitlement.changed` follows the status only.
 */
const entitlementObject = `create or replace function "billing_api_entitlement"(s "subscriptions") returns jsonb
  language sql stable as $$ select jsonb_build_object(
    'id', s.id, 'subscriptionId', s.id, 'customerId', s.customer_id,
    'customerExternalId', (select external_id from customers where id = s.customer_id),
    'planId', s.plan_id, 'productCode', (select pr.code from plans pl join products pr on pr.id = pl.product_id
      where pl.id = s.plan_id),
    'status', s.status, 'granted', s.status in ('ACTIVE', 'TRIALING', 'PAST_DUE')) $$;`;

const subscriptionEvents = `create or replace function "billing_events_for_subscription"() returns trigger
  language plpgsql as $$
  declare
    app uuid;
    types text[] := '{}';
    event_type text;
  begin
    if tg_op = 'INSERT' then
      types := array['subscription.created'];
      if new.status = 'ACTIVE' then types := types || 'subscription.activated'::text; end if;
      if new.status in ('ACTIVE', 'TRIALING') then types := types || 'entitlement.changed'::text; end if;
    else
      if new.status is distinct from old.status then
        types := types || case
          when new.status = 'ACTIVE' and old.status = 'PAUSED' then 'subscription.resumed'
          when new.status = 'ACTIVE' then 'subscription.activated'
          when new.status = 'PAST_DUE' then 'subscription.past_due'
          when new.status = 'PAUSED' then 'subscription.paused'
          when new.status in ('CANCELED', 'UNPAID', 'INCOMPLETE_EXPIRED') then 'subscription.ended'
        end;
      end if;
      if old.current_period_start is not null and new.current_period_start > old.current_period_start then
        types := types || 'subscription.renewed'::text;
      end if;
      if new.plan_id is distinct from old.plan_id then types := types || 'subscription.plan_changed'::text; end if;
      if (new.cancel_at_period_end and not old.cancel_at_period_end)
        or (new.canceled_at is not null and old.canceled_at is null and not old.cancel_at_period_end) then
        types := types || 'subscription.canceled'::text;
      end if;
      if (new.status in ('ACTIVE', 'TRIALING', 'PAST_DUE')) <> (old.status in ('ACTIVE', 'TRIALING', 'PAST_DUE'))
        or new.plan_id is distinct from old.plan_id then
        types := types || 'entitlement.changed'::text;
      end if;
    end if;
    types := array_remove(types, null);
    if cardinality(types) = 0 then return null; end if;
    app := (select api_client_id from customers where id = new.customer_id);
    foreach event_type in array types loop
      perform billing_record_event(event_type, app, new.customer_id, new.id,
        case when event_type = 'entitlement.changed' then billing_api_entitlement(new)
             else billing_api_subscription(new) end);
    end loop;
    return null;
  end $$;`;

const invoiceEvents = `create or replace function "billing_events_for_invoice"() returns trigger language plpgsql as $$
  declare
    app uuid := (select api_client_id from customers where id = new.customer_id);
    types text[] := '{}';
    event_type text;
    was text := case when tg_op = 'INSERT' then 'DRAFT' else old.status::text end;
  begin
    if tg_op = 'INSERT' then types := array['invoice.created']; end if;
    if new.status::text is distinct from was or tg_op = 'INSERT' then
      if was = 'DRAFT' and new.status <> 'DRAFT' then types := types || 'invoice.finalized'::text; end if;
      if new.status::text <> was then
        types := types || case new.status
          when 'PAID' then 'invoice.paid'
          when 'VOID' then 'invoice.voided'
          when 'UNCOLLECTIBLE' then 'invoice.marked_uncollectible'
        end;
      end if;
    end if;
    foreach event_type in array array_remove(types, null) loop
      perform billing_record_event(event_type, app, new.customer_id, new.subscription_id, billing_api_invoice(new));
    end loop;
    return null;
  end $$;`;

const paymentEvents = `create or replace function "billing_events_for_payment"() returns trigger language plpgsql as $$
  declare
    app uuid := (select api_client_id from customers where id = new.customer_id);
    invoice "invoices";
  begin
    if tg_op = 'UPDATE' and new.status = old.status then return null; end if;
    if new.status not in ('SUCCEEDED', 'FAILED', 'REFUNDED') then return null; end if;
    select * into invoice from invoices where id = new.invoice_id;
    perform billing_record_event(case new.status when 'SUCCEEDED' then 'payment.succeeded'
        when 'FAILED' then 'payment.failed' else 'payment.refunded' end,
      app, new.customer_id, invoice.subscription_id, billing_api_payment(new));
    if new.status = 'FAILED' then
      perform billing_record_event('invoice.payment_failed', app, new.customer_id, invoice.subscription_id,
        billing_api_invoice(invoice));
    end if;
    return null;
  end $$;`;

const customerEvents = `create or replace function "billing_events_for_customer"() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      perform billing_record_event('customer.created', new.api_client_id, new.id, null, billing_api_customer(new));
    elsif tg_op = 'DELETE' then
      if old.deleted_at is null then
        perform billing_record_event('customer.deleted', old.api_client_id, old.id, null, billing_api_customer(old));
      end if;
    elsif new.deleted_at is not null and old.deleted_at is null then
      perform billing_record_event('customer.deleted', new.api_client_id, new.id, null, billing_api_customer(new));
    elsif (new.email, new.name, new.phone, new.address, new.billing_address, new.locale, new.status,
           new.external_id, new.api_client_id)
      is distinct from (old.email, old.name, old.phone, old.address, old.billing_address, old.locale, old.status,
           old.external_id, old.api_client_id) then
      perform billing_record_event('customer.updated', new.api_client_id, new.id, null, billing_api_customer(new));
    end if;
    return null;
  end $$;`;

// The trial-ending notice is queued by the workflow a few days before the trial ends; its event rides on it.
const noticeEvents = `create or replace function "billing_events_for_notice"() returns trigger language plpgsql as $$
  declare
    subscription "subscriptions";
  begin
    select * into subscription from subscriptions where id = new.subscription_id;
    if found then
      perform billing_record_event('subscription.trial_will_end',
        (select api_client_id from customers where id = subscription.customer_id),
        subscription.customer_id, subscription.id, billing_api_subscription(subscription));
    end if;
    return null;
  end $$;`;

// Every enabled or failing endpoint of the event's app that asked for its type gets a delivery, in the same
// transaction as the event (and so as the change).
const queueDeliveries = `create or replace function "billing_queue_deliveries"() returns trigger language plpgsql as $$
  begin
    insert into "event_deliveries" ("event_id", "event_seq", "endpoint_id", "ordering_key")
    select new.id, new.seq, e.id, new.ordering_key from "webhook_endpoints" e
    where e.api_client_id = new.api_client_id and e.status <> 'DISABLED'
      and (new.type = any (e.event_types) or '*' = any (e.event_types));
    return null;
  end $$;`;

const triggers = [
  `create trigger "subscriptions_record_events" after insert or update on "subscriptions"
     for each row execute function "billing_events_for_subscription"();`,
  `create trigger "invoices_record_events" after insert or update of "status" on "invoices"
     for each row execute function "billing_events_for_invoice"();`,
  `create trigger "payments_record_events" after insert or update of "status" on "payments"
     for each row execute function "billing_events_for_payment"();`,
  `create trigger "customers_record_events" after insert or update or delete on "customers"
     for each row execute function "billing_events_for_customer"();`,
  `create trigger "outbox_messages_record_events" after insert on "outbox_messages"
     for each row when (new.kind = 'trial_ending') execute function "billing_events_for_notice"();`,
  `create trigger "events_queue_deliveries" after insert on "events"
     for each row when (new.api_client_id is not null) execute function "billing_queue_deliveries"();`,
];

export const eventTriggerFunctions = [
  time,
  subscriptionObject,
  invoiceObject,
  paymentObject,
  customerObject,
  entitlementObject,
  recordEvent,
  subscriptionEvents,
  invoiceEvents,
  paymentEvents,
  customerEvents,
  noticeEvents,
  queueDeliveries,
  ...triggers,
];
