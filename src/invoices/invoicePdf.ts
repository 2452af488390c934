// The invoice as an A4 PDF with selectable text, in the PDF standard fonts (Helvetica): nothing to embed or ship.
// Those fonts only have the WinAnsi character set, so every string goes through pdfText first.
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from './invoiceDocument.js';
import { invoiceText, type InvoiceText } from './invoiceText.js';
import { QR_QUIET_ZONE } from './qrCode.js';

// Characters above Latin-1 that WinAnsi (and so pdfkit's standard fonts) can print.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/g;
const DASHES = /[\u2010\u2011\u2012\u2212]/g;
const COMBINING_MARKS = /\p{M}/gu;

function printable(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char);
}

/**
 * Text the standard fonts can show. A character outside WinAnsi would print as garbage (pdfkit writes its code as
 * if it were one), so narrow spaces that some locales put in amounts become spaces, other dashes become hyphens,
 * accented letters lose only what WinAnsi lacks, and anything else becomes '?'.
 */
export function pdfText(value: string): string {
  let out = '';
  for (const char of value.normalize('NFC').replace(SPACES, ' ').replace(DASHES, '-')) {
    if (printable(char)) out += char;
    else if (char === '\n' || char === '\t') out += ' ';
    else {
      const stripped = char.normalize('NFD').replace(COMBINING_MARKS, '');
      out += stripped !== '' && [...stripped].every(printable) ? stripped : '?';
    }
  }
  return out;
}

const PAGE_MARGIN = 50;
const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#d9e2ec';
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

interface Column {
  x: number;
  width: number;
  align: 'left' | 'right';
}

type Text = InvoiceText;
type WriteOptions = PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string };

/** The page's geometry and the few drawing moves every section uses. */
class Layout {
  readonly left = PAGE_MARGIN;
  readonly right: number;
  readonly width: number;

  constructor(readonly pdf: PDFKit.PDFDocument) {
    this.right = pdf.page.width - PAGE_MARGIN;
    this.width = this.right - this.left;
  }

  bottom(): number {
    return this.pdf.page.height - PAGE_MARGIN;
  }

  /** Writes `value` at (x, y); answers where the text ended. */
  write(value: string, x: number, y: number, options: WriteOptions = {}): number {
    const { font = REGULAR, size = 10, color = INK, ...textOptions } = options;
    this.pdf.font(font).fontSize(size).fillColor(color).text(pdfText(value), x, y, textOptions);
    return this.pdf.y;
  }

  heightOf(value: string, font: string, size: number, columnWidth: number): number {
    return this.pdf.font(font).fontSize(size).heightOfString(pdfText(value), { width: columnWidth });
  }

  rule(y: number, color = RULE, lineWidth = 1): void {
    this.pdf.moveTo(this.left, y).lineTo(this.right, y).lineWidth(lineWidth).strokeColor(color).stroke();
  }

  /** `y`, or the top of a new page when `height` does not fit below it. */
  room(y: number, height: number): number {
    if (y + height <= this.bottom()) return y;
    this.pdf.addPage();
    return PAGE_MARGIN;
  }
}

/** Renders the invoice; the emails' receipts attach the same bytes the PDF link serves. */
export function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  return renderDocumentPdf(invoiceText(doc), doc.issuedAt);
}

/** Any billing document's PDF from its words and numbers; `issuedAt` dates the file like the document. */
export function renderDocumentPdf(text: Text, issuedAt: Date): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    info: {
      Title: pdfText(text.title),
      Author: pdfText(text.seller.name),
      Subject: pdfText(`${text.title} for ${text.buyer.name}`),
      // The document describes the invoice, so it is dated like it: rendering twice gives the same metadata.
      CreationDate: issuedAt,
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const page = new Layout(pdf);
  let y = header(page, text);
  y = parties(page, text, y);
  y = lines(page, text, y);
  y = totals(page, text, y);
  y = payment(page, text, y);
  y = verification(page, text, y);
  footer(page, text, y);
  pdf.end();
  return done;
}

/** Seller on the left, "INVOICE" and its status on the right. */
function header(page: Layout, text: Text): number {
  const { left, width } = page;
  page.pdf.rect(left, PAGE_MARGIN - 14, width, 4).fill(text.accentColor);
  let sellerY = page.write(text.seller.name, left, PAGE_MARGIN, {
    font: BOLD,
    size: 18,
    color: text.accentColor,
    width: width / 2,
  });
  for (const line of text.seller.details) {
    sellerY = page.write(line, left, sellerY + 2, { size: 9, color: MUTED, width: width / 2 });
  }
  let headingY = page.write(text.heading.toUpperCase(), left + width / 2, PAGE_MARGIN, {
    font: BOLD,
    size: 20,
    width: width / 2,
    align: 'right',
  });
  headingY = page.write(text.status.label.toUpperCase(), left + width / 2, headingY + 2, {
    font: BOLD,
    size: 11,
    color: text.tone === 'good' ? '#047857' : text.tone === 'pending' ? '#b45309' : MUTED,
    width: width / 2,
    align: 'right',
  });
  return Math.max(sellerY, headingY);
}

