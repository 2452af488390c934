// The callers of API keys already looked up, kept in the API process until the event bus says the key or its app
// changed (Migration20261206200000_api_key_events): a revoked key is refused from the first request after its event
// arrives, and a warm request hashes nothing and asks the database nothing. As with the entitlement cache
// (src/billing/entitlementCache.ts), memory is trusted only while the bus is: while the listener is not listening,
// every key is looked up again, and the resync that follows its reconnection empties the cache.
//
// Entries are keyed by the key as sent, so a hit costs no hashing. The raw keys stay in this process's memory, as
// each does anyway while its request is handled; only digests are ever stored in the database.
import type { CacheEventSource } from '../billing/entitlementCache.js';
import type { LiveEvent } from '../events/billingEvents.js';
import type { Caller } from '../kernel/caller.js';

export type ApiClientCaller = Extract<Caller, { kind: 'apiClient' }>;

export class ApiKeyCache {
  /** In least-recently-used order: a Map iterates in insertion order, and a hit re-inserts its entry. */
  private readonly entries = new Map<string, ApiClientCaller>();
  /**
   * Bumped by every invalidation. A lookup notes it before it reads the key and stores its answer only if it has not
   * moved: the read may have seen the key as it was before the change the event announces.
   */
  private epoch = 0;

  constructor(
    readonly capacity: number,
    /** Whether events are flowing: while they are not, nothing is served from memory or stored. */
    private readonly live: () => boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** How many invalidations (key and app events, resyncs) have reached the cache: tests wait on it. */
  get invalidations(): number {
    return this.epoch;
  }

  /** The caller of a key seen before and unchanged since, or undefined (look it up). */
  get(key: string): ApiClientCaller | undefined {
    if (!this.live()) return undefined;
    const caller = this.entries.get(key);
    if (caller) {
      this.entries.delete(key);
      this.entries.set(key, caller);
    }
    return caller;
  }

  /** Whether a key's caller is held (without touching its recency): for tests and operators. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Call before reading a key from the database; pass the result to `store`. */
  begin(): number {
    return this.epoch;
  }

  store(key: string, caller: ApiClientCaller, begun: number): void {
    if (begun !== this.epoch || !this.live()) return;
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, caller);
  }

  /** Drops a key whose lookup failed (unknown, revoked): it was just found to be invalid. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Keys change rarely: a scan of at most `capacity` entries per event is cheaper than indexes on every store. */
  private forget(matches: (caller: ApiClientCaller) => boolean): void {
    this.epoch += 1;
    for (const [key, caller] of this.entries) if (matches(caller)) this.entries.delete(key);
  }

  clear(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  /** What one event from the bus makes stale. */
  apply(event: LiveEvent): void {
    if (event.kind === 'resync') this.clear();
    else if (event.kind === 'apiKey') this.forget((caller) => caller.apiKeyId === event.apiKeyId);
    else if (event.kind === 'apiClient') this.forget((caller) => caller.apiClientId === event.apiClientId);
  }

  /** Follows the bus until `stop()`: key and app events, and the resync after an outage (which the filter does not see). */
  follow(source: CacheEventSource): { stop: () => Promise<void> } {
    const events = source.subscribe((event) => event.kind === 'apiKey' || event.kind === 'apiClient');
    void (async () => {
      for await (const event of events) this.apply(event);
    })();
    return {
      stop: async () => {
        await events.return?.();
      },
    };
  }
}
