// The signed invoice links on their own (no database): what a token accepts and what it refuses.
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  INVOICE_LINK_LIFETIME_MS,
  invoiceLinks,
  invoiceLinkSecret,
  invoiceLinkSettings,
  invoiceLinkToken,
  verifyInvoiceLinkToken,
} from '../../../src/invoices/invoiceLinks.js';

const secret = invoiceLinkSecret('a JWT secret of at least thirty-two characters');
const invoiceId = randomUUID();
const now = new Date('2031-01-01T12:00:00Z');
const inAnHour = new Date(now.getTime() + 3_600_000);

describe('invoice link tokens', () => {
  it('accepts its own token for its invoice until it expires', () => {
    const token = invoiceLinkToken(invoiceId, inAnHour, secret);
    expect(verifyInvoiceLinkToken(token, invoiceId, now, secret)).toEqual({ valid: true, expiresAt: inAnHour });
    expect(verifyInvoiceLinkToken(token, invoiceId, new Date(inAnHour.getTime() - 1), secret).valid).toBe(true);
  });

  it('refuses it from the moment it expires', () => {
    const token = invoiceLinkToken(invoiceId, inAnHour, secret);
    expect(verifyInvoiceLinkToken(token, invoiceId, inAnHour, secret)).toEqual({ valid: false, reason: 'expired' });
    expect(
      verifyInvoiceLinkToken(
        invoiceLinkToken(invoiceId, new Date(now.getTime() - 1000), secret),
        invoiceId,
        now,
        secret,
      ),
    ).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('refuses a token for another invoice', () => {
    const token = invoiceLinkToken(randomUUID(), inAnHour, secret);
    expect(verifyInvoiceLinkToken(token, invoiceId, now, secret)).toEqual({ valid: false, reason: 'other-invoice' });
  });

  it('refuses every single-character change, in the payload or the signature', () => {
    const token = invoiceLinkToken(invoiceId, inAnHour, secret);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      // Every other character at this position, including the ones that decode to the same bytes in base64url.
      for (const replacement of alphabet) {
        if (replacement === token[i]) continue;
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(verifyInvoiceLinkToken(tampered, invoiceId, now, secret).valid).toBe(false);
      }
    }
  });

  it('refuses a forged payload, however well formed', () => {
    const token = invoiceLinkToken(invoiceId, inAnHour, secret);
    const signature = token.split('.')[1];
    const longer = Buffer.from(JSON.stringify({ inv: invoiceId, exp: 4_102_444_800 })).toString('base64url');
    expect(verifyInvoiceLinkToken(`${longer}.${signature}`, invoiceId, now, secret)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });

  it('refuses tokens signed with another secret', () => {
    const token = invoiceLinkToken(invoiceId, inAnHour, invoiceLinkSecret('another JWT secret, another deployment'));
    expect(verifyInvoiceLinkToken(token, invoiceId, now, secret)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['three parts', 'a.b.c'],
    ['padding', `${'a'.repeat(10)}.${'b'.repeat(42)}=`],
    ['not a string', 42 as unknown as string],
    ['far too long', `${'a'.repeat(5000)}.${'b'.repeat(43)}`],
  ])('refuses a malformed token (%s)', (_name, token) => {
    expect(verifyInvoiceLinkToken(token, invoiceId, now, secret)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('refuses a signed payload of the wrong shape', () => {
    // Signed with the right key (as if the format changed), but not an invoice link payload.
    const encoded = Buffer.from(JSON.stringify({ inv: invoiceId, exp: '2031' })).toString('base64url');
    const token = `${encoded}.${createHmac('sha256', secret).update(encoded).digest('base64url')}`;
    expect(verifyInvoiceLinkToken(token, invoiceId, now, secret)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('derives a key of its own from the JWT secret: stable, and not the JWT secret itself', () => {
    const jwtSecret = 'a JWT secret of at least thirty-two characters';
    expect(Buffer.from(invoiceLinkSecret(jwtSecret))).toEqual(Buffer.from(secret));
    expect(secret).toHaveLength(32);
    const withRawSecret = invoiceLinkToken(invoiceId, inAnHour, jwtSecret);
    expect(verifyInvoiceLinkToken(withRawSecret, invoiceId, now, secret).valid).toBe(false);
  });
});

describe('invoiceLinks', () => {
  const settings = invoiceLinkSettings({
    auth: { jwtSecret: 'a JWT secret of at least thirty-two characters' },
    payments: { publicUrl: 'https://billing.example.co.ke' },
  });

  it('addresses the page and the PDF on PUBLIC_URL with one token valid for 7 days', () => {
    const links = invoiceLinks(settings, invoiceId, now);
    const token = new URL(links.htmlUrl).searchParams.get('token')!;
    expect(links.htmlUrl).toBe(`https://billing.example.co.ke/invoices/${invoiceId}?token=${token}`);
    expect(links.pdfUrl).toBe(`https://billing.example.co.ke/invoices/${invoiceId}.pdf?token=${token}`);
    expect(links.expiresAt).toEqual(new Date(now.getTime() + INVOICE_LINK_LIFETIME_MS));
    expect(verifyInvoiceLinkToken(token, invoiceId, now, settings.secret)).toEqual({
      valid: true,
      expiresAt: links.expiresAt,
    });
    const aWeekLater = new Date(now.getTime() + INVOICE_LINK_LIFETIME_MS);
    expect(verifyInvoiceLinkToken(token, invoiceId, aWeekLater, settings.secret).valid).toBe(false);
  });
});
