// Reads a JSON request body on a plain Node request, for the GraphQL route (which runs without Express). Only what
// GraphQL clients send is accepted: UTF-8 JSON, uncompressed, up to a size limit.
import type { IncomingMessage } from 'node:http';

export type JsonBody = { ok: true; body: unknown } | { ok: false; refusal: BodyRefusal };

export interface BodyRefusal {
  status: 400 | 413 | 415;
  code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';
  message: string;
  /**
   * The body was not read to its end: the connection must close after the answer, since reading an unwanted
   * body of any size just to keep the connection would hand a client a way to make the server read forever.
   */
  unread: boolean;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const [mediaType = '', ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();

  if (!JSON_MEDIA_TYPE.test(mediaType.trim().toLowerCase())) {
    return unsupported('send the request body as JSON with Content-Type: application/json');
  }
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return unsupported(`charset "${charset}" is not supported: send the JSON body as UTF-8`);
  }
  if (encoding !== 'identity') {
    return unsupported(`Content-Encoding "${encoding}" is not supported: send the JSON body uncompressed`);
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge(maxBytes);

  const text = await readText(req, maxBytes);
  if (text === null) return tooLarge(maxBytes);
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      refusal: {
        status: 400,
        code: 'BAD_REQUEST',
        message: `the request body is not valid JSON: ${(error as Error).message}`,
        unread: false,
      },
    };
  }
}

function unsupported(message: string): JsonBody {
  return { ok: false, refusal: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message, unread: true } };
}

function tooLarge(maxBytes: number): JsonBody {
  return {
    ok: false,
    refusal: {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: `the request body exceeds the maximum of ${maxBytes} bytes`,
      unread: true,
    },
  };
}

/**
 * The body as UTF-8 text, or null as soon as it grows past `maxBytes`: reading then stops (no `for await`, whose
 * early exit would destroy the socket before the 413 could be sent).
 */
function readText(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        stop();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, bytes).toString('utf8'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
