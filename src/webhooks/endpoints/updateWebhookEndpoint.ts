// Change an endpoint's URL, event types or description, or turn it off and on. A disabled endpoint gets nothing
// queued while it is off; enabling it again (or a FAILING one) starts from the next event.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import type { WebhookEndpoint } from '../../entities/index.js';
import type { Caller } from '../../kernel/caller.js';
import { parseInput } from '../../kernel/validate.js';
import type { AddressPolicy } from '../endpointAddress.js';
import { visibleEndpoint } from './endpointAccess.js';
import { assertEndpointUrl, endpointFields } from './endpointInput.js';

export const updateWebhookEndpointSchema = z.object({
  id: z.string().uuid('must be a webhook endpoint id (UUID)'),
  url: endpointFields.url.optional(),
  eventTypes: endpointFields.eventTypes.optional(),
  description: endpointFields.description,
  enabled: z.boolean().optional().describe('false disables the endpoint; true enables it (also a FAILING one).'),
});

export async function updateWebhookEndpoint(
  em: EntityManager,
  caller: Caller,
  policy: AddressPolicy,
  input: z.input<typeof updateWebhookEndpointSchema>,
): Promise<WebhookEndpoint> {
  const { id, enabled, ...changes } = parseInput(updateWebhookEndpointSchema, input);
  const endpoint = await visibleEndpoint(em, caller, 'write:webhooks', id);
  if (changes.url !== undefined) await assertEndpointUrl(changes.url, policy);
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const set = <K extends 'url' | 'eventTypes' | 'description' | 'status'>(key: K, value: WebhookEndpoint[K]) => {
    if (JSON.stringify(endpoint[key]) === JSON.stringify(value)) return;
    diff[key] = { from: endpoint[key], to: value };
    endpoint[key] = value;
  };
  if (changes.url !== undefined) set('url', changes.url);
  if (changes.eventTypes !== undefined) set('eventTypes', changes.eventTypes);
  if (changes.description !== undefined) set('description', changes.description);
  if (enabled === false) set('status', 'DISABLED');
  if (enabled === true) {
    set('status', 'ENABLED');
    endpoint.failingSince = null;
  }
  if (Object.keys(diff).length) recordAudit(em, caller, 'webhook_endpoint.updated', 'WebhookEndpoint', id, diff);
  await em.flush();
  return endpoint;
}
