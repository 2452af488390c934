// GET /metrics in Prometheus's text format. Two ways to expose it, for the API and the worker alike:
// - its own listener on METRICS_HOST (METRICS_PORT for the API, WORKER_METRICS_PORT for the worker): whoever can
//   reach that address may read; bind it to a private interface;
// - on the API's public port: open outside production; in production only with `Authorization: Bearer
//   <METRICS_TOKEN>`, and refused (404, as if absent) when no token is configured.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { scrape } from './metrics.js';

export interface MetricsAccess {
  /** Anyone who reaches the route may read (development, or a listener on a private address). */
  open: boolean;
  /** With `open` false: the bearer token that opens it; null refuses every request. */
  token: string | null;
}

export interface MetricsSources {
  /** Scrape-time gauges to refresh first (src/observability/backlogMetrics.ts). */
  refresh?: readonly (() => Promise<void>)[];
  /** More exposition text to append (the worker: the Temporal SDK's own exporter); its failure leaves it out. */
  extra?: () => Promise<string>;
}

export function metricsHandler(
  access: MetricsAccess,
  sources: MetricsSources = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!access.open && !bearerMatches(req.headers.authorization, access.token)) {
      res.statusCode = access.token ? 401 : 404;
      if (access.token) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          error: access.token
            ? 'metrics need Authorization: Bearer <METRICS_TOKEN>'
            : 'metrics are not served on this port in production (set METRICS_TOKEN or METRICS_PORT)',
        }),
      );
      return;
    }
    exposition(sources).then(
      (text) => {
        res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.end(text);
      },
      (error: unknown) => {
        res.statusCode = 500;
        res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}

async function exposition({ refresh, extra }: MetricsSources): Promise<string> {
  const [ours, theirs] = await Promise.all([scrape(refresh), extra?.().catch(() => '') ?? '']);
  return theirs ? `${ours}\n${theirs}` : ours;
}

function bearerMatches(header: string | undefined, token: string | null): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A listener that serves only GET /metrics (and appends `extra`, such as the Temporal SDK's own metrics). */
export async function startMetricsServer(
  host: string,
  port: number,
  handler: RequestListener,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/metrics') handler(req, res);
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The API's public port: open outside production; in production only with the token (none: refused). */
export function publicPortAccess(config: { nodeEnv: string; metrics: { token: string | null } }): MetricsAccess {
  return { open: config.nodeEnv !== 'production', token: config.metrics.token };
}

/** A listener of its own on METRICS_HOST: the bind address is the protection. */
export const ownListenerAccess: MetricsAccess = { open: true, token: null };
