// The customer portal and hosted checkout (web/, built by Vite into dist/web): hashed assets cached for a year, and
// index.html for every page a browser asks for (the app routes on the client). Each page load gets its own CSP
// nonce, which Mantine puts on the <style> elements it injects, and the brand (BRAND_* settings) as a JSON data
// block the app reads for its colour, name and logo.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Router } from 'express';
import { projectRoot } from '../paths.js';
import { webAppPolicy } from './security.js';

export interface WebBrand {
  productName: string;
  primaryColor: string;
  logoUrl: string | null;
  supportEmail: string;
}

export interface WebAppOptions {
  /** Vite's output: index.html and assets/. */
  dir?: string;
  brand: WebBrand;
  /** The admin console links each subscription's workflow here (TEMPORAL_UI_URL); null: no link. */
  temporalUi?: { url: string; namespace: string } | null;
}

export const WEB_APP_DIR = join(projectRoot, 'dist', 'web');

/** Paths that are never a page of the app: the API's own routes, and assets (a missing one is a 404, not a page). */
// `/invoices` alone is the portal's invoice list; `/invoices/<id>` are the signed invoice documents.
const NOT_PAGES = /^\/(?:(?:graphql|webhooks|payments|assets|_graphiql|healthz|readyz)(?:\/|$)|invoices\/)/;

export function isAppPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (NOT_PAGES.test(req.path)) return false;
  // Browsers ask for pages with text/html in Accept; API clients and probes get the JSON 404 as before.
  return req.headers.accept !== undefined && req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** JSON that is safe inside <script>: nothing in it can close the element or start a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** index.html with this load's nonce and the brand; the title is the product name until a page sets its own. */
export function renderIndex(
  html: string,
  brand: WebBrand,
  nonce: string,
  temporalUi: WebAppOptions['temporalUi'] = null,
): string {
  const data = scriptJson({
    name: brand.productName,
    primaryColor: brand.primaryColor,
    logoUrl: brand.logoUrl,
    supportEmail: brand.supportEmail,
    temporalUi,
  });
  const head =
    `<meta name="csp-nonce" content="${nonce}">\n` + `<script type="application/json" id="brand">${data}</script>\n`;
  return html
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(brand.productName)}</title>`)
    .replace('</head>', `${head}</head>`);
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>The customer portal is not built</h1>
<p>Run <code>npm run web:build</code> (or <code>npm start</code>, which builds it), then reload this page.</p>
</body></html>`;

/** The origin of the page's own graphql-ws socket, from the request (only a well-formed host is echoed). */
function webSocketOrigin(req: Request): string | null {
  const host = req.headers.host;
  if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) return null;
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const secure = req.secure || forwarded === 'https';
  return `${secure ? 'wss' : 'ws'}://${host.toLowerCase()}`;
}

export function webAppRoutes(options: WebAppOptions): Router {
  const dir = options.dir ?? WEB_APP_DIR;
  const indexFile = join(dir, 'index.html');
  const imageOrigins = options.brand.logoUrl ? [new URL(options.brand.logoUrl).origin] : [];
  // Read again when the file changes (a rebuild while the API runs), otherwise from memory.
  let cached: { mtimeMs: number; html: string } | null = null;
  const readIndex = (): string | null => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(indexFile).mtimeMs;
    } catch {
      cached = null;
      return null;
    }
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexFile, 'utf8') };
    return cached.html;
  };

  const router = express.Router();
  // Vite names every asset by its content hash: a changed file is a new URL, so each can be cached for good.
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, etag: false, redirect: false }),
  );
  router.use((req, res, next) => {
    if (!isAppPage(req)) {
      next();
      return;
    }
    const html = readIndex();
    res.setHeader('Cache-Control', 'no-cache');
    if (html === null) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'Content-Security-Policy',
      webAppPolicy({ nonce, webSocketOrigin: webSocketOrigin(req), imageOrigins }),
    );
    res.type('html').send(renderIndex(html, options.brand, nonce, options.temporalUi));
  });
  return router;
}
