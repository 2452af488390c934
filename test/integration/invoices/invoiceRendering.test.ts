// The renderers on a hand-made document (no database): text the PDF standard fonts cannot show is replaced rather
// than printed as garbage, the page escapes what customers typed, and amounts stay exact in any locale.
import { describe, expect, it } from '@jest/globals';
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
    payment: null,
    locale: 'fr-FR',
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

  it('gives each message page a policy for its own stylesheet', () => {
    const page = renderMessagePage('Title <b>', 'Message & more');
    expect(page.html).toContain('Title &lt;b&gt;');
    expect(page.html).toContain('Message &amp; more');
    expect(page.contentSecurityPolicy).toContain("default-src 'none'");
  });
});
