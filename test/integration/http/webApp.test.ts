// The customer portal as the API serves it: index.html for every page a browser asks for, with a fresh CSP nonce
// and the brand; hashed assets cached for good; a 503 saying how to build it when it is not built; the API's own
// routes as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { apiForSuite } from '../../support/api.js';

const INDEX = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Billing</title>
    <script type="module" crossorigin src="/assets/index-abc123.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("portal")');
  return dir;
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function nonceOf(page: string): string {
  return /<meta name="csp-nonce" content="([^"]+)">/.exec(page)?.[1] ?? '';
}

function brandOf(page: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="brand">([^<]*)<\/script>/.exec(page)?.[1];
  return JSON.parse(json ?? 'null') as Record<string, unknown>;
}

describe('the customer portal, built', () => {
  const dir = builtApp();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const suite = apiForSuite(
    {
      BRAND_PRODUCT_NAME: 'Acme </script><b>Pay',
      BRAND_PRIMARY_COLOR: '#123abc',
      BRAND_SUPPORT_EMAIL: 'help@acme.test',
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      TEMPORAL_NAMESPACE: 'billing-test',
    },
    { webApp: { dir } },
  );

  it('serves index.html for a page, not cached, under a strict CSP whose style nonce is the one in the page', async () => {
    const response = await fetch(`${suite.api.url}/`, { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const page = await response.text();
    const nonce = nonceOf(page);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const host = new URL(suite.api.url).host;
    expect(response.headers.get('content-security-policy')).toBe(
      [
        "default-src 'self'",
        "script-src 'self'",
        `style-src 'self' 'nonce-${nonce}'`,
        "img-src 'self' data:",
        `connect-src 'self' ws://${host}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ].join('; '),
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(page).toContain('<script type="module" crossorigin src="/assets/index-abc123.js"></script>');
  });

  it('puts the brand in the page as JSON that cannot close its script element, and in the title; and where the admin console finds the Temporal UI', async () => {
    const page = await (await fetch(`${suite.api.url}/plans`, { headers: html })).text();
    expect(page).not.toContain('</script><b>');
    expect(page).toContain('<title>Acme &#60;/script&#62;&#60;b&#62;Pay</title>');
    expect(brandOf(page)).toEqual({
      name: 'Acme </script><b>Pay',
      primaryColor: '#123abc',
      logoUrl: null,
      supportEmail: 'help@acme.test',
      temporalUi: { url: 'http://127.0.0.1:8233', namespace: 'billing-test' },
    });
  });

  it('gives every page load its own nonce', async () => {
    const nonces = await Promise.all(
      [1, 2, 3].map(async () => {
        const response = await fetch(`${suite.api.url}/`, { headers: html });
        const nonce = nonceOf(await response.text());
        expect(response.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
        return nonce;
      }),
    );
    expect(new Set(nonces).size).toBe(3);
  });

  it('answers every page the app routes on the client, including the emails’ links', async () => {
    for (const path of [
      '/login',
      '/subscriptions/7d1f0c3a-1111-4111-8111-111111111111',
      '/account/verify-email?token=abc',
      '/account/reset-password?token=abc',
      '/invoices',
      '/no/such/page',
    ]) {
      const response = await fetch(`${suite.api.url}${path}`, { headers: html });
      expect({ path, status: response.status, nonce: nonceOf(await response.text()) !== '' }).toEqual({
        path,
        status: 200,
        nonce: true,
      });
    }
  });

  it('serves assets with a year-long immutable cache, and a missing asset as a 404, not a page', async () => {
    const asset = await fetch(`${suite.api.url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(await asset.text()).toBe('console.log("portal")');
    const missing = await fetch(`${suite.api.url}/assets/gone-000.js`, { headers: html });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('leaves the API routes as they were', async () => {
    const health = await fetch(`${suite.api.url}/healthz`, { headers: html });
    expect(await health.json()).toEqual({ status: 'ok' });
    const graphiql = await fetch(`${suite.api.url}/graphql`, { headers: html });
    expect(await graphiql.text()).toContain('GraphiQL');
    expect(graphiql.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    expect(await suite.api.graphql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    for (const path of ['/webhooks/mpesa/x', '/payments/paypal/nowhere', '/invoices/x/y']) {
      const response = await fetch(`${suite.api.url}${path}`, { headers: html });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: 'application/json; charset=utf-8',
      });
    }
    // Clients that do not ask for HTML get the JSON 404 for unknown paths, as before.
    const api = await fetch(`${suite.api.url}/nowhere`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'nothing here: GET /nowhere' });
    const post = await fetch(`${suite.api.url}/login`, { method: 'POST', headers: html });
    expect(post.status).toBe(404);
  });
});

describe('the customer portal, not built', () => {
  const suite = apiForSuite({}, { webApp: { dir: join(tmpdir(), 'no-such-web-build') } });

  it('answers pages with a 503 saying how to build it', async () => {
    const response = await fetch(`${suite.api.url}/`, { headers: html });
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('npm run web:build');
    expect((await fetch(`${suite.api.url}/healthz`)).status).toBe(200);
  });
});
