import type { Caller } from '../auth/scopes.js';

/** The app that owns what this caller creates: its own id for a client app, nobody for people. */
export function ownerOf(caller: Exclude<Caller, { kind: 'anonymous' }>): string | null {
  return caller.kind === 'apiClient' ? caller.apiClientId : null;
}
