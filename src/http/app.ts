// The API's HTTP server: GraphQL over HTTP and graphql-ws on /graphql, health and readiness probes, the customer
// portal's pages and assets, and the offline GraphQL IDE, behind rate limits, query limits, CORS and security headers. Everything it needs is
// passed in, so tests run the same server on a free port.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createContext, type ContextDependencies, type GraphQLContext } from '../graphql/context.js';
import { formatError } from '../graphql/errors.js';
import { defaultQueryLimits, queryLimitRules, type QueryLimits } from '../graphql/limits.js';
import { schemaSuggestionsPlugin } from '../graphql/schemaSuggestions.js';
import { serveGraphqlOverWebSocket } from './graphqlWebSocket.js';
import { subscriptionsNeedWebSocket } from './subscriptionsNeedWebSocket.js';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssets, graphiqlPage } from './graphiql.js';
import { clientAddress, graphqlRoute } from './graphqlRoute.js';
import type { WebhookSignatureVerifier } from '../payments/paypal/webhookSignature.js';
import { webhookRoutes } from './webhooks.js';
import { paypalReturnRoutes } from './paypalReturn.js';
import { invoiceRoutes } from '../invoices/invoiceRoutes.js';
import type { Seller } from '../invoices/invoiceDocument.js';
import { exportRoutes } from './exportRoutes.js';
import { paymentNotifier } from '../temporal/notifyPayment.js';
import { RefundWorkflows } from '../temporal/refundWorkflows.js';
import { StandingOrderWorkflows } from '../temporal/standingOrderWorkflows.js';
import { createHttpOrHttpsServer, type TlsFiles } from './listen.js';
import { RateLimiter, rateLimitMiddleware } from './rateLimit.js';
import { checkReadiness, type Check } from './readiness.js';
import { browserPolicy, parseOriginList } from './security.js';
import { isGraphqlPath, notFound, refusedBodyOnGet, routeErrorHandler } from './clientErrors.js';
import { webAppRoutes, type WebAppOptions } from './webApp.js';
import { entitlementFastPath, type EntitlementFastPath } from './entitlementFastPath.js';
import { observeRequest } from '../observability/httpObservation.js';
import { graphqlMetricsPlugin } from '../observability/graphqlObservation.js';
import { metricsHandler, type MetricsAccess, type MetricsSources } from '../observability/metricsEndpoint.js';
import { processLog } from '../logger.js';

export interface ApiServerOptions extends ContextDependencies {
  schema: GraphQLSchema;
  readinessChecks: Record<string, Check>;
  graphqlIde: boolean;
  /** On invoices and credit notes (src/invoices/sellerFromConfig.ts); the default seller without it. */
  seller?: Seller;
  mpesaCallbackSecret?: string | null;
  /** Our paybill, when paybill (C2B) payments can reach us: turns on their routes (src/payments/paybill/). */
  paybillShortCode?: string | null;
  paypalWebhooks?: WebhookSignatureVerifier | null;
  corsOrigins?: string;
  tls?: TlsFiles | null;
  requestsPerMinute?: number;
  queryLimits?: QueryLimits;
  /** "Did you mean" suggestions in errors, for authenticated callers only; off by default and in production. */
  schemaSuggestions?: boolean;
  /** The customer portal (web/): served from its build when given. */
  webApp?: WebAppOptions | null;
  /**
   * Answer the entitlement query with a known API key without Apollo (src/http/entitlementFastPath.ts); on unless
   * false (tests compare the two).
   */
  entitlementFastPath?: boolean;
  /** GET /metrics on this port (src/observability/metricsEndpoint.ts); absent: not served here. */
  metrics?: { access: MetricsAccess; sources?: MetricsSources } | null;
}

export interface ApiServer {
  httpServer: Server;
  /** null when the fast path is off. */
  entitlementFastPath: EntitlementFastPath | null;
  listen(port: number, host: string): Promise<number>;
  stop(): Promise<void>;
}

