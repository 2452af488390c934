// An app registers a receiver. The signing secret is made here, sealed, and shown once in the answer.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { ApiClient, WebhookEndpoint } from '../../entities/index.js';
import { endpointSecretContext } from '../endpointSecrets.js';
import type { Caller } from '../../kernel/caller.js';
import { NotFoundError } from '../../kernel/errors.js';
import { parseInput } from '../../kernel/validate.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { AddressPolicy } from '../endpointAddress.js';
import { newEndpointSecret } from '../signature.js';
import { requiredAppOf } from './endpointAccess.js';
import { assertEndpointUrl, endpointFields } from './endpointInput.js';

export const createWebhookEndpointSchema = z.object({
  ...endpointFields,
  apiClientId: z
    .string()
    .uuid('must be a client app id (UUID)')
    .nullable()
    .optional()
    .describe('Administrators: the app the endpoint belongs to. Apps: omit (their own).'),
});

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  /** Shown once: the answer to create and rotate is the only place it is readable. */
  secret: string;
}

export async function createWebhookEndpoint(
  em: EntityManager,
  caller: Caller,
  deps: { cipher: FieldCipher; policy: AddressPolicy },
  input: z.input<typeof createWebhookEndpointSchema>,
): Promise<EndpointWithSecret> {
  const data = parseInput(createWebhookEndpointSchema, input);
  const app = requiredAppOf(caller, 'write:webhooks', data.apiClientId);
  const client = await em.findOne(ApiClient, { id: app });
  if (!client) throw new NotFoundError('ApiClient', app);
  await assertEndpointUrl(data.url, deps.policy);
  const secret = newEndpointSecret();
  const endpoint = em.create(WebhookEndpoint, {
    apiClient: client,
    url: data.url,
    eventTypes: data.eventTypes,
    description: data.description ?? null,
    secretSealed: '',
  });
  endpoint.secretSealed = deps.cipher.seal(secret, endpointSecretContext(endpoint.id, 'secret'));
  recordAudit(em, caller, 'webhook_endpoint.created', 'WebhookEndpoint', endpoint.id, {
    url: data.url,
    eventTypes: data.eventTypes,
  });
  await em.flush();
  return { endpoint, secret };
}
