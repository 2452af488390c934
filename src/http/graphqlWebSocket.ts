// GraphQL over graphql-ws on the HTTP server's /graphql path: subscriptions, and queries and mutations too, with the
// same limits, error shapes and suggestion policy as over HTTP.
import type { Server } from 'node:http';
import { specifiedRules, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '../kernel/caller.js';
import { contextFor, createContext, type ContextDependencies, type GraphQLContext } from '../graphql/context.js';
import { formatError } from '../graphql/errors.js';
import { checkDocumentText, type QueryLimits } from '../graphql/limits.js';
import { subscribeSharingExecution } from '../graphql/sharedExecution.js';
import { suggestionsShownTo, withoutSuggestions } from '../graphql/schemaSuggestions.js';
import { connectionCredentials } from './connectionCredentials.js';
import { graphqlWsConnections } from '../observability/metrics.js';

export interface GraphqlWebSocketOptions {
  dependencies: ContextDependencies;
  schema: GraphQLSchema;
  limits: QueryLimits;
  validationRules: ValidationRule[];
  /** "Did you mean" suggestions for authenticated callers (src/graphql/schemaSuggestions.ts). */
  schemaSuggestions: boolean;
}

type ConnectionState = { caller?: Caller; address?: string; counted?: boolean };

/** Attaches graphql-ws to `httpServer`; the returned function closes every socket (for the drain at shutdown). */
export function serveGraphqlOverWebSocket(httpServer: Server, options: GraphqlWebSocketOptions): () => Promise<void> {
  const { dependencies, schema, limits, validationRules } = options;
  // noServer: the HTTP server's own errors (a port in use) stay with it instead of being re-emitted here.
  const wsServer = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const shown = <E extends { message: string }>(caller: Caller | undefined, error: E): E =>
    suggestionsShownTo(caller, options.schemaSuggestions)
      ? error
      : { ...error, message: withoutSuggestions(error.message) };

  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema,
      // Credentials are checked once, at connection_init; a bad one closes the socket (4403 Forbidden).
      onConnect: async (ctx) => {
        try {
          ctx.extra.address = ctx.extra.request.socket.remoteAddress;
          ctx.extra.caller = (await createContext(dependencies, connectionCredentials(ctx.connectionParams))).caller;
          ctx.extra.counted = true;
          graphqlWsConnections.inc();
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => {
        if (ctx.extra.counted) graphqlWsConnections.dec();
        ctx.extra.counted = false;
      },
      // The raw-text limits, as over HTTP: a flood of aliases is refused before it is parsed.
      onSubscribe: (_ctx, _id, payload) => {
        const refused = checkDocumentText(payload.query, limits);
        return refused ? [refused.error] : undefined;
      },
      // Subscriptions and queries over WebSocket get the same limits as HTTP.
      validate: (documentSchema, document) =>
        validate(documentSchema, document, [...specifiedRules, ...validationRules]),
      context: (ctx) => contextFor(dependencies, ctx.extra.caller!, { clientAddress: ctx.extra.address }),
      // One execution per event for every subscription with the same document, variables and caller.
      subscribe: (args) =>
        subscribeSharingExecution(args, (context) => JSON.stringify((context as GraphQLContext).caller)),
      onError: (ctx, _id, _payload, errors) => errors.map((error) => shown(ctx.extra.caller, error.toJSON())),
      // The same error shapes (extensions.code) as over HTTP.
      onNext: (ctx, _id, _payload, _args, result) =>
        result.errors
          ? {
              ...result,
              errors: result.errors.map((error) => shown(ctx.extra.caller, formatError(error.toJSON(), error))),
            }
          : undefined,
    },
    wsServer,
  );
  return async () => {
    await server.dispose();
  };
}
