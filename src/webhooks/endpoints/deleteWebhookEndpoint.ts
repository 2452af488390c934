// Delete an endpoint: its queued deliveries and their attempts go with it (the events stay, listable by `events`).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../audit/recordAudit.js';
import type { WebhookEndpoint } from '../../entities/index.js';
import type { Caller } from '../../kernel/caller.js';
import { visibleEndpoint } from './endpointAccess.js';

export async function deleteWebhookEndpoint(em: EntityManager, caller: Caller, id: string): Promise<WebhookEndpoint> {
  const endpoint = await visibleEndpoint(em, caller, 'write:webhooks', id);
  recordAudit(em, caller, 'webhook_endpoint.deleted', 'WebhookEndpoint', id, { url: endpoint.url });
  em.remove(endpoint);
  await em.flush();
  return endpoint;
}
