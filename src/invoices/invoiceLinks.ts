// Signed, expiring links to an invoice's page and PDF, so a customer can open them from an email or an app without
// logging in. A link grants read access to one invoice until it expires; it cannot be revoked short of rotating
// JWT_SECRET (which also ends every session), so lifetimes stay short.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const INVOICE_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** What signing and addressing links needs; built once from configuration (see invoiceLinkSettings). */
export interface InvoiceLinkSettings {
  secret: Uint8Array;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
}

export interface InvoiceLinks {
  htmlUrl: string;
  pdfUrl: string;
  expiresAt: Date;
}

export type InvoiceLinkCheck =
  | { valid: true; expiresAt: Date }
  | { valid: false; reason: 'malformed' | 'bad-signature' | 'other-invoice' | 'expired' };

/**
 * A key of its own, derived from JWT_SECRET so no new setting is needed: HKDF with a label keeps a link signature
 * from ever being usable as (or computed from) an access token signature, and the reverse.
 */
export function invoiceLinkSecret(jwtSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', jwtSecret, '', 'invoice-links', 32));
}

export function invoiceLinkSettings(config: {
  auth: { jwtSecret: string };
  payments: { publicUrl: string };
}): InvoiceLinkSettings {
  return { secret: invoiceLinkSecret(config.auth.jwtSecret), publicUrl: config.payments.publicUrl.replace(/\/+$/, '') };
}

interface Payload {
  inv: string;
  /** Expiry in Unix seconds. */
  exp: number;
}

function sign(encodedPayload: string, secret: Uint8Array | string): string {
  return createHmac('sha256', secret).update(encodedPayload).digest('base64url');
}

/** base64url(JSON payload) + '.' + base64url(HMAC-SHA256 of the first part). */
export function invoiceLinkToken(invoiceId: string, expiresAt: Date, secret: Uint8Array | string): string {
  // Rounded down: a link never outlives what was asked for.
  const payload: Payload = { inv: invoiceId, exp: Math.floor(expiresAt.getTime() / 1000) };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${sign(encoded, secret)}`;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;

function parsePayload(encoded: string): Payload | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { inv, exp } = value as Record<string, unknown>;
    if (typeof inv !== 'string' || typeof exp !== 'number' || !Number.isSafeInteger(exp)) return null;
    return { inv, exp };
  } catch {
    return null;
  }
}

/**
 * Accepts a token only if it is ours, for this invoice, and not yet expired at `now`. The reason is for logs and
 * tests; callers must not tell the visitor which one it was.
 */
export function verifyInvoiceLinkToken(
  token: string,
  invoiceId: string,
  now: Date,
  secret: Uint8Array | string,
): InvoiceLinkCheck {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return { valid: false, reason: 'malformed' };
  const [encoded, signature] = token.split('.') as [string, string];
  // The encoded forms are compared, not the decoded bytes: base64url has several spellings of the same last byte,
  // and a changed character must never still verify.
  const expected = Buffer.from(sign(encoded, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'bad-signature' };
  }
  const payload = parsePayload(encoded);
  if (!payload) return { valid: false, reason: 'malformed' };
  if (payload.inv !== invoiceId) return { valid: false, reason: 'other-invoice' };
  const expiresAt = new Date(payload.exp * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, expiresAt };
}

/** The page and PDF addresses of an invoice, both carrying one token valid for `lifetimeMs` from `now`. */
export function invoiceLinks(
  settings: InvoiceLinkSettings,
  invoiceId: string,
  now: Date = new Date(),
  lifetimeMs: number = INVOICE_LINK_LIFETIME_MS,
): InvoiceLinks {
  return documentLinks(settings, 'invoice', invoiceId, now, lifetimeMs);
}

/** The billing documents served behind signed links: where each lives, and what its token names. */
export const DOCUMENT_KINDS = {
  invoice: { path: 'invoices', subject: (id: string) => id },
  // Prefixed, so a token for one kind of document can never open another with the same id.
  creditNote: { path: 'credit-notes', subject: (id: string) => `credit-note:${id}` },
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export function documentLinks(
  settings: InvoiceLinkSettings,
  kind: DocumentKind,
  id: string,
  now: Date = new Date(),
  lifetimeMs: number = INVOICE_LINK_LIFETIME_MS,
): InvoiceLinks {
  // Whole seconds, as the token carries it.
  const expiresAt = new Date(Math.floor((now.getTime() + lifetimeMs) / 1000) * 1000);
  const { path, subject } = DOCUMENT_KINDS[kind];
  const token = invoiceLinkToken(subject(id), expiresAt, settings.secret);
  const base = `${settings.publicUrl}/${path}/${encodeURIComponent(id)}`;
  return { htmlUrl: `${base}?token=${token}`, pdfUrl: `${base}.pdf?token=${token}`, expiresAt };
}
