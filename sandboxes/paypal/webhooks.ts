// Webhook delivery the way PayPal does it: at least once, signed, retried on failure, optionally duplicated and
// delivered out of order.
//
// Signature (PayPal "verify webhook signatures"): the message is
//   `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(rawBody)}`
// with the CRC32 as an unsigned decimal over the raw body bytes, signed SHA256withRSA, base64 in
// PAYPAL-TRANSMISSION-SIG; PAYPAL-CERT-URL points at the certificate whose public key verifies it.
import { createSign, createVerify, type KeyObject, type X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { transmissionId as newTransmissionId } from './ids.js';
import type { Link } from './errors.js';

export interface WebhookEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version: string;
  event_type: string;
  summary: string;
  resource: unknown;
  links: Link[];
}

export const AUTH_ALGO = 'SHA256withRSA';

export function signedMessage(transmissionId: string, transmissionTime: string, webhookId: string, body: Buffer) {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body) >>> 0}`;
}

export function signMessage(message: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(message).sign(key, 'base64');
}

export function verifyMessage(message: string, signature: string, certificate: X509Certificate): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(certificate.publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** PAYPAL-TRANSMISSION-TIME: ISO 8601 to the second, `2016-02-18T20:01:35Z`. */
export const transmissionTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface DeliveryAttempt {
  at: string;
  transmissionId: string;
  status: number | null;
  error?: string;
}

export interface DeliveryRecord {
  eventId: string;
  eventType: string;
  /** 1 for the first copy, 2 for the duplicate when duplicateWebhooks is on. */
  copy: number;
  attempts: DeliveryAttempt[];
  state: 'queued' | 'delivered' | 'abandoned' | 'not-configured';
}

interface Pending {
  seq: number;
  body: Buffer;
  record: DeliveryRecord;
  dueAt: number;
}

export interface DispatcherOptions {
  url?: string;
  webhookId: string;
  certUrl: () => string;
  privateKey: KeyObject;
  delayMs: number;
  duplicate: boolean;
  reorder: boolean;
  maxAttempts: number;
  now: () => Date;
}

export class WebhookDispatcher {
  private queue: Pending[] = [];
  private records: DeliveryRecord[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues `event`: delivered webhookDelayMs from now (twice if duplicateWebhooks). */
  enqueue(event: WebhookEvent): void {
    const body = Buffer.from(JSON.stringify(event));
    const copies = this.options.duplicate ? 2 : 1;
    for (let copy = 1; copy <= copies; copy += 1) {
      const record: DeliveryRecord = {
        eventId: event.id,
        eventType: event.event_type,
        copy,
        attempts: [],
        state: this.options.url ? 'queued' : 'not-configured',
      };
      this.records.push(record);
      if (!this.options.url) continue;
      this.queue.push({ seq: (this.seq += 1), body, record, dueAt: Date.now() + this.options.delayMs });
    }
    this.schedule();
  }

  /** Delivers everything queued now (first attempts and waiting retries), and waits for it. */
  flushAll(): Promise<void> {
    return this.run(true);
  }

  log(): DeliveryRecord[] {
    return this.records.map((record) => ({ ...record, attempts: record.attempts.map((a) => ({ ...a })) }));
  }

  reset(): void {
    this.queue = [];
    this.records = [];
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.chain;
  }

  private schedule(): void {
    if (this.closed || this.queue.length === 0) return;
    const next = Math.min(...this.queue.map((pending) => pending.dueAt));
    if (this.timer && this.timerDue <= next) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Infinity;
        void this.run(false);
      },
      Math.max(0, next - Date.now()),
    );
  }

  private run(all: boolean): Promise<void> {
    this.chain = this.chain.then(() => this.flush(all)).catch(() => undefined);
    return this.chain;
  }

  private async flush(all: boolean): Promise<void> {
    const now = Date.now();
    // With reordering on, every first attempt queued so far joins the batch, which then goes out newest first:
    // events raised within one webhookDelayMs window overtake each other.
    const batch = this.queue.filter(
      (pending) => all || pending.dueAt <= now || (this.options.reorder && pending.record.attempts.length === 0),
    );
    this.queue = this.queue.filter((pending) => !batch.includes(pending));
    batch.sort((a, b) => a.seq - b.seq);
    if (this.options.reorder) batch.reverse();
    for (const pending of batch) {
      if (this.closed) return;
      const delivered = await this.attempt(pending);
      if (delivered) {
        pending.record.state = 'delivered';
      } else if (pending.record.attempts.length >= this.options.maxAttempts) {
        pending.record.state = 'abandoned';
      } else {
        // Exponential back-off from webhookDelayMs (at least 50 ms), capped at 10 s.
        const backoff = Math.min(
          10_000,
          Math.max(50, this.options.delayMs) * 2 ** (pending.record.attempts.length - 1),
        );
        pending.dueAt = Date.now() + backoff;
        this.queue.push(pending);
      }
    }
    this.schedule();
  }

  private async attempt(pending: Pending): Promise<boolean> {
    const { url, webhookId, privateKey } = this.options;
    const id = newTransmissionId();
    const time = transmissionTime(this.options.now());
    const signature = signMessage(signedMessage(id, time, webhookId, pending.body), privateKey);
    const attempt: DeliveryAttempt = { at: new Date().toISOString(), transmissionId: id, status: null };
    pending.record.attempts.push(attempt);
    try {
      const response = await fetch(url!, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'PayPal/AUHD-214.0-58843509',
          'PAYPAL-TRANSMISSION-ID': id,
          'PAYPAL-TRANSMISSION-TIME': time,
          'PAYPAL-TRANSMISSION-SIG': signature,
          'PAYPAL-CERT-URL': this.options.certUrl(),
          'PAYPAL-AUTH-ALGO': AUTH_ALGO,
        },
        body: pending.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
      });
      attempt.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      return response.status >= 200 && response.status < 300;
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
