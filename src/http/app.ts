// The API's HTTP server: GraphQL over HTTP and graphql-ws on /graphql, health and readiness probes, and the
// offline GraphQL IDE, behind rate limits, query limits, CORS and security headers. Everything it needs is
// passed in, so tests run the same server on a free port.
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import { specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '../auth/scopes.js';
import { contextFor, createContext, type ContextDependencies, type GraphQLContext } from '../graphql/context.js';
import { formatError } from '../graphql/errors.js';
import { checkDocumentSize, defaultQueryLimits, queryLimitRules, type QueryLimits } from '../graphql/limits.js';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssets, graphiqlPage } from './graphiql.js';
import { graphqlHandler } from './graphqlHandler.js';
import type { WebhookSignatureVerifier } from '../payments/paypal/webhookSignature.js';
import { webhookRoutes } from './webhooks.js';
import { paypalReturnRoutes } from './paypalReturn.js';
import { invoiceRoutes } from '../invoices/invoiceRoutes.js';
import { paymentNotifier } from '../temporal/notifyPayment.js';
import { createHttpOrHttpsServer, type TlsFiles } from './listen.js';
import { RateLimiter, rateLimitMiddleware } from './rateLimit.js';
import { checkReadiness, type Check } from './readiness.js';
import { corsMiddleware, parseOriginList, securityHeaders } from './security.js';

export interface ApiServerOptions extends ContextDependencies {
  schema: GraphQLSchema;
  readinessChecks: Record<string, Check>;
  graphqlIde: boolean;
  mpesaCallbackSecret?: string | null;
  paypalWebhooks?: WebhookSignatureVerifier | null;
  corsOrigins?: string;
  tls?: TlsFiles | null;
  requestsPerMinute?: number;
  queryLimits?: QueryLimits;
}

export interface ApiServer {
  httpServer: Server;
  listen(port: number, host: string): Promise<number>;
  stop(): Promise<void>;
}

function header(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const httpServer = createHttpOrHttpsServer(app, options.tls ?? null);
  const limits = options.queryLimits ?? defaultQueryLimits;
  const validationRules = queryLimitRules(limits);

  // noServer: the HTTP server's own errors (a port in use) stay with it instead of being re-emitted here.
  const wsServer = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const wsCleanup = useServer<{ authorization?: string; apiKey?: string }, { caller?: Caller; address?: string }>(
    {
      schema: options.schema,
      // Subscriptions and queries over WebSocket get the same limits as HTTP.
      validate: (schema, document) => validate(schema, document, [...specifiedRules, ...validationRules]),
      // Credentials are checked once, at connection_init; a bad one closes the socket (4403 Forbidden).
      onConnect: async (ctx) => {
        try {
          ctx.extra.address = ctx.extra.request.socket.remoteAddress;
          ctx.extra.caller = (
            await createContext(options, {
              authorization: header(ctx.connectionParams?.authorization),
              apiKey: header(ctx.connectionParams?.apiKey),
            })
          ).caller;
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => contextFor(options, ctx.extra.caller!, { clientAddress: ctx.extra.address }),
      // The same error shapes (extensions.code) as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) }
          : undefined,
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    formatError,
    validationRules,
    // server.ts owns shutdown (drain, then close the database): Apollo must not act on signals by itself.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // On by default, it wraps every field to compute HTTP cache hints this API never sends: pure overhead.
      ApolloServerPluginCacheControlDisabled(),
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

  app.use(securityHeaders({ tls: Boolean(options.tls), allowGraphiql: options.graphqlIde }));
  app.use(corsMiddleware(parseOriginList(options.corsOrigins ?? '')));

  // GraphQL first: it is the hot path (entitlement), so no other route's matching runs before it.
  if (options.graphqlIde) {
    app.use(GRAPHIQL_ASSETS_PATH, graphiqlAssets());
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) {
        res.type('html').send(graphiqlPage('/graphql'));
      } else next();
    });
  }

  // Per API key when there is one (a client app's budget), else per client address.
  const perMinute = options.requestsPerMinute ?? 1200;
  const limiter = new RateLimiter({
    capacity: Math.max(10, Math.ceil(perMinute / 10)),
    refillPerSecond: perMinute / 60,
  });
  app.use(
    '/graphql',
    rateLimitMiddleware(limiter, (req) => req.header('x-api-key') ?? `ip:${req.ip}`),
    express.json({ limit: Math.max(limits.maxDocumentBytes * 2, 100_000) }),
    (req, res, next) => {
      const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
      const tooLarge = typeof query === 'string' ? checkDocumentSize(query, limits) : undefined;
      if (tooLarge) res.status(413).json({ errors: [{ message: tooLarge.message, extensions: tooLarge.extensions }] });
      else next();
    },
    graphqlHandler(apollo, (req) =>
      createContext(options, {
        authorization: req.header('authorization') ?? null,
        apiKey: req.header('x-api-key') ?? null,
        idempotencyKey: req.header('idempotency-key') ?? null,
        clientAddress: req.ip,
      }),
    ),
  );

  const notify = paymentNotifier(options.temporal.client, (error) =>
    console.warn(`could not signal a payment's workflow: ${error instanceof Error ? error.message : String(error)}`),
  );
  app.use(
    webhookRoutes({
      em: options.em,
      mpesaCallbackSecret: options.mpesaCallbackSecret ?? null,
      paypal: options.paypalWebhooks ?? null,
      cipher: options.payments.cipher,
      notify,
    }),
  );
  app.use(paypalReturnRoutes({ em: options.em, notify }));
  app.use(invoiceRoutes({ em: options.em, links: options.invoiceLinks }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(options.readinessChecks);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });

  // Last: whatever a route did not handle becomes a JSON 500, logged here and never shown to the caller.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    console.error('unhandled error in an HTTP route', error);
    res.status(500).json({ error: 'internal error' });
  });

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
