// One GraphQL operation over graphql-ws, as a client app would send it, with what came back: the last result, the
// errors of an `error` message, or the close code when the server refused the connection.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsOutcome {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  closeCode?: number;
}

export function wsOperation(
  apiUrl: string,
  connectionParams: Record<string, unknown>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<WsOutcome> {
  const client = createClient({
    url: `${apiUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams,
  });
  return new Promise<WsOutcome>((resolve) => {
    let last: WsOutcome = {};
    client.subscribe(
      { query, variables },
      {
        next: (value) => (last = value as WsOutcome),
        error: (error) =>
          resolve(
            Array.isArray(error)
              ? { errors: error as WsOutcome['errors'] }
              : { closeCode: (error as { code?: number }).code },
          ),
        complete: () => resolve(last),
      },
    );
  }).finally(() => client.dispose());
}
