// A client app's webhook endpoint for tests: a real HTTP server that keeps every delivery (headers and the raw
// body, as a receiver must verify them) and answers as the test scripts it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
  event: {
    id: string;
    type: string;
    subscriptionId: string | null;
    customerId: string;
    data: { object: Record<string, unknown> };
  };
  at: number;
}

export type Responder = (received: Received) => { status: number; delayMs?: number; body?: string };

export class WebhookReceiver {
  readonly received: Received[] = [];
  private respond: Responder = () => ({ status: 200, body: 'ok' });
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const received: Received = { headers: request.headers, rawBody, event: JSON.parse(rawBody), at: Date.now() };
        this.received.push(received);
        const answer = this.respond(received);
        const send = () => response.writeHead(answer.status).end(answer.body ?? '');
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
  }

  async listen(path = '/hooks'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}${path}`;
    return this;
  }

  answer(responder: Responder): void {
    this.respond = responder;
  }

  /** Deliveries of events about one customer (tests share the database, and the endpoint is the app's). */
  of(customerId: string): Received[] {
    return this.received.filter((entry) => entry.event.customerId === customerId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
