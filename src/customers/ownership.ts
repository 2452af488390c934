import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../kernel/caller.js';
import { ForbiddenError, ValidationError } from '../kernel/errors.js';
import { ApiClient } from '../entities/index.js';

/** The app that owns what this caller creates: its own id for a client app, nobody for people. */
function ownerOf(caller: Exclude<Caller, { kind: 'anonymous' }>): string | null {
  return caller.kind === 'apiClient' ? caller.apiClientId : null;
}

/**
 * The app a new customer belongs to: a client app's own customers are always its own; an administrator may give the
 * customer to any app that exists (`apiClientId`), or to none.
 */
export async function ownerFor(
  em: EntityManager,
  caller: Exclude<Caller, { kind: 'anonymous' }>,
  apiClientId: string | null,
): Promise<string | null> {
  if (apiClientId === null) return ownerOf(caller);
  if (caller.kind === 'apiClient') {
    if (apiClientId !== caller.apiClientId) {
      throw new ForbiddenError('an app creates its own customers only: leave apiClientId out');
    }
    return apiClientId;
  }
  if (caller.kind !== 'user' || caller.role !== 'ADMIN')
    throw new ForbiddenError('only administrators choose the app a customer belongs to');
  await requireApiClient(em, apiClientId, 'input.apiClientId');
  return apiClientId;
}

/** Refuses, naming `field`, an app id that names no app. */
export async function requireApiClient(em: EntityManager, apiClientId: string, field: string): Promise<void> {
  if (!(await em.count(ApiClient, { id: apiClientId }))) {
    throw new ValidationError({ [field]: 'names no client app' });
  }
}
