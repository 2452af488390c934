// The renderers on a hand-made document (no database): text the PDF standard fonts cannot show is replaced rather
// than printed as garbage, the page escapes what customers typed, and amounts stay exact in any locale.
import { describe, expect, it } from '@jest/globals';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { formatMoney } from '../../../src/domain/money.js';
import type { InvoiceDocument } from '../../../src/invoices/invoiceDocument.js';
import { renderInvoiceHtml, renderMessagePage } from '../../../src/invoices/invoiceHtml.js';
import { pdfText, renderInvoicePdf } from '../../../src/invoices/invoicePdf.js';

function aDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  return {
    id: '8d1f4f9e-2a53-4c4e-9d55-0a4e1f0f6c11',
    number: 'INV-2031-000123',
    kind: 'PRORATION',
    status: 'OPEN',
    issuedAt: new Date('2031-03-15T00:00:00Z'),
    dueAt: new Date('2031-03-15T00:00:00Z'),
    periodStart: new Date('2031-03-15T00:00:00Z'),
    periodEnd: new Date('2031-04-01T00:00:00Z'),
    paidAt: null,
    currency: 'USD',
    subtotal: usd(1_234_567),
    total: usd(1_432_098),
    creditApplied: usd(0),
    amountDue: usd(1_432_098),
    amountPaid: usd(0),
    amountCredited: usd(0),
    amountRemaining: usd(1_432_098),
    lines: [
      {
        position: 1,
        kind: 'PRORATION_CREDIT',
        description: 'Unused time on Pro × 3 (2031-03-15 – 2031-04-01)',
        quantity: 1,
        unitAmount: usd(-10_000),
        amount: usd(-10_000),
      },
      {
        position: 2,
        kind: 'PRORATION_CHARGE',
        description: 'Remaining time on Enterprise ✓ (2031-03-15 – 2031-04-01)',
        quantity: 1,
        unitAmount: usd(1_244_567),
        amount: usd(1_244_567),
      },
      {
        position: 3,
        kind: 'TAX',
        description: 'VAT 16 %',
        quantity: 1,
        unitAmount: usd(197_531),
        amount: usd(197_531),
      },
    ],
    seller: { name: 'Karibu Billing', website: 'https://billing.example.co.ke', accentColor: '</style><script>' },
    buyer: {
      name: 'Zoë Łukasiewicz <admin>',
      email: 'zoe@example.test',
      address: { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' },
    },
    subscription: { id: 'b7c1', productName: 'Analytics', planName: 'Enterprise' },
    description: null,
    payment: null,
    locale: 'fr-FR',
    paybill: null,
    ...overrides,
  };
}

async function textOf(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/[\u00a0\u202f\s]+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

describe('pdfText', () => {
  it('keeps what WinAnsi has and replaces what it lacks', () => {
    expect(pdfText('Ksh\u00a02,500.00 × 3 – “ok” • € Zoë')).toBe('Ksh\u00a02,500.00 × 3 – “ok” • € Zoë');
    // fr-FR groups digits with a narrow no-break space (U+202F), which Helvetica lacks.
    expect(pdfText('12\u202f345,67\u00a0$US')).toBe('12 345,67\u00a0$US');
    expect(pdfText('a\u2212b')).toBe('a-b');
    expect(pdfText('Łukasz ✓ 🙂 Ŵ')).toBe('?ukasz ? ? W');
    expect(pdfText('e\u0301')).toBe('é');
  });
});

describe('renderInvoicePdf', () => {
  it('writes exact amounts in the customer locale and no glyph the font lacks', async () => {
    const doc = aDocument();
    const pdf = await renderInvoicePdf(doc);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    const total = formatMoney(doc.total, 'fr-FR').replace(/[\u00a0\u202f]/g, ' ');
    expect(total).toBe('14 320,98 $US');
    expect(text).toContain(total);
    expect(text).toContain('INV-2031-000123');
    expect(text).toContain('Unused time on Pro × 3 (2031-03-15 – 2031-04-01)');
    expect(text).toContain('Remaining time on Enterprise ? (2031-03-15');
    expect(text).toContain('Zoë ?ukasiewicz <admin>');
    expect(text).toContain('Proration (plan change)');
    expect(text).toContain('France');
  });

  it('flows a long invoice onto further pages', async () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      position: i + 1,
      kind: 'PLAN' as const,
      description: `Seat ${i + 1}`,
      quantity: 1,
      unitAmount: { amount: 100, currency: 'USD' },
      amount: { amount: 100, currency: 'USD' },
    }));
    const text = await textOf(await renderInvoicePdf(aDocument({ lines: many, locale: 'en-US' })));
    expect(text).toContain('Seat 1 ');
    expect(text).toContain('Seat 80 ');
    expect(text).toMatch(/-- 1 of [2-9] --/);
    expect(text).toContain('$14,320.98');
  });
});

