// Reads a JSON request body on a plain Node request, for the GraphQL route (which runs without Express). Only what
// GraphQL clients send is accepted: UTF-8 JSON, uncompressed, up to a size limit.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { readBodyBytes } from './bodyBytes.js';
import { badBody, EMPTY, jsonFormatRefusal, NOT_UTF8, tooLarge, type BodyRefusal } from './bodyRefusal.js';

export type JsonBody = { ok: true; body: unknown } | { ok: false; refusal: BodyRefusal };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const refused = (refusal: BodyRefusal): JsonBody => ({ ok: false, refusal });
  const wrongFormat = jsonFormatRefusal(req, true);
  if (wrongFormat) return refused(wrongFormat);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return refused(tooLarge(maxBytes));

  const read = await readBodyBytes(req, maxBytes);
  if (!read.complete) return refused(tooLarge(maxBytes));
  if (read.bytes.length === 0) return refused(badBody(`${EMPTY} such as {"query": "{ __typename }"}`));
  if (!isUtf8(read.bytes)) return refused(badBody(NOT_UTF8));
  try {
    return { ok: true, body: JSON.parse(read.bytes.toString('utf8')) as unknown };
  } catch (error) {
    return refused(badBody(`the request body is not valid JSON: ${(error as Error).message}`));
  }
}
