// Browser-facing hardening for every response: security headers and CORS. Written here rather than taken from
// helmet/cors because the API needs only a handful of fixed headers, and one file shows exactly what is sent.
import type { IncomingMessage, ServerResponse } from 'node:http';

// API responses are JSON and never need to load, frame or run anything.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// The GraphiQL page (src/http/graphiql.ts) loads its scripts and stylesheet from /_graphiql/ on this origin and
// starts itself with one inline script, so 'unsafe-inline' scripts are allowed on that page alone. Styles need
// 'unsafe-inline' too: the page has an inline <style> block and GraphiQL's dialogs inject <style> elements at run
// time. Its CSS embeds fonts and icons as data: URLs. It talks to /graphql over fetch and graphql-ws.
const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The customer portal's pages (src/http/webApp.ts): scripts and stylesheets from this origin only; the <style>
 * elements Mantine injects carry the per-load nonce; the app talks to /graphql over fetch and its graphql-ws socket
 * (named by origin: older browsers do not count ws: as 'self'). The brand's logo may come from its own https origin.
 */
export function webAppPolicy(options: {
  nonce: string;
  webSocketOrigin: string | null;
  imageOrigins: readonly string[];
}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${options.nonce}'`,
    ["img-src 'self' data:", ...options.imageOrigins].join(' '),
    ["connect-src 'self'", ...(options.webSocketOrigin ? [options.webSocketOrigin] : [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

// One year; only sent over TLS, since browsers ignore it on plain HTTP and it would lock out a plain-HTTP dev setup.
const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeaderOptions {
  tls: boolean;
  allowGraphiql: boolean;
}

/** Sets the headers on a plain Node response: the GraphQL route runs without Express (src/http/graphqlRoute.ts). */
function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityHeaderOptions): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', API_CSP);
  if (options.tls) res.setHeader('Strict-Transport-Security', HSTS);
  if (options.allowGraphiql && (req.method === 'GET' || req.method === 'HEAD')) relaxPolicyForHtmlPage(res);
}

// Whether a response is the IDE page is only known once its handler has chosen the content type (/graphql serves
// both JSON and the page), so the choice is made when the headers are written: a successful HTML answer to a GET
// gets the IDE policy, everything else keeps the strict one. A route that set a policy of its own (the portal's
// pages, src/http/webApp.ts) keeps it. Express writes headers through res.writeHead, also
// when they are sent implicitly by res.end.
function relaxPolicyForHtmlPage(res: ServerResponse): void {
  const writeHead = res.writeHead;
  const wrapped = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    const contentType = String(res.getHeader('content-type') ?? '');
    const ownPolicy = res.getHeader('Content-Security-Policy') !== API_CSP;
    if (statusCode === 200 && /^text\/html\b/i.test(contentType) && !ownPolicy)
      res.setHeader('Content-Security-Policy', GRAPHIQL_CSP);
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  };
  res.writeHead = wrapped as unknown as typeof res.writeHead;
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'content-type, authorization, idempotency-key, x-api-key';
// Headers a browser script may read from a cross-origin response; the rate limit headers are not safelisted.
const EXPOSED_HEADERS = 'Retry-After, RateLimit-Remaining';

/**
 * CORS for an exact allow list of origins ('*' must be listed to allow any). Origins not on the list get no CORS
 * headers at all, so the browser withholds the response from their scripts; preflights are answered here (204)
 * and never reach GraphQL. Credentials (cookies) are not allowed: clients authenticate with headers.
 *
 * Works on a plain Node response and returns true when it has answered (a preflight).
 */
function corsPolicy(allowedOrigins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const anyOrigin = allowedOrigins.includes('*');
  const origins = new Set(allowedOrigins);
  return (req, res) => {
    // The answer depends on Origin, so shared caches must not give one origin's response to another.
    varyOnOrigin(res);
    const origin = req.headers.origin;
    const preflight =
      req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined;
    const allowed = origin !== undefined && (anyOrigin || origins.has(origin));
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
      if (preflight) {
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      } else {
        res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      }
    }
    if (preflight) {
      // Answered for refused origins too, just without CORS headers: the browser then fails the preflight.
      res.statusCode = 204;
      res.end();
    }
    return preflight;
  };
}

/**
 * Security headers and CORS together, as every response of the API gets them (Express routes and the GraphQL route
 * alike). Returns true when it has answered (a CORS preflight).
 */
export function browserPolicy(
  options: SecurityHeaderOptions & { allowedOrigins: readonly string[] },
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cors = corsPolicy(options.allowedOrigins);
  return (req, res) => {
    setSecurityHeaders(req, res, options);
    return cors(req, res);
  };
}

function varyOnOrigin(res: ServerResponse): void {
  const vary = res.getHeader('Vary');
  if (vary === undefined) res.setHeader('Vary', 'Origin');
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(vary))) res.setHeader('Vary', `${String(vary)}, Origin`);
}

/**
 * Parses a comma-separated allow list such as "https://app.example.com, http://localhost:5173". Entries must be
 * exactly what browsers send in Origin (scheme://host[:port], lower case, no path or trailing slash, no default
 * port), since origins are compared as strings; '*' allows any origin. Empty entries are skipped so a trailing
 * comma or an empty variable is harmless.
 */
export function parseOriginList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (entry === '*') return entry;
      const expected = 'expected scheme://host[:port] such as https://app.example.com, or *';
      if (entry.includes('*')) {
        // Browsers send the exact origin; a pattern like https://*.example.com would never match anything.
        throw new Error(`invalid CORS origin "${entry}": wildcards are not supported, list each origin (or * alone)`);
      }
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`invalid CORS origin "${entry}": ${expected}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`invalid CORS origin "${entry}": only http and https origins are supported`);
      }
      if (url.origin !== entry) {
        throw new Error(`invalid CORS origin "${entry}": ${expected} (did you mean "${url.origin}"?)`);
      }
      return entry;
    });
}
