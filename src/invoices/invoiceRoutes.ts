// GET /invoices/:id (page) and GET /invoices/:id.pdf (download), and the same for credit notes under
// /credit-notes/, opened with a signed link's ?token= instead of a login (src/invoices/invoiceLinks.ts). The token is checked before the database is asked anything, so without a
// valid link nobody learns whether an invoice exists: every refusal is the same 403.
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type Response, type Router } from 'express';
import { creditNoteText, loadCreditNoteDocument } from './creditNoteDocument.js';
import { loadInvoiceDocument, type Seller } from './invoiceDocument.js';
import { renderDocumentHtml, renderInvoiceHtml, renderMessagePage, type HtmlPage } from './invoiceHtml.js';
import { DOCUMENT_KINDS, verifyInvoiceLinkToken, type DocumentKind, type InvoiceLinkSettings } from './invoiceLinks.js';
import { renderDocumentPdf, renderInvoicePdf } from './invoicePdf.js';

export interface InvoiceRouteOptions {
  em: EntityManager;
  links: InvoiceLinkSettings;
  /** Defaults to the Karibu Billing seller at PUBLIC_URL. */
  seller?: Seller;
  /** Our M-Pesa paybill, printed on unpaid KES invoices with the account to type. */
  paybillShortCode?: string | null;
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
  'This link does not open a document',
  'It may have expired or been copied incompletely. Ask for a new link to the invoice or credit note.',
);
const notFound = renderMessagePage('Document not found', 'There is no invoice or credit note at this address.');

/** A document as both renderers need it: its file name, the page and the PDF. */
interface Served {
  number: string;
  html(pdfHref: string): HtmlPage;
  pdf(): Promise<Buffer>;
}

type Loader = (em: EntityManager, id: string, options: InvoiceRouteOptions) => Promise<Served | null>;

const LOADERS: Record<DocumentKind, Loader> = {
  invoice: async (em, id, options) => {
    const doc = await loadInvoiceDocument(em, id, {
      publicUrl: options.links.publicUrl,
      seller: options.seller,
      paybillShortCode: options.paybillShortCode,
    });
    return (
      doc && {
        number: doc.number,
        html: (pdfHref) => renderInvoiceHtml(doc, { pdfHref }),
        pdf: () => renderInvoicePdf(doc),
      }
    );
  },
  creditNote: async (em, id, options) => {
    const doc = await loadCreditNoteDocument(em, id, { publicUrl: options.links.publicUrl, seller: options.seller });
    if (!doc) return null;
    const text = creditNoteText(doc);
    return {
      number: doc.number,
      html: (pdfHref) => renderDocumentHtml(text, { pdfHref }),
      pdf: () => renderDocumentPdf(text, doc.issuedAt),
    };
  },
};

/** GET /invoices/:id(.pdf) and /credit-notes/:id(.pdf). */
export function invoiceRoutes(options: InvoiceRouteOptions): Router {
  const router = express.Router();
  const now = options.now ?? (() => new Date());

  const handle =
    (kind: DocumentKind, format: 'html' | 'pdf'): express.RequestHandler<{ id: string }> =>
    async (req, res, next) => {
      // Whoever holds the link may read the document; no shared cache or search engine should keep a copy.
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Robots-Tag', 'noindex, nofollow');
      try {
        const id = req.params.id;
        const token = typeof req.query.token === 'string' ? req.query.token : '';
        if (!verifyInvoiceLinkToken(token, DOCUMENT_KINDS[kind].subject(id), now(), options.links.secret).valid) {
          sendPage(res, 403, refused);
          return;
        }
        const served = await LOADERS[kind](options.em.fork(), id, options);
        if (!served) {
          sendPage(res, 404, notFound);
          return;
        }
        if (format === 'pdf') {
          res
            .attachment(`${served.number}.pdf`)
            .type('application/pdf')
            .send(await served.pdf());
          return;
        }
        sendPage(res, 200, served.html(`${encodeURIComponent(id)}.pdf?token=${encodeURIComponent(token)}`));
      } catch (error) {
        next(error);
      }
    };

  for (const kind of Object.keys(DOCUMENT_KINDS) as DocumentKind[]) {
    const path = DOCUMENT_KINDS[kind].path;
    // The .pdf route first: /<path>/:id would otherwise take "<id>.pdf" as the id.
    router.get(`/${path}/:id.pdf`, handle(kind, 'pdf'));
    router.get(`/${path}/:id`, handle(kind, 'html'));
  }
  return router;
}
