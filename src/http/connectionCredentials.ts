// graphql-ws carries no HTTP headers after the upgrade: clients send credentials in connection_init's
// connectionParams. The README tells people to send X-Api-Key or Authorization, so those header names are accepted
// there (in any case), besides the original apiKey and authorization.
import type { RequestCredentials } from '../graphql/context.js';

export class AmbiguousCredentialsError extends Error {
  override name = 'AmbiguousCredentialsError';
}

/** Parameter names, lower-cased with dashes and underscores removed, and the credential each one carries. */
const NAMES: Record<string, 'apiKey' | 'authorization'> = {
  apikey: 'apiKey',
  xapikey: 'apiKey',
  authorization: 'authorization',
};

/**
 * The credentials in a connection_init's parameters. Two names for one credential with different values (say
 * `apiKey` and `X-Api-Key`) are refused rather than one picked silently.
 */
export function connectionCredentials(
  params: Readonly<Record<string, unknown>> | undefined,
): Pick<RequestCredentials, 'apiKey' | 'authorization'> {
  const found: { apiKey?: string; authorization?: string } = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const credential = NAMES[name.toLowerCase().replace(/[-_]/g, '')];
    if (!credential || typeof value !== 'string' || value === '') continue;
    if (found[credential] !== undefined && found[credential] !== value) {
      throw new AmbiguousCredentialsError(`connectionParams carry two different values for ${credential}`);
    }
    found[credential] = value;
  }
  return { apiKey: found.apiKey ?? null, authorization: found.authorization ?? null };
}
