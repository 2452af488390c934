// Reads a request body on a plain Node request, up to a size limit.
import type { IncomingMessage } from 'node:http';

export interface BodyBytes {
  /** The body, or its first `maxBytes` bytes when it is longer. */
  bytes: Buffer;
  /** Whether the whole body was read; when not, the rest was left unread (the connection must close). */
  complete: boolean;
}

/**
 * Reading stops as soon as the body grows past `maxBytes`, keeping what fits: no `for await`, whose early exit
 * would destroy the socket before the 413 could be sent.
 */
export function readBodyBytes(req: IncomingMessage, maxBytes: number): Promise<BodyBytes> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      if (bytes + chunk.length > maxBytes) {
        stop();
        req.pause();
        chunks.push(chunk.subarray(0, maxBytes - bytes));
        resolve({ bytes: Buffer.concat(chunks, maxBytes), complete: false });
        return;
      }
      bytes += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes), complete: true });
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
