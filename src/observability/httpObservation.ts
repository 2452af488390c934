// What the API records around every HTTP request: its id (in context and echoed), its latency by route, and, with
// tracing on, a server span continuing the caller's W3C trace context (the GraphQL operation renames it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { processLog } from '../logger.js';
import { httpRequestDuration } from './metrics.js';
import { withRequestId } from './requestId.js';
import { tracer, tracingEnabled } from './tracing.js';

/** Route labels: a fixed list of prefixes, so a scan of random paths cannot grow the series. */
const ROUTES: readonly [prefix: string, label: string][] = [
  ['/graphql', '/graphql'],
  ['/webhooks/mpesa/', '/webhooks/mpesa'],
  ['/webhooks/paypal', '/webhooks/paypal'],
  ['/payments/paypal/', '/payments/paypal'],
  ['/invoices/', '/invoices'],
  ['/admin/export/', '/admin/export'],
  ['/healthz', '/healthz'],
  ['/readyz', '/readyz'],
  ['/metrics', '/metrics'],
  ['/assets/', '/assets'],
];

export function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]!;
  for (const [prefix, label] of ROUTES) {
    if (path === label || path.startsWith(prefix)) return label;
  }
  return 'other';
}

/**
 * The histogram's child per (method, route, status), kept: prom-client hashes a label object on every observe,
 * which cost more than the rest of this file per request. Bounded: methods, a fixed list of routes, status codes.
 */
const children = new Map<string, ReturnType<typeof httpRequestDuration.labels>>();
function durationOf(method: string, route: string, status: number) {
  const key = `${method} ${route} ${status}`;
  let child = children.get(key);
  if (!child) {
    child = httpRequestDuration.labels(method, route, String(status));
    if (children.size < 1000) children.set(key, child);
  }
  return child;
}

export function observeRequest(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const started = process.hrtime.bigint();
  const route = routeOf(req.url);
  const method = req.method ?? 'GET';
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    durationOf(method, route, res.statusCode).observe(seconds);
    // The access line, at debug: its request id comes from the context like every other line's.
    processLog().debug('http request', { method, route, status: res.statusCode, ms: Math.round(seconds * 1000) });
  });
  if (!tracingEnabled()) {
    withRequestId(req, res, handle);
    return;
  }
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer().startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route } },
    parent,
  );
  const end = () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', () => {
    if (!res.writableFinished) end();
  });
  context.with(trace.setSpan(parent, span), () => withRequestId(req, res, handle));
}
