// The invoice as a web page, and the small pages shown when a link does not open one. Each page carries its own
// Content-Security-Policy: the app-wide one (src/http/security.ts) forbids every stylesheet, so a page names its one
// inline <style> block by hash. No scripts, no images, no external requests: nothing to inject into or leak from.
import { createHash } from 'node:crypto';
import type { InvoiceDocument } from './invoiceDocument.js';
import { invoiceText, type InvoiceText } from './invoiceText.js';
import { QR_QUIET_ZONE, qrSvgPath } from './qrCode.js';

export interface HtmlPage {
  html: string;
  contentSecurityPolicy: string;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function pagePolicy(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function page(options: { lang: string; title: string; css: string; body: string }): HtmlPage {
  const html = `<!doctype html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(options.title)}</title>
<style>${options.css}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
  return { html, contentSecurityPolicy: pagePolicy(options.css) };
}

// accent is checked to be #rrggbb by invoiceText, so it cannot close the rule or the block.
function invoiceCss(accent: string): string {
  return `
:root { --accent: ${accent}; --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.invoice { max-width: 52rem; margin: 2rem auto; padding: 2.5rem; background: #fff; border-top: 6px solid var(--accent); box-shadow: 0 1px 4px rgba(0, 0, 0, .08); }
.top { display: flex; justify-content: space-between; gap: 2rem; flex-wrap: wrap; }
.brand { margin: 0; font-size: 1.5rem; font-weight: 700; color: var(--accent); }
.muted, .seller p { color: var(--muted); }
.seller p, .buyer p { margin: 0; }
.heading { text-align: right; }
h1 { margin: 0; font-size: 1.75rem; letter-spacing: .04em; text-transform: uppercase; }
h2 { margin: 0 0 .25rem; font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
.status { display: inline-block; margin-top: .25rem; padding: .1rem .6rem; border-radius: 999px; font-size: .85rem; font-weight: 600; background: #e4e7eb; }
.status-PAID { background: #d1fae5; color: #065f46; }
.status-OPEN { background: #fef3c7; color: #92400e; }
.status-VOID, .status-UNCOLLECTIBLE { background: #fee2e2; color: #991b1b; }
.parties { display: flex; justify-content: space-between; gap: 2rem; flex-wrap: wrap; margin: 2rem 0; }
.buyer strong { font-size: 1.05rem; }
.facts { display: grid; grid-template-columns: auto auto; gap: .15rem 1.25rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; text-align: right; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: .6rem .5rem; text-align: left; vertical-align: top; }
thead th { font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); border-bottom: 2px solid var(--rule); }
tbody td { border-bottom: 1px solid var(--rule); }
.num { text-align: right; white-space: nowrap; }
tfoot th { text-align: right; font-weight: 500; color: var(--muted); }
tfoot tr:last-child th, tfoot tr:last-child td { font-size: 1.15rem; font-weight: 700; color: var(--ink); border-top: 2px solid var(--ink); }
.payment { margin-top: 2rem; padding: 1rem 1.25rem; background: #f0fdf4; border-left: 4px solid #10b981; }
.payment dl { display: grid; grid-template-columns: auto 1fr; gap: .15rem 1.25rem; margin: 0; }
.payment dt { color: var(--muted); }
.payment dd { margin: 0; font-weight: 600; }
.verification { margin-top: 2rem; display: flex; align-items: center; gap: 1rem; }
.verification svg { width: 8rem; height: 8rem; flex: none; }
.verification p { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.actions { margin-top: 2rem; }
.actions a { display: inline-block; padding: .5rem 1rem; border-radius: 6px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; }
footer { margin-top: 2.5rem; padding-top: 1rem; border-top: 1px solid var(--rule); font-size: .85rem; color: var(--muted); }
footer p { margin: .15rem 0; }
@media (max-width: 40rem) { .invoice { margin: 0; padding: 1.25rem; } .heading { text-align: left; } .facts dd { text-align: left; } }
@media print { body { background: #fff; } .invoice { margin: 0; max-width: none; box-shadow: none; } .actions { display: none; } }
`;
}

/** The eTIMS QR code, drawn inline (the page may load no image), with what it is for in words beside it. */
function verificationHtml(verification: NonNullable<InvoiceText['verification']>): string {
  const side = verification.qr.size + 2 * QR_QUIET_ZONE;
  return (
    `<section class="verification"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" ` +
    `shape-rendering="crispEdges" role="img" aria-label="QR code: ${escapeHtml(verification.caption)}">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${qrSvgPath(verification.qr)}"/></svg>` +
    `<p>${escapeHtml(verification.caption)}:<br>${escapeHtml(verification.url)}</p></section>`
  );
}

function definitionList(pairs: [string, string][], className?: string): string {
  const items = pairs.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  return `<dl${className ? ` class="${className}"` : ''}>${items}</dl>`;
}

/** The invoice page. pdfHref: where its "Download PDF" button points (the PDF link with the same token). */
export function renderInvoiceHtml(doc: InvoiceDocument, options: { pdfHref?: string } = {}): HtmlPage {
  return renderDocumentHtml(invoiceText(doc), options);
}

/** Any billing document's page (an invoice, a credit note) from its words and numbers. */
export function renderDocumentHtml(text: InvoiceText, options: { pdfHref?: string } = {}): HtmlPage {
  const lines = text.lines
    .map(
      (line) =>
        `<tr class="line-${line.kind}"><td>${escapeHtml(line.description)}</td><td class="num">${escapeHtml(line.quantity)}</td>` +
        `<td class="num">${escapeHtml(line.unitAmount)}</td><td class="num">${escapeHtml(line.amount)}</td></tr>`,
    )
    .join('\n');
  const totals = text.totals
    .map(
      ([label, value]) => `<tr><th colspan="3">${escapeHtml(label)}</th><td class="num">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  const body = `<main class="invoice">
<header class="top">
<div class="seller"><p class="brand">${escapeHtml(text.seller.name)}</p>${text.seller.details.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>
<div class="heading"><h1>${escapeHtml(text.heading)}</h1><span class="status status-${text.status.code}">${escapeHtml(text.status.label)}</span></div>
</header>
<section class="parties">
<div class="buyer"><h2>${escapeHtml(text.buyerHeading)}</h2><p><strong>${escapeHtml(text.buyer.name)}</strong></p>${text.buyer.details.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>
${definitionList(text.facts, 'facts')}
</section>
<table>
<thead><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit amount</th><th class="num">Amount</th></tr></thead>
<tbody>
${lines}
</tbody>
<tfoot>
${totals}
</tfoot>
</table>
${text.payment ? `<section class="payment"><h2>${escapeHtml(text.paymentHeading)}</h2>${definitionList(text.payment)}</section>` : ''}
${text.verification ? verificationHtml(text.verification) : ''}
${options.pdfHref ? `<p class="actions"><a href="${escapeHtml(options.pdfHref)}" download>Download PDF</a></p>` : ''}
<footer>${text.footer.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</footer>
</main>`;
  return page({
    lang: text.locale,
    title: `${text.title} - ${text.seller.name}`,
    css: invoiceCss(text.accentColor),
    body,
  });
}

const MESSAGE_CSS = `
body { margin: 0; background: #f5f7fa; color: #1f2933; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 32rem; margin: 4rem auto; padding: 2rem; background: #fff; border-top: 6px solid #0f766e; box-shadow: 0 1px 4px rgba(0, 0, 0, .08); }
h1 { margin-top: 0; font-size: 1.4rem; }
p { color: #52606d; }
`;

/** A page that says only what the visitor can act on: refusals never tell which check failed. */
export function renderMessagePage(title: string, message: string): HtmlPage {
  return page({
    lang: 'en',
    title,
    css: MESSAGE_CSS,
    body: `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>`,
  });
}
