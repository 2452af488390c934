// PayPal webhook signatures, checked locally: the signed message is
// `transmissionId|transmissionTime|webhookId|crc32(rawBody)` (CRC32 as an unsigned decimal over the raw bytes),
// signed SHA256withRSA by the certificate at PAYPAL-CERT-URL. That URL arrives in the request, so it is only
// fetched when it starts with an allowed prefix (PayPal's own hosts), and each certificate is fetched once.
import { createVerify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { DEFAULT_TRANSMISSION_TOLERANCE_SECONDS } from './transmissionWindow.js';

export interface SignatureCheck {
  ok: boolean;
  reason?: string;
}

export interface WebhookSignatureVerifier {
  verify(headers: Record<string, string>, rawBody: string): Promise<SignatureCheck>;
  /** How old a signed transmission may be when its id is new to us (see transmissionWindow.ts). */
  readonly transmissionToleranceSeconds: number;
}

/**
 * The other way PayPal documents: ask its verify-webhook-signature endpoint. A PayPal outage throws, which answers
 * the delivery 500 so PayPal sends it again later (the raw body is kept either way).
 */
export class PaypalApiWebhookVerifier implements WebhookSignatureVerifier {
  constructor(
    private readonly paypal: {
      verifyWebhookSignature(
        headers: Record<string, string>,
        webhookId: string,
        event: unknown,
      ): Promise<SignatureCheck>;
    },
    private readonly webhookId: string,
    readonly transmissionToleranceSeconds = DEFAULT_TRANSMISSION_TOLERANCE_SECONDS,
  ) {}

  async verify(headers: Record<string, string>, rawBody: string): Promise<SignatureCheck> {
    let event: unknown;
    try {
      event = JSON.parse(rawBody);
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    return this.paypal.verifyWebhookSignature(headers, this.webhookId, event);
  }
}

export class PaypalWebhookVerifier implements WebhookSignatureVerifier {
  private readonly certificates = new Map<string, Promise<X509Certificate>>();

  constructor(
    private readonly webhookId: string,
    private readonly allowedCertUrlPrefixes: readonly string[],
    readonly transmissionToleranceSeconds = DEFAULT_TRANSMISSION_TOLERANCE_SECONDS,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async verify(headers: Record<string, string>, rawBody: string): Promise<SignatureCheck> {
    const transmissionId = headers['paypal-transmission-id'];
    const transmissionTime = headers['paypal-transmission-time'];
    const signature = headers['paypal-transmission-sig'];
    const certUrl = headers['paypal-cert-url'];
    const algorithm = headers['paypal-auth-algo'];
    if (!transmissionId || !transmissionTime || !signature || !certUrl)
      return { ok: false, reason: 'signature headers missing' };
    if (algorithm && algorithm !== 'SHA256withRSA') return { ok: false, reason: `unsupported algorithm ${algorithm}` };
    if (!this.allowedCertUrlPrefixes.some((prefix) => certUrl.startsWith(prefix))) {
      return { ok: false, reason: 'certificate URL is not an allowed PayPal URL' };
    }
    let certificate: X509Certificate;
    try {
      certificate = await this.certificate(certUrl);
    } catch {
      return { ok: false, reason: 'certificate could not be fetched' };
    }
    const message = `${transmissionId}|${transmissionTime}|${this.webhookId}|${crc32(Buffer.from(rawBody, 'utf8')) >>> 0}`;
    const valid = createVerify('RSA-SHA256').update(message).verify(certificate.publicKey, signature, 'base64');
    return valid ? { ok: true } : { ok: false, reason: 'signature does not match' };
  }

  private certificate(url: string): Promise<X509Certificate> {
    let pending = this.certificates.get(url);
    if (!pending) {
      pending = this.fetchImpl(url, { signal: AbortSignal.timeout(5000) }).then(async (response) => {
        if (!response.ok) throw new Error(`certificate fetch answered ${response.status}`);
        return new X509Certificate(await response.text());
      });
      // A failed fetch is not remembered: the next delivery tries again.
      pending.catch(() => this.certificates.delete(url));
      this.certificates.set(url, pending);
    }
    return pending;
  }
}
