// API keys in memory, kept current by the event bus (src/auth/apiKeyCache.ts, Migration20261206200000): a key an API
// process has resolved is answered from memory (and the entitlement fast path answers with it), and a revocation,
// a disabled app or a narrowed scope committed elsewhere is in force from the first request after its event reaches
// the process. Writing last_used_at (which the API does itself) announces nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { publishBillingEvent } from '../../../src/events/billingEvents.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';

const ENTITLEMENT = /* GraphQL */ `
  query Entitlement($customerExternalId: String!, $product: String!) {
    entitlement(customerExternalId: $customerExternalId, product: $product) {
      granted
      reason
    }
  }
`;

interface Result {
  data?: { entitlement: { granted: boolean; reason: string } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe('API keys in memory, revoked by the event bus', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
    admin = await adminHeaders(api, orm);
  });

  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const ask = (headers: Headers) =>
    api.graphql<Result['data']>(ENTITLEMENT, { customerExternalId: 'someone', product: 'something' }, headers);

  /** A new app's key, resolved once, so that it is held in memory and the fast path answers with it. */
  async function aHeldKey(): Promise<{ headers: Headers; apiClientId: string; key: string }> {
    const app = await apiClientHeaders(api, admin, ['read:subscriptions']);
    const key = app.headers['x-api-key']!;
    await eventually('the key held in memory', async () => {
      expect((await ask(app.headers)).data?.entitlement.reason).toBe('CUSTOMER_NOT_FOUND');
      return api.apiKeys!.has(key) || undefined;
    });
    const answered = api.api.entitlementFastPath!.answered;
    expect((await ask(app.headers)).data?.entitlement.reason).toBe('CUSTOMER_NOT_FOUND');
    expect(api.api.entitlementFastPath!.answered).toBe(answered + 1);
    return { ...app, key };
  }

  /** The change's event has reached the API: the key is no longer held. */
  const dropped = (key: string) =>
    eventually('the change to reach the API', async () => (api.apiKeys!.has(key) ? undefined : true));

  const sql = (text: string, values: unknown[]) => orm.em.fork().getConnection().execute(text, values);

  it('refuses a revoked key from the first request after the revocation reaches the process', async () => {
    const app = await aHeldKey();
    const rows = await sql('select id from api_keys where api_client_id = ?', [app.apiClientId]);
    const { id } = rows[0] as { id: string };
    const revoked = await api.graphql('mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id }, admin);
    expect(revoked.errors).toBeUndefined();
    await dropped(app.key);

    const answered = api.api.entitlementFastPath!.answered;
    const after = await ask(app.headers);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(api.api.entitlementFastPath!.answered).toBe(answered);
    // And it is not taken back into memory by being asked again.
    expect((await ask(app.headers)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(api.apiKeys!.has(app.key)).toBe(false);
  });

  it('refuses every key of an app disabled in SQL, and a scope taken away, at the next request', async () => {
    const disabled = await aHeldKey();
    const narrowed = await aHeldKey();
    await sql('update api_clients set disabled_at = now() where id = ?', [disabled.apiClientId]);
    await sql(`update api_clients set scopes = '{read:customers}' where id = ?`, [narrowed.apiClientId]);
    await Promise.all([dropped(disabled.key), dropped(narrowed.key)]);

    expect((await ask(disabled.headers)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forbidden = await ask(narrowed.headers);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(forbidden.data).toBeNull();
  });

  it("keeps a key whose last use is written, and another app's key when one app changes", async () => {
    const kept = await aHeldKey();
    const other = await aHeldKey();
    await sql("update api_keys set last_used_at = now() - interval '1 hour' where api_client_id = ?", [
      kept.apiClientId,
    ]);
    await sql(`update api_clients set scopes = '{read:customers}' where id = ?`, [other.apiClientId]);
    await dropped(other.key);
    // Postgres delivers notifications in commit order: had the last_used_at write announced anything, it would have
    // arrived before the scope change's event and dropped the key.
    expect(api.apiKeys!.has(kept.key)).toBe(true);
  });

  it('forgets every key after a resync (events may have been missed)', async () => {
    const app = await aHeldKey();
    // A resync is raised by the listener itself after a reconnection; here its effect is applied directly.
    api.apiKeys!.apply({ kind: 'resync' });
    expect(api.apiKeys!.has(app.key)).toBe(false);
    // Unrelated events on the bus change nothing for keys.
    const app2 = await aHeldKey();
    const invalidations = api.apiKeys!.invalidations;
    await publishBillingEvent(orm.em.fork(), { kind: 'catalog' });
    await publishBillingEvent(orm.em.fork(), { kind: 'apiKey', apiKeyId: randomUUID(), apiClientId: randomUUID() });
    await eventually('the probe to arrive', async () =>
      api.apiKeys!.invalidations > invalidations ? true : undefined,
    );
    expect(api.apiKeys!.has(app2.key)).toBe(true);
  });
});
