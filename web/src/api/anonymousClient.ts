// A client without credentials and without a cache, for the session's own calls (refresh, logout): it must not
// depend on the session it renews.
import { Client, fetchExchange } from 'urql';

let client: Client | null = null;

export function anonymousClient(): Client {
  client ??= new Client({
    url: new URL('/graphql', location.href).href,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    // POST, as the main client: the API refuses GET queries without a CSRF preflight header.
    preferGetMethod: false,
  });
  return client;
}