/** Bill to (left) and the invoice's facts (right). */
function parties(page: Layout, text: Text, below: number): number {
  const { left, right, width } = page;
  const partiesY = below + 24;
  let buyerY = page.write(text.buyerHeading.toUpperCase(), left, partiesY, {
    font: BOLD,
    size: 8,
    color: MUTED,
    characterSpacing: 0.5,
  });
  buyerY = page.write(text.buyer.name, left, buyerY + 3, { font: BOLD, size: 11, width: width / 2 - 10 });
  for (const line of text.buyer.details) {
    buyerY = page.write(line, left, buyerY + 1, { size: 10, width: width / 2 - 10 });
  }

  const labelX = left + width / 2 + 10;
  const labelWidth = 90;
  const valueX = labelX + labelWidth;
  const valueWidth = right - valueX;
  let factsY = partiesY;
  for (const [label, value] of text.facts) {
    const rowHeight = Math.max(page.heightOf(label, REGULAR, 9, labelWidth), page.heightOf(value, BOLD, 9, valueWidth));
    page.write(label, labelX, factsY, { size: 9, color: MUTED, width: labelWidth });
    page.write(value, valueX, factsY, { font: BOLD, size: 9, width: valueWidth, align: 'right' });
    factsY += rowHeight + 3;
  }
  return Math.max(buyerY, factsY);
}

/** The invoice lines, as a table whose header repeats on every page it runs onto. */
function lines(page: Layout, text: Text, below: number): number {
  const { left, right, width } = page;
  const columns: Column[] = [
    { x: left, width: width - 230, align: 'left' },
    { x: right - 225, width: 40, align: 'right' },
    { x: right - 180, width: 85, align: 'right' },
    { x: right - 90, width: 90, align: 'right' },
  ];
  const tableHeader = (y: number) => {
    ['DESCRIPTION', 'QTY', 'UNIT AMOUNT', 'AMOUNT'].forEach((heading, i) => {
      const column = columns[i]!;
      page.write(heading, column.x, y, { font: BOLD, size: 8, color: MUTED, width: column.width, align: column.align });
    });
    page.rule(y + 13, RULE, 1.5);
    return y + 20;
  };
  let y = tableHeader(below + 28);
  for (const line of text.lines) {
    const cells = [line.description, line.quantity, line.unitAmount, line.amount];
    const rowHeight = Math.max(...cells.map((cell, i) => page.heightOf(cell, REGULAR, 10, columns[i]!.width)));
    if (y + rowHeight + 8 > page.bottom()) {
      page.pdf.addPage();
      y = tableHeader(PAGE_MARGIN);
    }
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      page.write(cell, column.x, y, { size: 10, width: column.width, align: column.align });
    });
    y += rowHeight + 6;
    page.rule(y - 3);
  }
  return y;
}

/** Totals, right-aligned under the amounts; the last one stressed. */
function totals(page: Layout, text: Text, below: number): number {
  const { right } = page;
  let y = page.room(below, text.totals.length * 20 + 10) + 6;
  text.totals.forEach(([label, value], i) => {
    const last = i === text.totals.length - 1;
    if (last) {
      y += 4;
      page.pdf
        .moveTo(right - 230, y - 4)
        .lineTo(right, y - 4)
        .lineWidth(1.5)
        .strokeColor(INK)
        .stroke();
    }
    const size = last ? 12 : 10;
    page.write(label, right - 230, y, {
      font: last ? BOLD : REGULAR,
      size,
      color: last ? INK : MUTED,
      width: 135,
      align: 'right',
    });
    page.write(value, right - 90, y, { font: last ? BOLD : REGULAR, size, width: 90, align: 'right' });
    y += size + 8;
  });
  return y;
}

/** What was paid, when something was. */
function payment(page: Layout, text: Text, below: number): number {
  if (!text.payment || text.payment.length === 0) return below;
  const { left, width } = page;
  const blockHeight = 22 + text.payment.length * 14;
  const y = page.room(below + 16, blockHeight);
  page.pdf.rect(left, y, width, blockHeight).fill('#f0fdf4');
  page.pdf.rect(left, y, 3, blockHeight).fill('#10b981');
  let paymentY = page.write(text.paymentHeading.toUpperCase(), left + 14, y + 8, {
    font: BOLD,
    size: 8,
    color: '#047857',
  });
  for (const [label, value] of text.payment) {
    page.write(label, left + 14, paymentY + 3, { size: 10, color: MUTED, width: 120 });
    paymentY = page.write(value, left + 140, paymentY + 3, { font: BOLD, size: 10, width: width - 154 });
  }
  return y + blockHeight;
}

/** Points per QR module: 37 modules with the quiet zone make a code about 4 cm wide, easy for a phone to read. */
const QR_MODULE = 3;

/** The eTIMS QR code, drawn module by module, with what it is for in words beside it. */
function verification(page: Layout, text: Text, below: number): number {
  if (!text.verification) return below;
  const { qr, caption, url } = text.verification;
  const side = (qr.size + 2 * QR_QUIET_ZONE) * QR_MODULE;
  const y = page.room(below + 16, side);
  const origin = { x: page.left, y };
  page.pdf.rect(origin.x, origin.y, side, side).fill('#ffffff');
  for (const [x, row, length] of qr.runs) {
    page.pdf.rect(
      origin.x + (x + QR_QUIET_ZONE) * QR_MODULE,
      origin.y + (row + QR_QUIET_ZONE) * QR_MODULE,
      length * QR_MODULE,
      QR_MODULE,
    );
  }
  page.pdf.fill('#000000');
  const textX = page.left + side + 12;
  const captionEnd = page.write(caption, textX, y + side / 2 - 14, { font: BOLD, size: 9, width: page.right - textX });
  page.write(url, textX, captionEnd + 2, { size: 8, color: MUTED, width: page.right - textX });
  return y + side;
}

/** Under the content (not pinned to the page bottom, which could overlap a long table). */
function footer(page: Layout, text: Text, below: number): void {
  const footerHeight = text.footer.reduce((sum, line) => sum + page.heightOf(line, REGULAR, 8, page.width) + 2, 8);
  let y = page.room(below + 30, footerHeight);
  page.rule(y);
  y += 8;
  for (const line of text.footer) y = page.write(line, page.left, y, { size: 8, color: MUTED, width: page.width }) + 2;
}
