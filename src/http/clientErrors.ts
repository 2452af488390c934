// A request the API cannot serve as sent answers a 4xx saying what to send, in the shape its route speaks (GraphQL
// errors on /graphql, `{ error }` elsewhere), never a 500: a 500 says the server is broken, and is logged as such.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type express from 'express';
import { processLog } from '../logger.js';

export function isGraphqlPath(url: string | undefined): boolean {
  return url === '/graphql' || (url?.startsWith('/graphql?') ?? false);
}

export function sendClientError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  options: { code?: string; unread?: boolean } = {},
): void {
  res.statusCode = status;
  // A body left unread would otherwise be read to its end to keep the connection: any size, for nothing.
  if (options.unread) res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  const code = options.code ?? 'BAD_REQUEST';
  res.end(
    JSON.stringify(isGraphqlPath(req.url) ? { errors: [{ message, extensions: { code } }] } : { error: message }),
  );
}

/** GET and HEAD carry no body (a GraphQL query goes in the URL); one sent anyway is refused, not silently ignored. */
export function refusedBodyOnGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return false;
  const what = isGraphqlPath(req.url)
    ? 'put the GraphQL query in the URL (?query=…), or POST it as JSON'
    : 'send the request without one';
  sendClientError(req, res, 400, `a ${req.method} request carries no body: ${what}`, { unread: true });
  return true;
}

/** After every route: a JSON 404 naming what was asked for, instead of Express's HTML page. */
export function notFound(req: express.Request, res: express.Response): void {
  sendClientError(req, res, 404, `nothing here: ${req.method} ${req.path}`, { code: 'NOT_FOUND' });
}

/**
 * Last: errors Express raises for the client's request (a path that does not decode, a malformed query string)
 * carry a 4xx status and answer with it; anything else becomes a JSON 500, logged here and never shown to the caller.
 */
export function routeErrorHandler(
  error: unknown,
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { status, expose, message } = (error ?? {}) as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Only a message meant for the client is shown (a file error's message would name a path on this machine).
    const shown =
      error instanceof URIError
        ? `malformed URL: ${error.message}`
        : expose === true && typeof message === 'string'
          ? message
          : (STATUS_CODES[status] ?? 'bad request');
    sendClientError(req, res, status, shown);
    return;
  }
  processLog().error('unhandled error in an HTTP route', { error });
  res.status(500).json({ error: 'internal error' });
}
