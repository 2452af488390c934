import { Migration } from '@mikro-orm/migrations';
import { eventTriggerFunctions } from './eventsOutTriggers.js';

/**
 * Events out (docs/webhooks.md). The database records every event itself, like the live NOTIFY triggers, inside
 * the transaction that makes the change: no code path (a workflow's activity, an API request, an operator's fix
 * in SQL) can commit a change without its event, and a rolled-back change leaves none.
 *
 * - `events`: the catalog's events, each with its type, API version, the object as the API shows it (rendered by
 *   the `billing_api_*` functions), the app whose customer it concerns and an ordering key (the subscription, or
 *   the customer for customer events). `seq` orders them for listing and for delivery.
 * - `webhook_endpoints`: an app's receivers, with the secret sealed by the keyring (the worker must read it to
 *   sign) and, while a rotation's grace period runs, the previous one.
 * - `event_deliveries`: one per event and endpoint, queued by a trigger on `events` in the same transaction; the
 *   worker's delivery loop claims them (src/webhooks/deliveryLoop.ts).
 * - `event_delivery_attempts`: each HTTP attempt, its status code, latency and an excerpt of the answer.
 */
export class Migration20261210100000_events_out extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "events" (
      "id" uuid primary key default gen_random_uuid(),
      "seq" bigserial not null unique,
      "type" text not null check ("type" ~ '^[a-z_]+\\.[a-z_]+$'),
      "api_version" text not null,
      "api_client_id" uuid null references "api_clients" ("id") on delete cascade,
      "customer_id" uuid not null,
      "subscription_id" uuid null,
      "ordering_key" uuid not null,
      "object_id" uuid not null,
      "data" jsonb not null,
      "created_at" timestamptz not null default clock_timestamp());`);
    this.addSql(`create index "events_client_seq_index" on "events" ("api_client_id", "seq");`);
    this.addSql(`create index "events_customer_seq_index" on "events" ("customer_id", "seq");`);
    this.addSql(`create index "events_type_seq_index" on "events" ("type", "seq");`);

    this.addSql(`create type "webhook_endpoint_status" as enum ('ENABLED', 'DISABLED', 'FAILING');`);
    this.addSql(`create table "webhook_endpoints" (
      "id" uuid primary key,
      "api_client_id" uuid not null references "api_clients" ("id") on delete cascade,
      "url" text not null check ("url" ~ '^https?://'),
      "event_types" text[] not null,
      "description" text null,
      "status" webhook_endpoint_status not null default 'ENABLED',
      "secret_sealed" text not null,
      "previous_secret_sealed" text null,
      "previous_secret_expires_at" timestamptz null,
      "failing_since" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "webhook_endpoints_previous_secret_complete"
        check (("previous_secret_sealed" is null) = ("previous_secret_expires_at" is null)),
      constraint "webhook_endpoints_event_types_given" check (cardinality("event_types") > 0));`);
    this.addSql(`create index "webhook_endpoints_client_index" on "webhook_endpoints" ("api_client_id");`);

    this.addSql(`create type "event_delivery_status" as enum ('PENDING', 'DELIVERED', 'FAILED');`);
    this.addSql(`create table "event_deliveries" (
      "id" uuid primary key default gen_random_uuid(),
      "event_id" uuid not null references "events" ("id") on delete cascade,
      "event_seq" bigint not null,
      "endpoint_id" uuid not null references "webhook_endpoints" ("id") on delete cascade,
      "ordering_key" uuid not null,
      "status" event_delivery_status not null default 'PENDING',
      "attempts" integer not null default 0 check ("attempts" >= 0),
      "next_attempt_at" timestamptz not null default clock_timestamp(),
      "lease_until" timestamptz null,
      "last_status_code" integer null,
      "last_error" text null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null default clock_timestamp(),
      "updated_at" timestamptz not null default clock_timestamp(),
      constraint "event_deliveries_event_endpoint_unique" unique ("event_id", "endpoint_id"),
      constraint "event_deliveries_delivered_complete" check (("status" = 'DELIVERED') = ("delivered_at" is not null)));`);
    // Every delivery row is updated two or three times within seconds of its insert: room on each page for the new
    // versions (HOT updates, no index churn) and statistics kept fresh as the queue swings between empty and full,
    // so the claim keeps its index plan.
    this.addSql(`alter table "event_deliveries" set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02,
      autovacuum_analyze_scale_factor = 0.02);`);
    // The delivery loop's claim: each endpoint's due deliveries, soonest first, without reading those that wait.
    this
      .addSql(`create index "event_deliveries_due_index" on "event_deliveries" ("endpoint_id", "next_attempt_at", "event_seq")
      where "status" = 'PENDING';`);
    // Ordering: is an earlier delivery of the same subscription to the same endpoint still pending?
    this.addSql(`create index "event_deliveries_pending_order_index"
      on "event_deliveries" ("endpoint_id", "ordering_key", "event_seq") where "status" = 'PENDING';`);
    this.addSql(`create index "event_deliveries_event_index" on "event_deliveries" ("event_id");`);

    this.addSql(`create table "event_delivery_attempts" (
      "id" uuid primary key default gen_random_uuid(),
      "delivery_id" uuid not null references "event_deliveries" ("id") on delete cascade,
      "attempt" integer not null check ("attempt" > 0),
      "attempted_at" timestamptz not null,
      "status_code" integer null,
      "latency_ms" integer not null check ("latency_ms" >= 0),
      "response_excerpt" text null,
      "error" text null);`);
    this.addSql(`create index "event_delivery_attempts_delivery_index"
      on "event_delivery_attempts" ("delivery_id", "attempted_at");`);

    for (const statement of eventTriggerFunctions) this.addSql(statement);
  }

  override async down(): Promise<void> {
    for (const [trigger, table] of [
      ['subscriptions_record_events', 'subscriptions'],
      ['invoices_record_events', 'invoices'],
      ['payments_record_events', 'payments'],
      ['customers_record_events', 'customers'],
      ['outbox_messages_record_events', 'outbox_messages'],
      ['events_queue_deliveries', 'events'],
    ]) {
      this.addSql(`drop trigger if exists "${trigger}" on "${table}";`);
    }
    for (const fn of [
      'billing_events_for_subscription',
      'billing_events_for_invoice',
      'billing_events_for_payment',
      'billing_events_for_customer',
      'billing_events_for_notice',
      'billing_queue_deliveries',
      'billing_record_event',
      'billing_api_entitlement',
      'billing_api_subscription',
      'billing_api_invoice',
      'billing_api_payment',
      'billing_api_customer',
      'billing_api_time',
    ]) {
      this.addSql(`drop function if exists "${fn}";`);
    }
    this.addSql(`drop table if exists "event_delivery_attempts";`);
    this.addSql(`drop table if exists "event_deliveries";`);
    this.addSql(`drop type if exists "event_delivery_status";`);
    this.addSql(`drop table if exists "webhook_endpoints";`);
    this.addSql(`drop type if exists "webhook_endpoint_status";`);
    this.addSql(`drop table if exists "events";`);
  }
}
