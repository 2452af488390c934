// The API's HTTP server: GraphQL over HTTP and graphql-ws on /graphql, health and readiness probes, and the
// offline GraphQL IDE. Everything it needs is passed in, so tests run the same server on a free port.
import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createContext, type ContextDependencies, type GraphQLContext } from '../graphql/context.js';
import { formatError } from '../graphql/errors.js';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssets, graphiqlPage } from './graphiql.js';
import { checkReadiness, type Check } from './readiness.js';

export interface ApiServerOptions extends ContextDependencies {
  schema: GraphQLSchema;
  readinessChecks: Record<string, Check>;
  graphqlIde: boolean;
}

export interface ApiServer {
  httpServer: Server;
  listen(port: number, host: string): Promise<number>;
  stop(): Promise<void>;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  // noServer: the HTTP server's own errors (a port in use) stay with it instead of being re-emitted here.
  const wsServer = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const wsCleanup = useServer({ schema: options.schema, context: () => createContext(options) }, wsServer);

  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(options.readinessChecks);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });

  if (options.graphqlIde) {
    app.use(GRAPHIQL_ASSETS_PATH, graphiqlAssets());
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) {
        res.type('html').send(graphiqlPage('/graphql'));
      } else next();
    });
  }
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => createContext(options, req.header('idempotency-key') ?? null),
    }),
  );

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          reject(
            error.code === 'EADDRINUSE'
              ? new Error(`port ${port} on ${host} is already in use (set PORT to another port)`)
              : error,
          );
        };
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    stop: () => apollo.stop(),
  };
}
