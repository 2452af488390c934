import { Migration } from '@mikro-orm/migrations';

/**
 * Hosted checkout and portal pages. A client app registers the origins its customers may be sent back to
 * (`api_clients.return_origins`), and asks for a session: a one-time link for one customer. Only the SHA-256 digest of
 * the link's token is stored (the token is 32 random bytes, so a fast digest is as strong as a slow one and lookup is
 * one index probe). `used_at` is set once, by the redeeming update itself, so a link works once however many
 * browsers race with it.
 */
export class Migration20261204100000_hosted_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_clients" add column "return_origins" text[] not null default '{}';`);
    this.addSql(`create type "hosted_session_kind" as enum ('CHECKOUT', 'PORTAL');`);
    this.addSql(`create table "hosted_sessions" (
      "id" uuid not null primary key,
      "kind" "hosted_session_kind" not null,
      "token_hash" bytea not null constraint "hosted_sessions_token_hash_unique" unique,
      "api_client_id" uuid not null references "api_clients" ("id") on delete cascade,
      "customer_id" uuid not null references "customers" ("id") on delete cascade,
      "plan_id" uuid null references "plans" ("id") on delete restrict,
      "quantity" integer null constraint "hosted_sessions_quantity_positive" check ("quantity" > 0),
      "coupon_code" text null,
      "success_url" text null,
      "cancel_url" text null,
      "return_url" text null,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "hosted_sessions_checkout_fields" check ("kind" <> 'CHECKOUT'
        or ("plan_id" is not null and "quantity" is not null and "success_url" is not null and "cancel_url" is not null)),
      constraint "hosted_sessions_portal_fields" check ("kind" <> 'PORTAL' or "return_url" is not null));`);
    this.addSql(`create index "hosted_sessions_customer_id_index" on "hosted_sessions" ("customer_id");`);
    this.addSql(`create index "hosted_sessions_api_client_id_index" on "hosted_sessions" ("api_client_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "hosted_sessions";`);
    this.addSql(`drop type if exists "hosted_session_kind";`);
    this.addSql(`alter table "api_clients" drop column if exists "return_origins";`);
  }
}
