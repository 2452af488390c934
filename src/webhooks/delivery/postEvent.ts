// One HTTP attempt: POST the event's body, signed, to the endpoint. Never throws: every way it can go (an answer, a
// timeout, a refused connection, an address the SSRF guard refuses) becomes an outcome to record.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, type AddressPolicy } from '../endpointAddress.js';
import { SIGNATURE_HEADER, signatureHeader } from '../signature.js';

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface Post {
  url: string;
  eventId: string;
  eventType: string;
  body: string;
  secrets: readonly string[];
}

const EXCERPT_BYTES = 500;

export function postEvent(post: Post, options: { timeoutMs: number; policy: AddressPolicy }): Promise<AttemptOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const url = new URL(post.url);
  const client = url.protocol === 'https:' ? https : http;
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const done = (outcome: Omit<AttemptOutcome, 'latencyMs'>) => resolve({ ...outcome, latencyMs: latency() });
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(options.policy),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(post.body),
          'user-agent': 'karibu-billing-webhooks/1',
          'billing-event-id': post.eventId,
          'billing-event-type': post.eventType,
          [SIGNATURE_HEADER]: signatureHeader(post.secrets, timestamp, post.body),
        },
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          done({
            ok: status >= 200 && status < 300,
            statusCode: status,
            responseExcerpt: excerpt || null,
            error: status >= 200 && status < 300 ? null : `answered ${status}`,
          });
        });
        response.on('error', (error) =>
          done({ ok: false, statusCode: null, responseExcerpt: null, error: error.message }),
        );
      },
    );
    // The whole attempt, not just idle time, is bounded: a receiver trickling bytes cannot hold a slot forever.
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) =>
      done({ ok: false, statusCode: null, responseExcerpt: null, error: error.message.slice(0, 500) }),
    );
    request.on('close', () => clearTimeout(deadline));
    request.end(post.body);
  });
}
