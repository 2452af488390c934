// Why a request body is refused, shared by every route that reads one (GraphQL, provider deliveries): the status,
// a code, and a message naming what to send instead.
import type { IncomingMessage } from 'node:http';

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

/** Refuses what is not UTF-8 JSON, uncompressed, from the headers alone. */
export function jsonFormatRefusal(req: IncomingMessage, unread: boolean): BodyRefusal | null {
  const [mediaType = '', ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();

  if (!JSON_MEDIA_TYPE.test(mediaType.trim().toLowerCase())) {
    return unsupported('send the request body as JSON with Content-Type: application/json', unread);
  }
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return unsupported(`charset "${charset}" is not supported: send the JSON body as UTF-8`, unread);
  }
  if (encoding !== 'identity') {
    return unsupported(`Content-Encoding "${encoding}" is not supported: send the JSON body uncompressed`, unread);
  }
  return null;
}

function unsupported(message: string, unread: boolean): BodyRefusal {
  return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message, unread };
}

export function tooLarge(maxBytes: number): BodyRefusal {
  return {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: `the request body exceeds the maximum of ${maxBytes} bytes`,
    unread: true,
  };
}

export function badBody(message: string): BodyRefusal {
  return { status: 400, code: 'BAD_REQUEST', message, unread: false };
}

/** Invalid UTF-8 would otherwise be decoded into replacement characters without a word. */
export const NOT_UTF8 = 'the request body is not valid UTF-8: send the JSON body as UTF-8';
export const EMPTY = 'the request body is empty: send a JSON object';
