// Entitlement from memory: apps ask "has this customer paid?" far more often than anything changes, so the answers'
// rows are kept in the API process and dropped when the event bus says something they depend on changed. The bus is
// the only way a change reaches the cache, so the cache is trusted only while the bus is (the listener is listening
// and has missed nothing): otherwise every lookup reads through to SQL.
//
// What is cached is the lookup's row, not the answer: the answer is computed from the row on every request, so the
// one thing that can change without an event -- a PAST_DUE subscription's grace running out -- is judged at the
// moment of asking, and no entry needs an expiry.
import type { BillingEvent, LiveEvent } from '../events/billingEvents.js';
import type { EntitlementLookup, EntitlementRow } from './entitlement.js';

interface Entry {
  /** undefined: the app has no (live) customer with that externalId. */
  row: EntitlementRow | undefined;
  customerId: string | null;
  handle: string;
}

/**
 * A miss whose query is running. Invalidations that arrive meanwhile are noted on it, so its row is not stored if
 * they may concern it: the query may have read the state from before that change. Only the misses they concern are
 * spoiled, so a busy bus (events about other customers all the time) does not keep the cache from filling.
 */
interface Pending {
  handle: string;
  stale: boolean;
  /** Customers invalidated while the query ran: the row's customer is known only when it returns. */
  customers: Set<string> | null;
}

/** The event bus as the cache needs it: every event, and whether it is listening right now. */
export interface CacheEventSource {
  subscribe(filter: (event: BillingEvent) => boolean): AsyncIterableIterator<LiveEvent>;
  readonly listening: boolean;
}

/** The (app, externalId) pair a lookup names: a cached "no such customer" can only be found again by it. */
function handleOf(apiClientId: string, externalId: string): string {
  return `${apiClientId}|${externalId}`;
}

/** Unambiguous for any strings: the product code's length fences it off from the externalId. */
function keyOf(apiClientId: string, externalId: string, productCode: string): string {
  return `${apiClientId}|${productCode.length}|${productCode}|${externalId}`;
}

function addTo(index: Map<string, Set<string>>, id: string, key: string): void {
  const keys = index.get(id);
  if (keys) keys.add(key);
  else index.set(id, new Set([key]));
}

function removeFrom(index: Map<string, Set<string>>, id: string, key: string): void {
  const keys = index.get(id);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(id);
}

export class EntitlementCache {
  /** In least-recently-used order: a Map iterates in insertion order, and a hit re-inserts its entry. */
  private readonly entries = new Map<string, Entry>();
  private readonly byCustomer = new Map<string, Set<string>>();
  private readonly byHandle = new Map<string, Set<string>>();
  private readonly pending = new Set<Pending>();
  private invalidated = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly capacity: number,
    /** Whether events are flowing: while they are not, nothing is served from memory or stored. */
    private readonly live: () => boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** How many invalidations (events, resyncs) have reached the cache: tests wait on it. */
  get invalidations(): number {
    return this.invalidated;
  }

  /** Whether an answer is held for this question (without touching its recency): for tests and operators. */
  has(apiClientId: string, externalId: string, productCode: string): boolean {
    return this.entries.has(keyOf(apiClientId, externalId, productCode));
  }

  lookup(inner: EntitlementLookup): EntitlementLookup {
    return async (apiClientId, externalId, productCode) => {
      if (!this.live()) return inner(apiClientId, externalId, productCode);
      const key = keyOf(apiClientId, externalId, productCode);
      const entry = this.entries.get(key);
      if (entry) {
        this.hits += 1;
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.row;
      }
      this.misses += 1;
      const handle = handleOf(apiClientId, externalId);
      const pending: Pending = { handle, stale: false, customers: null };
      this.pending.add(pending);
      try {
        const row = await inner(apiClientId, externalId, productCode);
        const spoiled = pending.stale || (row !== undefined && pending.customers?.has(row.customer_id));
        if (!spoiled && this.live()) this.store(key, { row, customerId: row?.customer_id ?? null, handle });
        return row;
      } finally {
        this.pending.delete(pending);
      }
    };
  }

  private store(key: string, entry: Entry): void {
    this.remove(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.remove(oldest.value);
    }
    this.entries.set(key, entry);
    addTo(this.byHandle, entry.handle, key);
    if (entry.customerId) addTo(this.byCustomer, entry.customerId, key);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    removeFrom(this.byHandle, entry.handle, key);
    if (entry.customerId) removeFrom(this.byCustomer, entry.customerId, key);
  }

  /** Every answer about this customer, whatever product or externalId it was asked by. */
  forgetCustomer(customerId: string): void {
    this.invalidated += 1;
    for (const pending of this.pending) (pending.customers ??= new Set()).add(customerId);
    for (const key of this.byCustomer.get(customerId) ?? []) this.remove(key);
  }

  /** Every answer asked by this (app, externalId), "no such customer" included. */
  forgetHandle(apiClientId: string | null, externalId: string | null): void {
    this.invalidated += 1;
    if (apiClientId === null || externalId === null) return;
    const handle = handleOf(apiClientId, externalId);
    for (const pending of this.pending) if (pending.handle === handle) pending.stale = true;
    for (const key of this.byHandle.get(handle) ?? []) this.remove(key);
  }

  clear(): void {
    this.invalidated += 1;
    for (const pending of this.pending) pending.stale = true;
    this.entries.clear();
    this.byCustomer.clear();
    this.byHandle.clear();
  }

  /** What one event from the bus makes stale. */
  apply(event: LiveEvent): void {
    switch (event.kind) {
      case 'resync': // events may have been missed: nothing in memory can be trusted
      case 'catalog': // names nothing: rare enough to start over
        this.clear();
        return;
      case 'apiKey': // who may ask, not what the answer is (src/auth/apiKeyCache.ts)
      case 'apiClient':
        return;
      case 'customer':
        this.forgetCustomer(event.customerId);
        this.forgetHandle(event.apiClientId, event.externalId);
        this.forgetHandle(event.previousApiClientId, event.previousExternalId);
        return;
      default:
        // Only a subscription's row changes an answer today, but an invoice or payment event is one customer's
        // few entries: dropping them too keeps the cache right if the answer ever looks at money.
        this.forgetCustomer(event.customerId);
    }
  }

  /**
   * Follows the bus until `stop()`. The subscriber queue drops events only with a resync after them, so an event
   * the cache never sees still clears it.
   */
  follow(source: CacheEventSource): { stop: () => Promise<void> } {
    const events = source.subscribe(() => true);
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

/**
 * The lookup the API uses: from memory when `capacity` > 0 and the bus is listening, else straight to SQL. Returns
 * the cache too (null when disabled), for `close()` and for tests.
 */
export function cachedEntitlementLookup(
  inner: EntitlementLookup,
  capacity: number,
  source: CacheEventSource,
): { lookup: EntitlementLookup; cache: EntitlementCache | null; stop: () => Promise<void> } {
  if (capacity === 0) return { lookup: inner, cache: null, stop: async () => undefined };
  const cache = new EntitlementCache(capacity, () => source.listening);
  const following = cache.follow(source);
  return { lookup: cache.lookup(inner), cache, stop: following.stop };
}
