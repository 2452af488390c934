// The live fan-out benchmark's subscribers: graphql-ws clients speaking the protocol (graphql-transport-ws) over
// plain `ws`, so that a message's arrival is timed the moment it is read, before anything parses it, and a thousand of
// them cost the load generator little. Each is one connection with one subscription, as a browser tab or an app's
// backend following a payment would have.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface Arrival {
  /** performance.now() when the message was read. */
  at: number;
  /** The marker the change wrote (see `markerOf`), or null for a message without one. */
  marker: string | null;
}

export interface SubscriberOptions {
  url: string;
  connectionParams: Record<string, string>;
  query: string;
  variables: Record<string, unknown>;
  /** Picks the change's marker out of a `next` message's raw text (cheap: runs as each message arrives). */
  markerOf: (raw: string) => string | null;
  /** Called on the first arrival of each marker at this subscriber. */
  onArrival: (subscriber: Subscriber, arrival: Arrival) => void;
}

export class Subscriber {
  /** When each marker first arrived. */
  readonly firstAt = new Map<string, number>();
  /** Messages received, and how many of them repeated a marker already received. */
  received = 0;
  repeats = 0;
  /** Errors, completions and closes the server sent, in words. */
  readonly problems: string[] = [];
  private socket: WebSocket | null = null;

  constructor(
    readonly index: number,
    /** Which API process (0-based) it is connected to. */
    readonly api: number,
    /** Which kind of caller it subscribes as. */
    readonly caller: string,
    private readonly options: SubscriberOptions,
  ) {}

  /** Connects, authenticates and subscribes; resolves once the subscribe message is sent. */
  open(timeoutMs = 20_000): Promise<void> {
    const { url, connectionParams, query, variables, markerOf, onArrival } = this.options;
    return new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws', { skipUTF8Validation: true });
      this.socket = socket;
      const timer = setTimeout(() => {
        reject(new Error(`subscriber ${this.index}: no connection_ack within ${timeoutMs} ms`));
        socket.terminate();
      }, timeoutMs);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
      socket.on('message', (data: WebSocket.RawData) => {
        const at = performance.now();
        const raw = data.toString();
        if (raw.includes('"type":"next"')) {
          const arrival = { at, marker: markerOf(raw) };
          this.received += 1;
          if (arrival.marker === null) return;
          if (this.firstAt.has(arrival.marker)) {
            this.repeats += 1;
            return;
          }
          this.firstAt.set(arrival.marker, at);
          onArrival(this, arrival);
          return;
        }
        const message = JSON.parse(raw) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack') {
          clearTimeout(timer);
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          resolve();
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        } else if (message.type === 'error' || message.type === 'complete') {
          this.problems.push(`${message.type}: ${JSON.stringify(message.payload ?? null).slice(0, 300)}`);
        }
      });
      socket.on('close', (code, reason) => {
        clearTimeout(timer);
        if (code !== 1000) this.problems.push(`closed ${code} ${reason.toString()}`);
        reject(new Error(`subscriber ${this.index}: closed (${code}) before connection_ack`));
      });
      socket.on('error', (error) => {
        this.problems.push(`socket error: ${error.message}`);
      });
    });
  }

  close(): void {
    this.socket?.close(1000);
  }
}

/** Opens subscribers `concurrency` at a time (a thousand handshakes at once would be a benchmark of their own). */
export async function openAll(subscribers: Subscriber[], concurrency = 50): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < subscribers.length) await subscribers[next++]!.open();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
