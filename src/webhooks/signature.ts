// Billing-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, in the style of Stripe's. While a
// rotated secret's grace period runs, the header carries one v1 per valid secret, so a receiver holding either
// verifies. The timestamp is signed too, and receivers refuse old ones: a captured delivery cannot be replayed
// after the tolerance window.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'billing-signature';
/** What receivers should accept by default (docs/webhooks.md). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function signatureHeader(secrets: readonly string[], timestamp: number, rawBody: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmac(secret, timestamp, rawBody)}`)].join(',');
}

export type Verification = { ok: true } | { ok: false; reason: string };

/** The receiver's side, as docs/webhooks.md shows it: what our tests verify deliveries with. */
export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Verification {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((part) => part.split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'no timestamp' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp outside tolerance' };
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  const matches = parts
    .filter(([key]) => key === 'v1')
    .some(([, value]) => {
      const given = Buffer.from(value ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return matches ? { ok: true } : { ok: false, reason: 'no signature matches' };
}
