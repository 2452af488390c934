// Real credentials for tests that go through the GraphQL endpoint: an administrator who logs in, and client apps
// that an administrator creates, each with an API key.
import { randomUUID } from 'node:crypto';
import { createAdminUser } from '../../src/accounts/register.js';
import { SCOPES } from '../../src/kernel/caller.js';
import type { Orm } from '../../src/db/orm.js';
import type { RunningApi } from './api.js';

export type Headers = Record<string, string>;

export const ADMIN_PASSWORD = 'correct horse battery staple';

export async function adminHeaders(api: RunningApi, orm: Orm): Promise<Headers> {
  const email = `admin-${randomUUID()}@example.test`;
  await createAdminUser(orm.em.fork(), email, ADMIN_PASSWORD);
  const result = await api.graphql<{ login: { accessToken: string } }>(
    'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { email, password: ADMIN_PASSWORD } },
  );
  if (!result.data) throw new Error(`admin login failed: ${JSON.stringify(result.errors)}`);
  return { authorization: `Bearer ${result.data.login.accessToken}` };
}

export async function apiClientHeaders(
  api: RunningApi,
  admin: Headers,
  scopes: string[],
): Promise<{ headers: Headers; apiClientId: string }> {
  const client = await api.graphql<{ createApiClient: { id: string } }>(
    'mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { id } }',
    { input: { name: `app-${randomUUID().slice(0, 8)}`, scopes } },
    admin,
  );
  if (!client.data) throw new Error(`createApiClient failed: ${JSON.stringify(client.errors)}`);
  const key = await api.graphql<{ createApiKey: { key: string } }>(
    'mutation ($id: ID!) { createApiKey(apiClientId: $id, name: "test") { key } }',
    { id: client.data.createApiClient.id },
    admin,
  );
  if (!key.data) throw new Error(`createApiKey failed: ${JSON.stringify(key.errors)}`);
  return { headers: { 'x-api-key': key.data.createApiKey.key }, apiClientId: client.data.createApiClient.id };
}

/** Everything a client app can be granted except the operator-level scopes. */
export const ALL_CLIENT_SCOPES: string[] = SCOPES.filter(
  (scope) => !['read:reports', 'read:audit', 'admin'].includes(scope),
);
