// The authorization rules, in one place. Use cases call these before they read or change anything:
// ADMIN may do everything; a client app acts within its scopes and only on its own customers; a CUSTOMER user
// and a hosted session only on their one customer record and what hangs off it.
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { callerScopes, ownCustomerOf, type Caller, type Scope } from './caller.js';

export function requireCaller(caller: Caller): Exclude<Caller, { kind: 'anonymous' }> {
  if (caller.kind === 'anonymous') throw new UnauthenticatedError('sign in or send an API key');
  return caller;
}

export function requireScope(caller: Caller, scope: Scope): Exclude<Caller, { kind: 'anonymous' }> {
  const known = requireCaller(caller);
  if (!callerScopes(known).includes(scope)) throw new ForbiddenError(`this needs the ${scope} scope`);
  return known;
}

export function requireAdmin(caller: Caller): void {
  const known = requireCaller(caller);
  if (known.kind !== 'user' || known.role !== 'ADMIN') throw new ForbiddenError('only administrators may do this');
}

/** The customers a caller may see (deleted ones excluded). Private: combine it only through visibleCustomers. */
function customerScope(caller: Caller): Record<string, unknown> {
  const known = requireCaller(caller);
  if (known.kind === 'apiClient') return { apiClient: known.apiClientId, deletedAt: null };
  const own = ownCustomerOf(known);
  if (own) return { id: own, deletedAt: null };
  return { deletedAt: null };
}

/**
 * A customers filter narrowed to what the caller may see. The two are AND-combined, never merged: merging lets
 * a requested `id` and the scope's own `id` overwrite each other, which is how a caller would reach (or delete)
 * a customer that is not theirs.
 */
export function visibleCustomers(caller: Caller, where: Record<string, unknown> = {}): Record<string, unknown> {
  return { $and: [customerScope(caller), where] };
}
