// Reads a payment provider's delivery (an M-Pesa callback, a PayPal webhook). Every delivery is stored, refused ones
// too (docs/architecture.md, "Callbacks and webhooks only wake the workflow"), so the body is read even when it is
// going to be refused: up to the size limit, the rest left unread.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { readBodyBytes } from './bodyBytes.js';
import { badBody, EMPTY, jsonFormatRefusal, NOT_UTF8, tooLarge, type BodyRefusal } from './bodyRefusal.js';

/** Providers send a few kilobytes; this leaves ample room and bounds what one delivery can make us store. */
export const MAX_DELIVERY_BYTES = 256 * 1024;

const NUL_BYTE = 'the request body contains a NUL byte: send the JSON body as UTF-8 text';

export type DeliveryBody =
  | { ok: true; text: string }
  | {
      ok: false;
      refusal: BodyRefusal;
      /** What webhook_events.raw_body keeps: the text read, or its base64 when it is not text Postgres can hold. */
      stored: string;
      /** The refusal with how the body was stored, for webhook_events.reason. */
      reason: string;
    };

export async function readDeliveryBody(req: IncomingMessage): Promise<DeliveryBody> {
  const read = await readBodyBytes(req, MAX_DELIVERY_BYTES);
  const text = read.complete ? textOf(read.bytes) : truncatedTextOf(read.bytes);
  let refusal = read.complete ? jsonFormatRefusal(req, false) : tooLarge(MAX_DELIVERY_BYTES);
  if (!refusal && read.bytes.length === 0) refusal = badBody(`${EMPTY}: the provider's event`);
  if (!refusal && text === null) refusal = badBody(read.bytes.includes(0) ? NUL_BYTE : NOT_UTF8);
  if (!refusal) return { ok: true, text: text! };

  const declared = req.headers['content-length'];
  const storedBytes = text === null ? read.bytes.length : Buffer.byteLength(text);
  const notes = [
    read.complete ? null : `only its first ${storedBytes} bytes${declared ? ` of ${declared}` : ''} stored`,
    text === null ? 'stored base64, not being UTF-8 text' : null,
  ].filter((note) => note !== null);
  return {
    ok: false,
    refusal,
    stored: text ?? read.bytes.toString('base64'),
    reason: notes.length > 0 ? `${refusal.message} (${notes.join('; ')})` : refusal.message,
  };
}

/** The bytes as text a Postgres `text` column holds (UTF-8 without NUL), or null. */
function textOf(bytes: Buffer): string | null {
  return isUtf8(bytes) && !bytes.includes(0) ? bytes.toString('utf8') : null;
}

/** A body cut at the size limit may end inside a character: up to three trailing bytes are dropped to find text. */
function truncatedTextOf(bytes: Buffer): string | null {
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    const text = textOf(bytes.subarray(0, bytes.length - cut));
    if (text !== null) return text;
  }
  return null;
}
