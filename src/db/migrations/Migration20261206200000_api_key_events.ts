import { Migration } from '@mikro-orm/migrations';

/**
 * API processes keep the callers of the API keys they have seen in memory (src/auth/resolveCaller.ts) until the
 * event bus says the key or its app changed, so a revocation takes effect at the first request after its event
 * arrives rather than after a cache lifetime. So:
 *
 * - api_keys NOTIFY `apiKey` when a key is revoked (or un-revoked), its digest or app changes, or it is deleted.
 *   `last_used_at`, written by the API itself at most once a minute per key, announces nothing;
 * - api_clients NOTIFY `apiClient` when an app is disabled (or enabled), its scopes change, or it is deleted (its keys
 *   go with it, by cascade, and announce themselves too).
 *
 * A new key announces nothing: a key is only cached once found, and an unknown key is never cached.
 */
export class Migration20261206200000_api_key_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function "billing_notify_api_key"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('billing_events', json_build_object('kind', 'apiKey', 'apiKeyId', old.id,
          'apiClientId', old.api_client_id, 'tx', txid_current()::text)::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "api_keys_notify_update" after update on "api_keys"
      for each row when ((old.revoked_at, old.key_hash, old.api_client_id)
        is distinct from (new.revoked_at, new.key_hash, new.api_client_id))
      execute function "billing_notify_api_key"();`);
    this.addSql(`create trigger "api_keys_notify_delete" after delete on "api_keys"
      for each row execute function "billing_notify_api_key"();`);

    this.addSql(`create or replace function "billing_notify_api_client"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('billing_events', json_build_object('kind', 'apiClient', 'apiClientId', old.id,
          'tx', txid_current()::text)::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "api_clients_notify_update" after update on "api_clients"
      for each row when ((old.disabled_at, old.scopes) is distinct from (new.disabled_at, new.scopes))
      execute function "billing_notify_api_client"();`);
    this.addSql(`create trigger "api_clients_notify_delete" after delete on "api_clients"
      for each row execute function "billing_notify_api_client"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "api_keys_notify_update" on "api_keys";`);
    this.addSql(`drop trigger if exists "api_keys_notify_delete" on "api_keys";`);
    this.addSql(`drop trigger if exists "api_clients_notify_update" on "api_clients";`);
    this.addSql(`drop trigger if exists "api_clients_notify_delete" on "api_clients";`);
    this.addSql(`drop function if exists "billing_notify_api_key"();`);
    this.addSql(`drop function if exists "billing_notify_api_client"();`);
  }
}
