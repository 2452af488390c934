// Who manages which endpoints: a client app (scope write:webhooks, or read:events to list) its own; an administrator
// any app's. CUSTOMER users and hosted sessions have neither scope.
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookEndpoint } from '../../entities/index.js';
import type { Caller, Scope } from '../../kernel/caller.js';
import { NotFoundError, ValidationError } from '../../kernel/errors.js';
import { requireScope } from '../../kernel/policy.js';

/** The app a caller acts for; an administrator names one (`apiClientId`), or null to mean every app. */
export function appOf(caller: Caller, scope: Scope, apiClientId?: string | null): string | null {
  const known = requireScope(caller, scope);
  if (known.kind === 'apiClient') return known.apiClientId;
  return apiClientId ?? null;
}

/** As appOf, where an app must be known (creating an endpoint). */
export function requiredAppOf(caller: Caller, scope: Scope, apiClientId?: string | null): string {
  const app = appOf(caller, scope, apiClientId);
  if (!app) throw new ValidationError({ apiClientId: 'must name the client app the endpoint belongs to' });
  return app;
}

/** An endpoint the caller may see; NOT_FOUND for another app's, as for one that does not exist. */
export async function visibleEndpoint(
  em: EntityManager,
  caller: Caller,
  scope: Scope,
  id: string,
): Promise<WebhookEndpoint> {
  const app = appOf(caller, scope);
  const endpoint = await em.findOne(WebhookEndpoint, app ? { id, apiClient: app } : { id });
  if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
  return endpoint;
}