describe('renderInvoiceHtml', () => {
  it('escapes customer text and ignores an accent colour that is not #rrggbb', () => {
    const page = renderInvoiceHtml(aDocument());
    expect(page.html).toContain('Zoë Łukasiewicz &lt;admin&gt;');
    expect(page.html).not.toContain('<admin>');
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('--accent: #0f766e');
    expect(page.contentSecurityPolicy).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
  });

  it('shows credit taken from the balance between the total and what is due, and no such row without it', async () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    const credited = aDocument({ creditApplied: usd(32_098), amountDue: usd(1_400_000), locale: 'en-US' });
    const page = renderInvoiceHtml(credited).html;
    expect(page).toContain('Credit applied');
    expect(page).toContain('-$320.98');
    expect(page.indexOf('Credit applied')).toBeLessThan(page.indexOf('Amount due'));
    expect(await textOf(await renderInvoicePdf(credited))).toContain('Credit applied');
    expect(renderInvoiceHtml(aDocument({ locale: 'en-US' })).html).not.toContain('Credit applied');
  });

  it('tells how to pay an unpaid invoice from a phone: the paybill, its account, and the customer account', async () => {
    const paybill = { shortCode: '174379', account: 'INV31000123', customerAccount: 'ACC000042' };
    const unpaid = aDocument({ paybill, locale: 'en-KE' });
    const page = renderInvoiceHtml(unpaid).html;
    for (const text of ['Pay from your phone', 'M-Pesa paybill', '174379', 'INV31000123', 'ACC000042']) {
      expect(page).toContain(text);
    }
    const pdf = await textOf(await renderInvoicePdf(unpaid));
    for (const text of ['M-Pesa paybill 174379', 'Account INV31000123', 'Or your account number ACC000042']) {
      expect(pdf).toContain(text);
    }
    expect(renderInvoiceHtml(aDocument()).html).not.toContain('M-Pesa paybill');
  });

  it('gives each message page a policy for its own stylesheet', () => {
    const page = renderMessagePage('Title <b>', 'Message & more');
    expect(page.html).toContain('Title &lt;b&gt;');
    expect(page.html).toContain('Message &amp; more');
    expect(page.contentSecurityPolicy).toContain("default-src 'none'");
  });
});

// jsqr is CommonJS with a default export: under Node's ESM loader the import is the function itself.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ??
  jsQRModule) as typeof jsQRModule.default;

describe("an eTIMS-signed invoice's QR code", () => {
  const qrCodeUrl =
    'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData?tin=P051234567Q&bhfId=00&rcptSign=Zk3q9VwT2bXn1sLc';
  const signed = aDocument({
    etims: { receiptNumber: '42', signature: 'Zk3q9VwT2bXn1sLc', internalData: 'ABCD', qrCodeUrl },
  });

  /** Reads a QR code from RGBA pixels the way a phone's camera app would. */
  const read = (rgba: Uint8ClampedArray, width: number, height: number) => jsQR(rgba, width, height)?.data;

  it('is drawn on the page (no image to load) and reads back as KRA’s receipt check', () => {
    const { html, contentSecurityPolicy } = renderInvoiceHtml(signed);
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    const svg = /<svg[^>]*viewBox="0 0 (\d+) \1"[^>]*aria-label="([^"]+)"[^>]*>.*?<path fill="#000" d="([^"]+)"/.exec(
      html,
    );
    expect(svg?.[2]).toBe('QR code: Scan to check eTIMS receipt 42 with KRA');
    // Paint the path's runs, 6 pixels a module, and read it.
    const side = Number(svg![1]);
    const scale = 6;
    const width = side * scale;
    const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
    for (const [, x, y, length] of svg![3]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let dy = 0; dy < scale; dy += 1) {
        for (let dx = 0; dx < Number(length) * scale; dx += 1) {
          const offset = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
          rgba.fill(0, offset, offset + 3);
        }
      }
    }
    expect(read(rgba, width, width)).toBe(qrCodeUrl);
  });

  it('is drawn in the PDF, readable from the rendered page', async () => {
    const parser = new PDFParse({ data: await renderInvoicePdf(signed) });
    try {
      expect((await parser.getText()).text).toContain('Scan to check eTIMS receipt 42 with KRA');
      const [page] = (await parser.getScreenshot({ scale: 2, partial: [1] })).pages;
      const image = await loadImage(Buffer.from(page!.data));
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      expect(read(data, image.width, image.height)).toBe(qrCodeUrl);
    } finally {
      await parser.destroy();
    }
  });

  it('is absent before the invoice is signed', () => {
    expect(renderInvoiceHtml(aDocument()).html).not.toContain('<svg');
  });
});
