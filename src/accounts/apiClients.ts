// Client apps and their keys, managed by administrators. A key is shown once, when it is created.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { generateApiKey } from '../auth/apiKeys.js';
import { requireAdmin } from '../kernel/policy.js';
import { SCOPES, type Caller } from '../kernel/caller.js';
import { NotFoundError } from '../kernel/errors.js';
import { parseInput } from '../kernel/validate.js';
import { ApiClient, ApiKey } from '../entities/index.js';
import { returnOriginsSchema } from './returnOrigins.js';

export const createApiClientSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  // Any strings come in (as GraphQL sends them); each must be a known scope.
  scopes: z
    .array(z.string())
    .describe('e.g. read:customers, write:subscriptions.')
    .pipe(
      z
        .array(z.enum(SCOPES, { error: `must be scopes from: ${SCOPES.join(', ')}` }))
        .min(1, 'must name at least one scope')
        .transform((scopes) => [...new Set(scopes)]),
    ),
  returnOrigins: returnOriginsSchema.default([]),
});

export const setReturnOriginsSchema = z.object({
  apiClientId: z.string().uuid('must be a client app id (UUID)'),
  origins: returnOriginsSchema,
});

export async function createApiClient(em: EntityManager, caller: Caller, input: z.input<typeof createApiClientSchema>) {
  requireAdmin(caller);
  const data = parseInput(createApiClientSchema, input);
  const client = em.create(ApiClient, data);
  recordAudit(em, caller, 'api_client.created', 'ApiClient', client.id, {
    scopes: data.scopes,
    returnOrigins: data.returnOrigins,
  });
  await em.flush();
  return client;
}

/** Replaces the app's return origins; hosted sessions made before keep the URLs they were made with. */
export async function setApiClientReturnOrigins(
  em: EntityManager,
  caller: Caller,
  input: z.input<typeof setReturnOriginsSchema>,
) {
  requireAdmin(caller);
  const data = parseInput(setReturnOriginsSchema, input);
  const client = await em.findOne(ApiClient, { id: data.apiClientId });
  if (!client) throw new NotFoundError('ApiClient', data.apiClientId);
  recordAudit(em, caller, 'api_client.return_origins_set', 'ApiClient', client.id, {
    from: client.returnOrigins,
    to: data.origins,
  });
  client.returnOrigins = data.origins;
  await em.flush();
  return client;
}

export async function createApiKey(em: EntityManager, caller: Caller, apiClientId: string, name: string) {
  requireAdmin(caller);
  const client = await em.findOne(ApiClient, { id: apiClientId });
  if (!client) throw new NotFoundError('ApiClient', apiClientId);
  const { key, prefix, hash } = generateApiKey();
  const apiKey = em.create(ApiKey, { apiClient: client, name: name.trim() || 'default', prefix, keyHash: hash });
  recordAudit(em, caller, 'api_key.created', 'ApiKey', apiKey.id, { apiClientId, prefix });
  await em.flush();
  return { apiKey, key };
}

export async function revokeApiKey(em: EntityManager, caller: Caller, apiKeyId: string) {
  requireAdmin(caller);
  const apiKey = await em.findOne(ApiKey, { id: apiKeyId });
  if (!apiKey) throw new NotFoundError('ApiKey', apiKeyId);
  apiKey.revokedAt ??= new Date();
  recordAudit(em, caller, 'api_key.revoked', 'ApiKey', apiKey.id);
  await em.flush();
  return apiKey;
}