function header(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** A header that must appear once: a repeated one (Node joins them with ", ") is passed on as sent. */
function singleHeader(value: string | string[] | undefined): string | null {
  return header(Array.isArray(value) ? value.join(', ') : value);
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Assigned below, once Apollo has started: the server must exist first for Apollo's drain plugin.
  let handleRequest: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = createHttpOrHttpsServer((req, res) => handleRequest(req, res), options.tls ?? null);
  const limits = options.queryLimits ?? defaultQueryLimits;
  const validationRules = queryLimitRules(limits);

  const closeWebSockets = serveGraphqlOverWebSocket(httpServer, {
    dependencies: options,
    schema: options.schema,
    limits,
    validationRules,
    schemaSuggestions: options.schemaSuggestions ?? false,
  });

  const apollo = await startApollo(options, httpServer, validationRules, closeWebSockets);

  // Every response, Express's or the GraphQL route's, gets the security headers and the CORS policy first
  // (handleRequest, below).
  const answeredByPolicy = browserPolicy({
    tls: Boolean(options.tls),
    allowGraphiql: options.graphqlIde,
    allowedOrigins: parseOriginList(options.corsOrigins ?? ''),
  });

  const perMinute = options.requestsPerMinute ?? 1200;
  const limiter = new RateLimiter({
    capacity: Math.max(10, Math.ceil(perMinute / 10)),
    refillPerSecond: perMinute / 60,
  });
  const fastPath =
    options.entitlementFastPath === false
      ? null
      : entitlementFastPath({
          schema: options.schema,
          validationRules,
          callers: options.callers,
          billing: options.billing,
        });
  const graphql = graphqlRoute({
    apollo,
    limiter,
    limits,
    fastPath: fastPath ? (req, res, body) => fastPath.answer(req, res, body) : undefined,
    context: (req) =>
      createContext(options, {
        authorization: req.headers.authorization ?? null,
        apiKey: singleHeader(req.headers['x-api-key']),
        idempotencyKey: singleHeader(req.headers['idempotency-key']),
        clientAddress: clientAddress(req),
      }),
  });

  // The hot path (entitlement) is a POST to /graphql: it goes straight to the GraphQL route, without Express.
  const dispatch: RequestListener = (req, res) => {
    if (answeredByPolicy(req, res) || refusedBodyOnGet(req, res)) return;
    if (req.method === 'POST' && isGraphqlPath(req.url)) graphql(req, res);
    else app(req, res);
  };
  // Every request: an id on its log lines and in the response, its latency, and a span when tracing is on.
  handleRequest = (req, res) => observeRequest(req, res, () => dispatch(req, res));

  mountRoutes(app, options, graphql, limiter);

  return {
    httpServer,
    entitlementFastPath: fastPath,
    listen: (port, host) => listenOn(httpServer, port, host),
    stop: () => apollo.stop(),
  };
}

/** Apollo for the GraphQL route, started; it drains the HTTP server and the graphql-ws sockets on stop. */
async function startApollo(
  options: ApiServerOptions,
  httpServer: Server,
  validationRules: ReturnType<typeof queryLimitRules>,
  closeWebSockets: () => Promise<void>,
): Promise<ApolloServer<GraphQLContext>> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    formatError,
    validationRules,
    // Never, in any environment: a stack trace names files on this machine and repeats messages the schema-suggestion
    // rule strips ("Did you mean …"); unexpected errors are logged here and answered as "internal error".
    includeStacktraceInErrorResponses: false,
    // server.ts owns shutdown (drain, then close the database): Apollo must not act on signals by itself.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // On by default, it wraps every field to compute HTTP cache hints this API never sends: pure overhead.
      ApolloServerPluginCacheControlDisabled(),
      subscriptionsNeedWebSocket,
      schemaSuggestionsPlugin(options.schemaSuggestions ?? false),
      graphqlMetricsPlugin,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await closeWebSockets();
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  return apollo;
}

/** Everything but POST /graphql: GraphiQL, GET queries, provider callbacks and returns, invoice links, health. */
function mountRoutes(
  app: Express,
  options: ApiServerOptions,
  graphql: (req: IncomingMessage, res: ServerResponse) => void,
  limiter: RateLimiter,
): void {
  if (options.graphqlIde) {
    app.use(GRAPHIQL_ASSETS_PATH, graphiqlAssets());
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) {
        res.type('html').send(graphiqlPage('/graphql'));
      } else next();
    });
  }
  // GET queries (and other methods, which Apollo refuses with 405) through the same route.
  app.all('/graphql', (req, res) => graphql(req, res));

  const notify = paymentNotifier(options.lifecycle, (error) =>
    processLog().warn(
      `could not signal a payment's workflow: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  app.use(
    webhookRoutes({
      em: options.em,
      mpesaCallbackSecret: options.mpesaCallbackSecret ?? null,
      paypal: options.paypalWebhooks ?? null,
      cipher: options.payments.cipher,
      notify,
      paybill: options.paybillShortCode
        ? {
            shortCode: options.paybillShortCode,
            invoiceClosed: (subscriptionId, invoiceId) => options.lifecycle.invoiceClosed(subscriptionId, invoiceId),
          }
        : undefined,
      notifyRefund: (refundId) =>
        new RefundWorkflows(options.lifecycle.client, options.lifecycle.taskQueue)
          .notify(refundId)
          .catch((error: unknown) =>
            console.warn(
              `could not signal a refund's workflow: ${error instanceof Error ? error.message : String(error)}`,
            ),
          ),
      standingOrderAnswered: (standingOrderId) =>
        new StandingOrderWorkflows(options.lifecycle.client, options.lifecycle.taskQueue).answered(standingOrderId),
    }),
  );
  app.use(paypalReturnRoutes({ em: options.em, notify, portal: Boolean(options.webApp) }));
  // Invoice links are bearer tokens that anyone holding an email can use: limited per client address.
  app.use(
    '/invoices',
    rateLimitMiddleware(limiter, (req) => `ip:${clientAddress(req)}`),
  );
  app.use(
    invoiceRoutes({
      em: options.em,
      links: options.invoiceLinks,
      seller: options.seller,
      paybillShortCode: options.paybillShortCode,
    }),
  );
  // CSV exports of the admin lists: read-heavy, so limited per client address like any API request.
  app.use(
    '/admin/export',
    rateLimitMiddleware(limiter, (req) => `ip:${clientAddress(req)}`),
  );
  app.use(exportRoutes({ em: options.em, callers: options.callers }));

  if (options.metrics) {
    const serveMetrics = metricsHandler(options.metrics.access, options.metrics.sources);
    app.get('/metrics', (req, res) => serveMetrics(req, res));
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(options.readinessChecks);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  // Last before the 404: its pages are every other path a browser asks for.
  if (options.webApp) app.use(webAppRoutes(options.webApp));

  app.use(notFound);
  app.use(routeErrorHandler);
}

/** Listens; answers the bound port (0 picks a free one), or why it could not. */
function listenOn(httpServer: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
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
  });
}
