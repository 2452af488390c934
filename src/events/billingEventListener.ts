// The API side of the event bus: one connection per process LISTENs on the billing channel and hands each event to
// the in-process subscribers (graphql-ws operations) whose filter accepts it. Postgres delivers a NOTIFY only to
// sessions listening at that moment, so the connection is re-established (and LISTEN re-issued) whenever it drops,
// and every subscriber then gets a resync event: whatever changed in between must be read again.
import pg from 'pg';
import type { Logger } from '../logger.js';
import { BILLING_EVENTS_CHANNEL, parseBillingEvent, type BillingEvent, type LiveEvent } from './billingEvents.js';

/**
 * What resolvers need from the bus: a stream of the events a filter accepts, plus a resync after any outage of
 * the bus (which the filter does not see). `return()` unsubscribes.
 */
export interface BillingEventSource {
  subscribe(filter: (event: BillingEvent) => boolean): AsyncIterableIterator<LiveEvent>;
}

export interface BillingEventListenerOptions {
  connectionString: string;
  log?: Pick<Logger, 'warn' | 'info'>;
  /** Events held per subscriber that has not caught up; past this the oldest are dropped. */
  bufferSize?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often an otherwise silent connection is checked: a LISTEN-only session sends nothing, so a dead peer goes unnoticed without it. */
  heartbeatMs?: number;
  /** Shown in pg_stat_activity, so operators (and tests) can find the listening session. */
  applicationName?: string;
}

export const LISTENER_APPLICATION_NAME = 'billing-events-listener';

const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
const RESYNC: LiveEvent = { kind: 'resync' };

class Subscriber implements AsyncIterableIterator<LiveEvent> {
  private readonly queue: BillingEvent[] = [];
  private resyncPending = false;
  private readonly waiting: ((result: IteratorResult<LiveEvent>) => void)[] = [];
  private ended = false;
  dropped = 0;

  constructor(
    private readonly filter: (event: BillingEvent) => boolean,
    private readonly capacity: number,
    private readonly onEnd: (subscriber: Subscriber) => void,
  ) {}

  offer(event: BillingEvent): void {
    if (this.ended) return;
    let wanted = false;
    try {
      wanted = this.filter(event);
    } catch {
      // One subscriber's broken filter must not stop delivery to the others.
    }
    if (wanted) this.deliver(event);
  }

  /**
   * Events may have been missed: the consumer gets a resync after what is queued. One pending resync is as good as
   * several, since each makes the consumer read the current state.
   */
  resync(): void {
    if (this.ended) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter({ value: RESYNC, done: false });
    else this.resyncPending = true;
  }

  private deliver(event: BillingEvent): void {
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter({ value: event, done: false });
      return;
    }
    if (this.queue.length >= this.capacity) {
      // Dropping an event loses a change: a resync at the end of the queue makes up for it.
      this.queue.shift();
      this.dropped += 1;
      this.resyncPending = true;
    }
    this.queue.push(event);
  }

  next(): Promise<IteratorResult<LiveEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.resyncPending && !this.ended) {
      this.resyncPending = false;
      return Promise.resolve({ value: RESYNC, done: false });
    }
    if (this.ended) return Promise.resolve(done);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<LiveEvent>> {
    this.end();
    return Promise.resolve(done);
  }

  /** Ends the stream at once, also for a consumer parked in next() (an async generator could not be ended there). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    for (const waiter of this.waiting.splice(0)) waiter(done);
    this.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveEvent> {
    return this;
  }
}

export class BillingEventListener implements BillingEventSource {
  private readonly subscribers = new Set<Subscriber>();
  private readonly bufferSize: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly heartbeatMs: number;
  private client: pg.Client | null = null;
  private started: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private isListening = false;
  private outage = false;
  private closed = false;

  constructor(private readonly options: BillingEventListenerOptions) {
    this.bufferSize = options.bufferSize ?? 100;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.backoffMs = this.initialBackoffMs;
  }

  /** True while the LISTEN session is up. */
  get listening(): boolean {
    return this.isListening;
  }

  /**
   * Connects and LISTENs. Rejects if that first attempt fails, but retries in the background either way, so a
   * caller that must not block (the API at startup) can ignore the result.
   */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the billing event listener is closed'));
    return (this.started ??= this.connect());
  }

  subscribe(filter: (event: BillingEvent) => boolean): AsyncIterableIterator<LiveEvent> {
    const subscriber = new Subscriber(filter, this.bufferSize, (s) => this.subscribers.delete(s));
    if (this.closed) subscriber.end();
    else this.subscribers.add(subscriber);
    return subscriber;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopHeartbeat();
    for (const subscriber of [...this.subscribers]) subscriber.end();
    const client = this.client;
    this.client = null;
    this.isListening = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? LISTENER_APPLICATION_NAME,
      keepAlive: true,
    });
    let ready = false;
    // pg throws an 'error' with no handler out of the process; before `ready` the awaits below report it instead.
    client.on('error', (error) => {
      if (ready) this.lost(client, error);
    });
    client.on('end', () => {
      if (ready) this.lost(client);
    });
    client.on('notification', (message) => {
      if (message.channel === BILLING_EVENTS_CHANNEL) this.dispatch(message.payload);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(BILLING_EVENTS_CHANNEL)}`);
    } catch (error) {
      this.lost(client, error);
      throw error;
    }
    if (this.client !== client) {
      // close() ran while connecting.
      await client.end().catch(() => undefined);
      return;
    }
    ready = true;
    this.isListening = true;
    this.backoffMs = this.initialBackoffMs;
    this.startHeartbeat(client);
    if (this.outage) {
      this.outage = false;
      this.options.log?.info('billing events: listening again');
      for (const subscriber of this.subscribers) subscriber.resync();
    }
  }

  private dispatch(payload: string | undefined): void {
    const event = parseBillingEvent(payload);
    if (!event) return;
    for (const subscriber of this.subscribers) subscriber.offer(event);
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.isListening = false;
    this.stopHeartbeat();
    client.removeAllListeners('notification');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    if (!this.outage) {
      this.outage = true;
      // The error's code and message only: the connection string (and its password) stays out of the logs.
      this.options.log?.warn('billing events: lost the LISTEN connection, reconnecting', describe(error));
    }
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.connect().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }

  private startHeartbeat(client: pg.Client): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      const timeout = setTimeout(() => this.lost(client, new Error('heartbeat timed out')), this.heartbeatMs);
      timeout.unref();
      client.query('select 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          this.lost(client, error);
        },
      );
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {};
  const code = (error as { code?: unknown }).code;
  return { error: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
