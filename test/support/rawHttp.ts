// A raw HTTP request, so a test controls the method, headers and body bytes exactly (fetch would refuse a body on
// GET and set its own headers), and sees whether the server closes the connection: each request has a connection of
// its own that asks to be kept alive.
import { Agent, request as httpRequest } from 'node:http';

export interface RawAnswer {
  status: number;
  connection: string | undefined;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string | null;
    /** false: the request is left unfinished, as from a client still sending. */
    end?: boolean;
  },
): Promise<RawAnswer> {
  const agent = new Agent({ keepAlive: true });
  return new Promise<RawAnswer>((resolve, reject) => {
    let answered = false;
    const request = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            text,
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    // A server that answers early and closes makes the rest of a large body fail to send: that is the point.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.body !== undefined && options.body !== null) request.write(options.body);
    if (options.end === false) request.flushHeaders();
    else request.end();
  }).finally(() => agent.destroy());
}
