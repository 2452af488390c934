// GET /invoices/:id (page) and GET /invoices/:id.pdf (download), opened with a signed link's ?token= instead of a
// login (src/invoices/invoiceLinks.ts). The token is checked before the database is asked anything, so without a
// valid link nobody learns whether an invoice exists: every refusal is the same 403.
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Response, type Router } from 'express';
import { loadInvoiceDocument, type Seller } from './invoiceDocument.js';
import { renderInvoiceHtml, renderMessagePage, type HtmlPage } from './invoiceHtml.js';
import { verifyInvoiceLinkToken, type InvoiceLinkSettings } from './invoiceLinks.js';
import { renderInvoicePdf } from './invoicePdf.js';

export interface InvoiceRouteOptions {
  em: EntityManager;
  links: InvoiceLinkSettings;
  /** Defaults to the Karibu Billing seller at PUBLIC_URL. */
  seller?: Seller;
  now?: () => Date;
}

/**
 * Sends a page with its own Content-Security-Policy. The policy goes through writeHead, whose headers take
 * precedence over setHeader's: with the GraphQL IDE on, src/http/security.ts swaps the policy of every successful
 * HTML response for the IDE's (inline scripts allowed) as the headers are written, and this page needs neither
 * that policy nor the strict API one (no styles at all).
 */
function sendPage(res: Response, status: number, page: HtmlPage): void {
  const body = Buffer.from(page.html, 'utf8');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.writeHead(status, { 'Content-Security-Policy': page.contentSecurityPolicy });
  res.end(body);
}

const refused = renderMessagePage(
  'This link does not open an invoice',
  'It may have expired or been copied incompletely. Ask for a new link to the invoice.',
);
const notFound = renderMessagePage('Invoice not found', 'There is no invoice at this address.');

export function invoiceRoutes(options: InvoiceRouteOptions): Router {
  const router = express.Router();
  const now = options.now ?? (() => new Date());

  const handle =
    (format: 'html' | 'pdf'): express.RequestHandler<{ id: string }> =>
    async (req, res, next) => {
      // Whoever holds the link may read the invoice; no shared cache or search engine should keep a copy.
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Robots-Tag', 'noindex, nofollow');
      try {
        const invoiceId = req.params.id;
        const token = typeof req.query.token === 'string' ? req.query.token : '';
        if (!verifyInvoiceLinkToken(token, invoiceId, now(), options.links.secret).valid) {
          sendPage(res, 403, refused);
          return;
        }
        const doc = await loadInvoiceDocument(options.em.fork(), invoiceId, {
          publicUrl: options.links.publicUrl,
          seller: options.seller,
        });
        if (!doc) {
          sendPage(res, 404, notFound);
          return;
        }
        if (format === 'pdf') {
          const pdf = await renderInvoicePdf(doc);
          res.attachment(`${doc.number}.pdf`).type('application/pdf').send(pdf);
          return;
        }
        const pdfHref = `${encodeURIComponent(doc.id)}.pdf?token=${encodeURIComponent(token)}`;
        sendPage(res, 200, renderInvoiceHtml(doc, { pdfHref }));
      } catch (error) {
        next(error);
      }
    };

  // The .pdf route first: /invoices/:id would otherwise take "<id>.pdf" as the id.
  router.get('/invoices/:id.pdf', handle('pdf'));
  router.get('/invoices/:id', handle('html'));
  return router;
}
