// The GraphQL client of a signed-in (or anonymous) page: queries and mutations over HTTP on /graphql, live updates
// over graphql-ws on the same path (src/http/graphqlWebSocket.ts). Credentials go in the Authorization header and,
// for the socket, in connection_init's connectionParams (checked once per connection). A new client is made when
// the person signing in changes, so a socket never outlives its credentials.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { useEffect, useSyncExternalStore } from 'react';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { currentAccessToken, refreshSession } from '../auth/session';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

let connection: { state: ConnectionState; reconnects: number } = { state: 'idle', reconnects: 0 };
const connectionListeners = new Set<() => void>();

function setConnection(state: ConnectionState): void {
  if (state === connection.state) return;
  const reconnected = state === 'connected' && connection.state === 'reconnecting';
  connection = { state, reconnects: connection.reconnects + (reconnected ? 1 : 0) };
  for (const listener of connectionListeners) listener();
}

/** The live socket's state, and how many times it came back after dropping. */
export function useConnection(): { state: ConnectionState; reconnects: number } {
  return useSyncExternalStore(
    (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    () => connection,
  );
}

/** Calls `refetch` each time the socket comes back: events sent while it was down are not replayed. */
export function useOnReconnect(refetch: () => void): void {
  const { reconnects } = useConnection();
  useEffect(() => {
    if (reconnects > 0) refetch();
    // Only a new reconnection refetches, not a new callback identity.
  }, [reconnects]);
}

async function freshToken(): Promise<string | null> {
  return currentAccessToken() ?? ((await refreshSession()) ? currentAccessToken() : null);
}

function webSocketUrl(): string {
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export interface ApiClient {
  client: Client;
  dispose(): void;
}

export function createApiClient(signedIn: boolean): ApiClient {
  const ws: WsClient = createWsClient({
    url: webSocketUrl(),
    lazy: true,
    retryAttempts: 1_000,
    // By default graphql-ws retries only after a close event; a browser whose connection is refused (the network
    // still down) reports an error event instead, and the client would give up after its first retry for good.
    shouldRetry: () => true,
    // graphql-ws doubles its wait without limit (16 s, 32 s, ...), so after a short outage a payer would stare at
    // "Reconnecting…" long after the network is back: doubling from 0.5 s, capped at 5 s, with some jitter.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5_000) + Math.random() * 500)),
    keepAlive: 15_000,
    connectionParams: async () => {
      const token = signedIn ? await freshToken() : null;
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: (isRetry) => setConnection(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => setConnection('connected'),
      closed: (event) => {
        // 1000: closed because nothing listens any more (lazy); anything else: it dropped and will retry.
        const code = (event as { code?: number } | undefined)?.code;
        setConnection(code === 1000 ? 'idle' : 'reconnecting');
      },
    },
  });

  const client = new Client({
    url: new URL('/graphql', location.href).href,
    requestPolicy: 'cache-and-network',
    // urql sends short queries as GET by default; the API's CSRF protection refuses a GET without a preflight
    // header, and POST keeps bearer tokens and variables out of URLs and logs anyway.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const token = currentAccessToken();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose: () => {
      void ws.dispose();
      setConnection('idle');
    },
  };
}
