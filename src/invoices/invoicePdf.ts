// The invoice as an A4 PDF with selectable text, in the PDF standard fonts (Helvetica): nothing to embed or ship.
// Those fonts only have the WinAnsi character set, so every string goes through pdfText first.
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from './invoiceDocument.js';
import { invoiceText } from './invoiceText.js';

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

/** Renders the invoice; the emails' receipts attach the same bytes the PDF link serves. */
export function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const text = invoiceText(doc);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    info: {
      Title: pdfText(text.title),
      Author: pdfText(text.seller.name),
      Subject: pdfText(`${text.title} for ${text.buyer.name}`),
      // The document describes the invoice, so it is dated like it: rendering twice gives the same metadata.
      CreationDate: doc.issuedAt,
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = PAGE_MARGIN;
  const right = pdf.page.width - PAGE_MARGIN;
  const width = right - left;
  const bottom = () => pdf.page.height - PAGE_MARGIN;

  const write = (
    value: string,
    x: number,
    y: number,
    options: PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string } = {},
  ) => {
    const { font = REGULAR, size = 10, color = INK, ...textOptions } = options;
    pdf.font(font).fontSize(size).fillColor(color).text(pdfText(value), x, y, textOptions);
    return pdf.y;
  };
  const heightOf = (value: string, font: string, size: number, columnWidth: number) =>
    pdf.font(font).fontSize(size).heightOfString(pdfText(value), { width: columnWidth });
  const rule = (y: number, color = RULE, lineWidth = 1) => {
    pdf.moveTo(left, y).lineTo(right, y).lineWidth(lineWidth).strokeColor(color).stroke();
  };

  // Header: seller on the left, "INVOICE" and its status on the right.
  pdf.rect(left, PAGE_MARGIN - 14, width, 4).fill(text.accentColor);
  let sellerY = write(text.seller.name, left, PAGE_MARGIN, {
    font: BOLD,
    size: 18,
    color: text.accentColor,
    width: width / 2,
  });
  for (const line of text.seller.details) {
    sellerY = write(line, left, sellerY + 2, { size: 9, color: MUTED, width: width / 2 });
  }
  let headingY = write('INVOICE', left + width / 2, PAGE_MARGIN, {
    font: BOLD,
    size: 20,
    width: width / 2,
    align: 'right',
  });
  headingY = write(text.status.label.toUpperCase(), left + width / 2, headingY + 2, {
    font: BOLD,
    size: 11,
    color: doc.status === 'PAID' ? '#047857' : doc.status === 'OPEN' ? '#b45309' : MUTED,
    width: width / 2,
    align: 'right',
  });

  // Bill to (left) and the invoice's facts (right).
  const partiesY = Math.max(sellerY, headingY) + 24;
  let buyerY = write('BILL TO', left, partiesY, { font: BOLD, size: 8, color: MUTED, characterSpacing: 0.5 });
  buyerY = write(text.buyer.name, left, buyerY + 3, { font: BOLD, size: 11, width: width / 2 - 10 });
  for (const line of text.buyer.details) buyerY = write(line, left, buyerY + 1, { size: 10, width: width / 2 - 10 });

  const labelX = left + width / 2 + 10;
  const labelWidth = 90;
  const valueX = labelX + labelWidth;
  const valueWidth = right - valueX;
  let factsY = partiesY;
  for (const [label, value] of text.facts) {
    const rowHeight = Math.max(heightOf(label, REGULAR, 9, labelWidth), heightOf(value, BOLD, 9, valueWidth));
    write(label, labelX, factsY, { size: 9, color: MUTED, width: labelWidth });
    write(value, valueX, factsY, { font: BOLD, size: 9, width: valueWidth, align: 'right' });
    factsY += rowHeight + 3;
  }

  // Lines.
  const columns: Column[] = [
    { x: left, width: width - 230, align: 'left' },
    { x: right - 225, width: 40, align: 'right' },
    { x: right - 180, width: 85, align: 'right' },
    { x: right - 90, width: 90, align: 'right' },
  ];
  const tableHeader = (y: number) => {
    ['DESCRIPTION', 'QTY', 'UNIT AMOUNT', 'AMOUNT'].forEach((heading, i) => {
      const column = columns[i]!;
      write(heading, column.x, y, { font: BOLD, size: 8, color: MUTED, width: column.width, align: column.align });
    });
    rule(y + 13, RULE, 1.5);
    return y + 20;
  };
  let y = tableHeader(Math.max(buyerY, factsY) + 28);
  for (const line of text.lines) {
    const cells = [line.description, line.quantity, line.unitAmount, line.amount];
    const rowHeight = Math.max(...cells.map((cell, i) => heightOf(cell, REGULAR, 10, columns[i]!.width)));
    if (y + rowHeight + 8 > bottom()) {
      pdf.addPage();
      y = tableHeader(PAGE_MARGIN);
    }
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      write(cell, column.x, y, { size: 10, width: column.width, align: column.align });
    });
    y += rowHeight + 6;
    rule(y - 3);
  }

  // Totals, right-aligned under the amounts; the last one stressed.
  const totalsHeight = text.totals.length * 20 + 10;
  if (y + totalsHeight > bottom()) {
    pdf.addPage();
    y = PAGE_MARGIN;
  }
  y += 6;
  text.totals.forEach(([label, value], i) => {
    const last = i === text.totals.length - 1;
    if (last) {
      y += 4;
      pdf
        .moveTo(right - 230, y - 4)
        .lineTo(right, y - 4)
        .lineWidth(1.5)
        .strokeColor(INK)
        .stroke();
    }
    const size = last ? 12 : 10;
    write(label, right - 230, y, {
      font: last ? BOLD : REGULAR,
      size,
      color: last ? INK : MUTED,
      width: 135,
      align: 'right',
    });
    write(value, right - 90, y, { font: last ? BOLD : REGULAR, size, width: 90, align: 'right' });
    y += size + 8;
  });

  if (text.payment && text.payment.length > 0) {
    const blockHeight = 22 + text.payment.length * 14;
    y += 16;
    if (y + blockHeight > bottom()) {
      pdf.addPage();
      y = PAGE_MARGIN;
    }
    pdf.rect(left, y, width, blockHeight).fill('#f0fdf4');
    pdf.rect(left, y, 3, blockHeight).fill('#10b981');
    let paymentY = write('PAYMENT RECEIVED', left + 14, y + 8, { font: BOLD, size: 8, color: '#047857' });
    for (const [label, value] of text.payment) {
      write(label, left + 14, paymentY + 3, { size: 10, color: MUTED, width: 120 });
      paymentY = write(value, left + 140, paymentY + 3, { font: BOLD, size: 10, width: width - 154 });
    }
    y += blockHeight;
  }

  // Footer under the content (not pinned to the page bottom, which could overlap a long table).
  y += 30;
  const footerHeight = text.footer.reduce((sum, line) => sum + heightOf(line, REGULAR, 8, width) + 2, 8);
  if (y + footerHeight > bottom()) {
    pdf.addPage();
    y = PAGE_MARGIN;
  }
  rule(y);
  y += 8;
  for (const line of text.footer) y = write(line, left, y, { size: 8, color: MUTED, width }) + 2;

  pdf.end();
  return done;
}
