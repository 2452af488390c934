// A new signing secret, shown once. The old one keeps signing beside it for a grace period (deliveries carry both
// signatures), so the app can deploy the new secret without refusing a single delivery in between.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { endpointSecretContext } from '../endpointSecrets.js';
import type { Caller } from '../../kernel/caller.js';
import { parseInput } from '../../kernel/validate.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import { newEndpointSecret } from '../signature.js';
import type { EndpointWithSecret } from './createWebhookEndpoint.js';
import { visibleEndpoint } from './endpointAccess.js';

export const rotateWebhookEndpointSecretSchema = z.object({
  id: z.string().uuid('must be a webhook endpoint id (UUID)'),
  graceHours: z
    .number()
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(168, 'must be at most 168 (7 days)')
    .default(24)
    .describe('How long the previous secret keeps signing too; 0 ends it at once.'),
});

export async function rotateWebhookEndpointSecret(
  em: EntityManager,
  caller: Caller,
  cipher: FieldCipher,
  input: z.input<typeof rotateWebhookEndpointSecretSchema>,
): Promise<EndpointWithSecret> {
  const { id, graceHours } = parseInput(rotateWebhookEndpointSecretSchema, input);
  const endpoint = await visibleEndpoint(em, caller, 'write:webhooks', id);
  const current = cipher.open(endpoint.secretSealed, endpointSecretContext(id, 'secret'));
  const secret = newEndpointSecret();
  endpoint.secretSealed = cipher.seal(secret, endpointSecretContext(id, 'secret'));
  endpoint.previousSecretSealed =
    graceHours > 0 ? cipher.seal(current, endpointSecretContext(id, 'previous_secret')) : null;
  endpoint.previousSecretExpiresAt = graceHours > 0 ? new Date(Date.now() + graceHours * 3_600_000) : null;
  recordAudit(em, caller, 'webhook_endpoint.secret_rotated', 'WebhookEndpoint', id, { graceHours });
  await em.flush();
  return { endpoint, secret };
}
