import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { graphiqlPage } from '../../../src/http/graphiql.js';
import { browserPolicy, parseOriginList } from '../../../src/http/security.js';
import { startServer, type RunningServer } from './startServer.js';

/** An app shaped like the API: /graphql answers JSON, or the GraphiQL page to a browser asking for HTML. */
function apiLike(options: { tls: boolean; allowGraphiql: boolean }, allowedOrigins: readonly string[] = []) {
  const app = express();
  const answered = browserPolicy({ ...options, allowedOrigins });
  app.use((req, res, next) => {
    if (!answered(req, res)) next();
  });
  app.get('/graphql', (req, res) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html') res.type('html').send(graphiqlPage('/graphql'));
    else res.json({ data: { ok: true } });
  });
  app.post('/graphql', (_req, res) => {
    res.json({ data: { ok: true } });
  });
  return createServer(app);
}

const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '').split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('browserPolicy: security headers', () => {
  let plain: RunningServer;
  let tls: RunningServer;
  let noIde: RunningServer;

  beforeAll(async () => {
    plain = await startServer(apiLike({ tls: false, allowGraphiql: true }));
    tls = await startServer(apiLike({ tls: true, allowGraphiql: true }));
    noIde = await startServer(apiLike({ tls: false, allowGraphiql: false }));
  });

  afterAll(async () => {
    await Promise.all([plain.close(), tls.close(), noIde.close()]);
  });

  it('sends the hardening headers and a strict CSP on API responses', async () => {
    const response = await fetch(`${plain.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toBe(STRICT_CSP);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS only when the server speaks TLS', async () => {
    const response = await fetch(`${tls.url}/graphql`);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('gives the GraphiQL page a policy that lets exactly its own scripts, styles and connections run', async () => {
    const response = await fetch(`${plain.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self' 'unsafe-inline'");
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(csp.get('connect-src')).toBe("'self' ws: wss:");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    // The page really needs no more than that: every script and stylesheet it loads is on this origin.
    const page = await response.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((source) => source?.startsWith('/_graphiql/'))).toBe(true);
  });

  it('keeps JSON from the same route, and HTML when the IDE is off, under the strict policy', async () => {
    const json = await fetch(`${plain.url}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-security-policy')).toBe(STRICT_CSP);
    const html = await fetch(`${noIde.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toBe(STRICT_CSP);
    const notFound = await fetch(`${plain.url}/nowhere`, { headers: { accept: 'text/html' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});

describe('browserPolicy: CORS', () => {
  let listed: RunningServer;
  let anyOrigin: RunningServer;

  beforeAll(async () => {
    listed = await startServer(
      apiLike({ tls: false, allowGraphiql: false }, ['https://app.example.com', 'http://localhost:5173']),
    );
    anyOrigin = await startServer(apiLike({ tls: false, allowGraphiql: false }, ['*']));
  });

  afterAll(async () => {
    await Promise.all([listed.close(), anyOrigin.close()]);
  });

  const preflight = (url: string, origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  it('lets a listed origin read responses', async () => {
    const response = await fetch(`${listed.url}/graphql`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After, RateLimit-Remaining');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('sends no CORS headers to an origin not on the list, nor to requests without Origin', async () => {
    for (const headers of [
      { origin: 'https://evil.example.com' },
      { origin: 'https://app.example.com.evil.net' },
      {},
    ]) {
      const response = await fetch(`${listed.url}/graphql`, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('vary')).toBe('Origin');
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('answers a preflight from a listed origin with 204 and the allowed methods and headers', async () => {
    const response = await preflight(listed.url, 'https://app.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, authorization, idempotency-key, x-api-key',
    );
    expect(response.headers.get('vary')).toBe('Origin');
    expect(await response.text()).toBe('');
  });

  it('answers a preflight from another origin without CORS headers, so the browser refuses', async () => {
    const response = await preflight(listed.url, 'https://evil.example.com');
    expect(response.status).toBe(204);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it("allows any origin only when '*' is listed", async () => {
    const response = await fetch(`${anyOrigin.url}/graphql`, { headers: { origin: 'https://anyone.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const preflightResponse = await preflight(anyOrigin.url, 'https://anyone.example');
    expect(preflightResponse.status).toBe(204);
    expect(preflightResponse.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('parseOriginList', () => {
  it('splits, trims and keeps exact origins and *', () => {
    expect(parseOriginList(' https://app.example.com ,http://localhost:5173, *,')).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
      '*',
    ]);
    expect(parseOriginList('')).toEqual([]);
    expect(parseOriginList('https://[::1]:8443')).toEqual(['https://[::1]:8443']);
  });

  it('rejects entries that are not origins, naming the entry', () => {
    expect(() => parseOriginList('https://ok.example.com, app.example.com')).toThrow(
      'invalid CORS origin "app.example.com": expected scheme://host[:port] such as https://app.example.com, or *',
    );
    expect(() => parseOriginList('https://app.example.com/')).toThrow(
      'invalid CORS origin "https://app.example.com/": expected scheme://host[:port] such as https://app.example.com, or * (did you mean "https://app.example.com"?)',
    );
    expect(() => parseOriginList('https://App.Example.com')).toThrow('did you mean "https://app.example.com"?');
    expect(() => parseOriginList('https://app.example.com:443')).toThrow('did you mean "https://app.example.com"?');
    expect(() => parseOriginList('https://app.example.com/graphql')).toThrow('"https://app.example.com/graphql"');
    expect(() => parseOriginList('ftp://files.example.com')).toThrow(
      'invalid CORS origin "ftp://files.example.com": only http and https origins are supported',
    );
    expect(() => parseOriginList('https://*.example.com')).toThrow(
      'invalid CORS origin "https://*.example.com": wildcards are not supported, list each origin (or * alone)',
    );
  });
});
