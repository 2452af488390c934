// GraphQL over HTTP on plain Node request and response objects. The entitlement query, the hottest path in the
// system, comes through here: POST /graphql is dispatched before Express (src/http/app.ts), because Express's
// router, body-parser and content negotiation cost more CPU per request than the query itself (bench/).
// Express still mounts this same route for the other methods, after its GraphiQL page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { checkDocumentText, type QueryLimits } from '../graphql/limits.js';
import { readJsonBody } from './jsonBody.js';
import { graphqlOperationDuration } from '../observability/metrics.js';
import { spendRequestToken, type RateLimiter } from './rateLimit.js';
import { processLog } from '../logger.js';

export interface GraphqlRouteOptions<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage) => Promise<Context>;
  /** Per API key when there is one (a client app's budget), else per client address. */
  limiter: RateLimiter;
  limits: QueryLimits;
  /**
   * Tried after the checks every request gets, before Apollo: answers and returns true, or returns false having
   * written nothing (src/http/entitlementFastPath.ts).
   */
  fastPath?: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<boolean>;
}

export type NodeRoute = (req: IncomingMessage, res: ServerResponse) => void;

const fastPathDuration = graphqlOperationDuration.labels('query', 'entitlement');

export function graphqlRoute<Context extends BaseContext>(options: GraphqlRouteOptions<Context>): NodeRoute {
  const maxBodyBytes = Math.max(options.limits.maxDocumentBytes * 2, 100_000);
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    if (!spendRequestToken(options.limiter, rateLimitKey(req), res)) return;

    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJsonBody(req, maxBodyBytes);
      if (!read.ok) {
        if (read.refusal.unread) res.setHeader('Connection', 'close');
        sendErrors(res, read.refusal.status, read.refusal.message, { code: read.refusal.code });
        return;
      }
      body = read.body;
    }
    const queryStart = req.url?.indexOf('?') ?? -1;
    const search = queryStart === -1 ? '' : req.url!.slice(queryStart);
    const query = (body as { query?: unknown } | undefined)?.query ?? new URLSearchParams(search).get('query');
    const refused = typeof query === 'string' ? checkDocumentText(query, options.limits) : undefined;
    if (refused) {
      sendErrors(res, refused.status, refused.error.message, refused.error.extensions);
      return;
    }
    if (options.fastPath && body !== undefined) {
      const started = process.hrtime.bigint();
      if (await options.fastPath(req, res, body)) {
        // Apollo's plugin (src/observability/graphqlObservation.ts) never sees these: the same series, counted here.
        fastPathDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
        return;
      }
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, typeof value === 'string' ? value : value.join(', '));
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search, body },
      context: () => options.context(req),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    answer(req, res).catch((error: unknown) => {
      processLog().error('unhandled error in the GraphQL route', { error });
      if (res.headersSent) res.destroy();
      else sendErrors(res, 500, 'internal error', { code: 'INTERNAL_SERVER_ERROR' });
    });
  };
}

/** The client address as the socket sees it: this API does not trust forwarding headers (no proxy is assumed). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function rateLimitKey(req: IncomingMessage): string {
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : `ip:${clientAddress(req)}`;
}

function sendErrors(res: ServerResponse, status: number, message: string, extensions: Record<string, unknown>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions }] }));
}
