import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts (users, sessions, tokens), client apps with hashed API keys, the catalog (products, versioned plans
 * with tiers, features and limits, coupons), full customer profiles scoped to their app, an audit trail, and an
 * outbox for notices that later issues deliver.
 */
export class Migration20261121010000_accounts_catalog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "user_role" as enum ('ADMIN', 'CUSTOMER');`);
    this.addSql(`create type "user_token_kind" as enum ('EMAIL_VERIFICATION', 'PASSWORD_RESET');`);
    this.addSql(`create type "customer_status" as enum ('ACTIVE', 'SUSPENDED');`);
    this.addSql(`create type "pricing_model" as enum ('FLAT', 'GRADUATED', 'VOLUME');`);
    this.addSql(`create type "coupon_duration" as enum ('ONCE', 'REPEATING', 'FOREVER');`);

    this.addSql(`create table "api_clients" (
      "id" uuid not null primary key,
      "name" text not null,
      "scopes" text[] not null default '{}',
      "disabled_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);

    // Keys are random 32-byte secrets: a SHA-256 digest is as strong as the key and keeps lookup one index probe.
    this.addSql(`create table "api_keys" (
      "id" uuid not null primary key,
      "api_client_id" uuid not null references "api_clients" ("id") on delete cascade,
      "name" text not null,
      "prefix" text not null,
      "key_hash" bytea not null constraint "api_keys_key_hash_unique" unique,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "api_keys_api_client_id_index" on "api_keys" ("api_client_id");`);

    // Customers belong to the app that created them (null: self-registered through a CUSTOMER user).
    this.addSql(`alter table "customers"
      drop constraint "customers_email_unique",
      add column "api_client_id" uuid null references "api_clients" ("id") on delete restrict,
      add column "external_id" text null,
      add column "phone" text null constraint "customers_phone_e164" check ("phone" ~ '^\\+[1-9][0-9]{6,14}$'),
      add column "address" jsonb null,
      add column "billing_address" jsonb null,
      add column "locale" text not null default 'en-KE',
      add column "preferences" jsonb not null default '{}',
      add column "status" "customer_status" not null default 'ACTIVE',
      add column "deleted_at" timestamptz null;`);
    this
      .addSql(`create unique index "customers_client_external_id_unique" on "customers" ("api_client_id", "external_id")
      where "external_id" is not null;`);
    this.addSql(`create unique index "customers_client_email_unique" on "customers"
      (coalesce("api_client_id", '00000000-0000-0000-0000-000000000000'::uuid), lower("email")) where "deleted_at" is null;`);
    this.addSql(
      `create index "customers_client_created_at_index" on "customers" ("api_client_id", "created_at", "id");`,
    );

    this.addSql(`create table "users" (
      "id" uuid not null primary key,
      "email" text not null,
      "password_hash" text not null,
      "role" "user_role" not null,
      "customer_id" uuid null references "customers" ("id") on delete set null,
      "email_verified_at" timestamptz null,
      "disabled_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "users_customer_role" check ("role" = 'ADMIN' or "customer_id" is not null));`);
    this.addSql(`create unique index "users_email_unique" on "users" (lower("email"));`);

    this.addSql(`create table "user_tokens" (
      "id" uuid not null primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "kind" "user_token_kind" not null,
      "token_hash" bytea not null constraint "user_tokens_token_hash_unique" unique,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "user_tokens_user_id_index" on "user_tokens" ("user_id");`);

    // Refresh tokens rotate within a family; presenting a used one revokes the whole family (theft detection).
    this.addSql(`create table "refresh_tokens" (
      "id" uuid not null primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "family_id" uuid not null,
      "token_hash" bytea not null constraint "refresh_tokens_token_hash_unique" unique,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "revoked_at" timestamptz null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);

    this.addSql(`create table "products" (
      "id" uuid not null primary key,
      "code" text not null constraint "products_code_unique" unique
        constraint "products_code_format" check ("code" ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
      "name" text not null,
      "description" text null,
      "features" jsonb not null default '[]',
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);

    // Plans made before products existed get one product of their own, so product_id can be required.
    this.addSql(`insert into "products" ("id", "code", "name", "created_at", "updated_at")
      select gen_random_uuid(), 'default', 'Default product', now(), now() where exists (select 1 from "plans");`);
    this.addSql(`alter table "plans"
      add column "product_id" uuid null references "products" ("id") on delete restrict,
      add column "family_id" uuid null,
      add column "version" int not null default 1 constraint "plans_version_positive" check ("version" > 0),
      add column "tier" text null,
      add column "features" jsonb not null default '[]',
      add column "limits" jsonb not null default '{}',
      add column "pricing_model" "pricing_model" not null default 'FLAT',
      add column "tiers" jsonb null;`);
    this.addSql(
      `update "plans" set "product_id" = (select "id" from "products" where "code" = 'default'), "family_id" = "id";`,
    );
    this.addSql(`alter table "plans" alter column "product_id" set not null, alter column "family_id" set not null;`);
    this.addSql(`alter table "plans" add constraint "plans_family_version_unique" unique ("family_id", "version");`);
    this.addSql(`alter table "plans" add constraint "plans_tiers_match_model"
      check (("pricing_model" = 'FLAT') = ("tiers" is null));`);
    this.addSql(`create index "plans_product_id_index" on "plans" ("product_id");`);

    this.addSql(`create table "coupons" (
      "id" uuid not null primary key,
      "code" text not null constraint "coupons_code_unique" unique
        constraint "coupons_code_format" check ("code" ~ '^[A-Z0-9][A-Z0-9_-]{2,39}$'),
      "name" text not null,
      "percent_off_basis_points" int null
        constraint "coupons_percent_range" check ("percent_off_basis_points" between 1 and 10000),
      "amounts_off" jsonb null,
      "duration" "coupon_duration" not null,
      "duration_in_periods" int null,
      "max_redemptions" int null constraint "coupons_max_redemptions_positive" check ("max_redemptions" > 0),
      "times_redeemed" int not null default 0,
      "redeem_by" timestamptz null,
      "plan_ids" uuid[] null,
      "active" boolean not null default true,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "coupons_one_kind_of_discount" check (("percent_off_basis_points" is null) <> ("amounts_off" is null)),
      constraint "coupons_repeating_has_periods" check (("duration" = 'REPEATING') = ("duration_in_periods" is not null)),
      constraint "coupons_redemptions_within_max" check ("max_redemptions" is null or "times_redeemed" <= "max_redemptions"));`);

    this.addSql(`alter table "subscriptions"
      add column "quantity" int not null default 1 constraint "subscriptions_quantity_positive" check ("quantity" > 0),
      add column "coupon_id" uuid null references "coupons" ("id") on delete restrict;`);

    this.addSql(`create table "audit_events" (
      "id" uuid not null primary key,
      "actor_type" text not null,
      "actor_id" text null,
      "action" text not null,
      "entity" text not null,
      "entity_id" text not null,
      "changes" jsonb not null default '{}',
      "created_at" timestamptz not null);`);
    this.addSql(`create index "audit_events_entity_index" on "audit_events" ("entity", "entity_id", "created_at");`);

    // Notices to send (verification, reset, lifecycle): written in the business transaction, unique per key,
    // so a retried mutation or activity never queues a message twice. The emails issue delivers them.
    this.addSql(`create table "outbox_messages" (
      "id" uuid not null primary key,
      "dedupe_key" text not null constraint "outbox_messages_dedupe_key_unique" unique,
      "kind" text not null,
      "recipient" text not null,
      "payload" jsonb not null,
      "created_at" timestamptz not null,
      "sent_at" timestamptz null);`);
    this.addSql(
      `create index "outbox_messages_unsent_index" on "outbox_messages" ("created_at") where "sent_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `drop table if exists "outbox_messages", "audit_events", "refresh_tokens", "user_tokens", "users", "api_keys";`,
    );
    this.addSql(`alter table "subscriptions" drop column "quantity", drop column "coupon_id";`);
    this.addSql(`drop table if exists "coupons";`);
    this
      .addSql(`alter table "plans" drop constraint "plans_tiers_match_model", drop constraint "plans_family_version_unique",
      drop column "product_id", drop column "family_id", drop column "version", drop column "tier", drop column "features",
      drop column "limits", drop column "pricing_model", drop column "tiers";`);
    this.addSql(`drop table if exists "products";`);
    this.addSql(
      `drop index if exists "customers_client_external_id_unique", "customers_client_email_unique", "customers_client_created_at_index";`,
    );
    this.addSql(`alter table "customers" drop column "api_client_id", drop column "external_id", drop column "phone",
      drop column "address", drop column "billing_address", drop column "locale", drop column "preferences",
      drop column "status", drop column "deleted_at", add constraint "customers_email_unique" unique ("email");`);
    this.addSql(`drop table if exists "api_clients";`);
    for (const type of ['coupon_duration', 'pricing_model', 'customer_status', 'user_token_kind', 'user_role']) {
      this.addSql(`drop type if exists "${type}";`);
    }
  }
}
