// The entitlement cache's own rules, with a lookup the test controls: bounded (least recently used go first),
// invalidated by customer and by (app, externalId), never storing a row read while an invalidation arrived, and
// not in the way at all while the event bus is not listening. The integration test drives it with real events.
import { describe, expect, it } from '@jest/globals';
import type { EntitlementLookup, EntitlementRow } from '../../../src/billing/entitlement.js';
import { cachedEntitlementLookup, EntitlementCache } from '../../../src/billing/entitlementCache.js';
import type { BillingEvent, LiveEvent } from '../../../src/events/billingEvents.js';

const APP = 'app-1';

function rowFor(customerId: string): EntitlementRow {
  return { customer_id: customerId, subscription_id: null };
}

/** A lookup that counts its calls and knows customers `c-<externalId>`, except those in `unknown`. */
function countingLookup(unknown = new Set<string>()) {
  const calls: string[] = [];
  const lookup: EntitlementLookup = async (_app, externalId) => {
    calls.push(externalId);
    return unknown.has(externalId) ? undefined : rowFor(`c-${externalId}`);
  };
  return { lookup, calls };
}

function liveCache(capacity: number, live = { on: true }) {
  return new EntitlementCache(capacity, () => live.on);
}

describe('EntitlementCache', () => {
  it('answers a repeated question from memory and keeps at most `capacity` answers, dropping the least recently used', async () => {
    const { lookup, calls } = countingLookup();
    const cache = liveCache(2);
    const ask = cache.lookup(lookup);
    await ask(APP, 'a', 'p');
    await ask(APP, 'a', 'p');
    expect(calls).toEqual(['a']);
    await ask(APP, 'b', 'p');
    await ask(APP, 'a', 'p'); // a is now the most recently used
    await ask(APP, 'c', 'p'); // evicts b
    expect(cache.size).toBe(2);
    expect([cache.has(APP, 'a', 'p'), cache.has(APP, 'b', 'p'), cache.has(APP, 'c', 'p')]).toEqual([true, false, true]);
    await ask(APP, 'b', 'p');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 2, misses: 4 });
  });

  it('keeps the app, product and externalId apart, whatever characters they hold', async () => {
    const { lookup, calls } = countingLookup();
    const ask = liveCache(10).lookup(lookup);
    await ask(APP, '1|x', 'p');
    await ask(APP, 'x', 'p|1');
    await ask('app-2', '1|x', 'p');
    expect(calls).toHaveLength(3);
  });

  it('drops every answer about a customer on its events, and a "no such customer" by the (app, externalId) asked', async () => {
    const unknown = new Set(['new']);
    const { lookup } = countingLookup(unknown);
    const cache = liveCache(10);
    const ask = cache.lookup(lookup);
    await Promise.all([ask(APP, 'a', 'p'), ask(APP, 'a', 'q'), ask(APP, 'b', 'p'), ask(APP, 'new', 'p')]);
    const subscription: BillingEvent = { kind: 'subscription', subscriptionId: 's', customerId: 'c-a', status: 'X' };
    cache.apply(subscription);
    expect([cache.has(APP, 'a', 'p'), cache.has(APP, 'a', 'q'), cache.has(APP, 'b', 'p')]).toEqual([
      false,
      false,
      true,
    ]);

    // A customer created with the externalId asked about before: named by its new side only.
    cache.apply({
      kind: 'customer',
      customerId: 'c-new',
      apiClientId: APP,
      externalId: 'new',
      previousApiClientId: null,
      previousExternalId: null,
    });
    expect(cache.has(APP, 'new', 'p')).toBe(false);
    expect(cache.has(APP, 'b', 'p')).toBe(true);

    cache.apply({ kind: 'catalog' });
    expect(cache.size).toBe(0);
  });

  it('does not store a row read while an invalidation about it arrived, but does when the event was about others', async () => {
    const cache = liveCache(10);
    /** A miss for `externalId` (customer c-<externalId>) with `during` happening while its query runs. */
    const missWhile = async (externalId: string, during: () => void) => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const pending = cache.lookup(async () => (await gate, rowFor(`c-${externalId}`)))(APP, externalId, 'p');
      during();
      release();
      expect(await pending).toEqual(rowFor(`c-${externalId}`)); // the caller still gets what was read
      return cache.has(APP, externalId, 'p');
    };
    const paid = (customerId: string): BillingEvent => ({
      kind: 'payment',
      paymentId: 'x',
      invoiceId: 'y',
      customerId,
      status: 'SUCCEEDED',
    });
    expect(await missWhile('a', () => cache.apply(paid('c-a')))).toBe(false);
    expect(await missWhile('b', () => cache.apply(paid('c-other')))).toBe(true);
    expect(await missWhile('c', () => cache.forgetHandle(APP, 'c'))).toBe(false);
    expect(await missWhile('d', () => cache.forgetHandle(APP, 'other'))).toBe(true);
    expect(await missWhile('e', () => cache.apply({ kind: 'resync' }))).toBe(false);
  });

  it('reads through, serving and storing nothing, while the event bus is not listening', async () => {
    const { lookup, calls } = countingLookup();
    const live = { on: true };
    const cache = liveCache(10, live);
    const ask = cache.lookup(lookup);
    await ask(APP, 'a', 'p');
    live.on = false;
    await ask(APP, 'a', 'p');
    await ask(APP, 'b', 'p');
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(cache.has(APP, 'b', 'p')).toBe(false);

    // A miss that started while listening and ends in an outage is not stored either.
    live.on = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = cache.lookup(async () => (await gate, rowFor('c-c')))(APP, 'c', 'p');
    live.on = false;
    release();
    await pending;
    live.on = true;
    expect(cache.has(APP, 'c', 'p')).toBe(false);
  });

  it('follows a source until stopped, clearing on resync; size 0 is no cache at all', async () => {
    const queue: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const source = {
      listening: true,
      subscribe: () =>
        ({
          async next() {
            while (!queue.length && !ended) await new Promise<void>((resolve) => (wake = resolve));
            return ended ? { value: undefined, done: true } : { value: queue.shift()!, done: false };
          },
          async return() {
            ended = true;
            wake?.();
            return { value: undefined, done: true };
          },
          [Symbol.asyncIterator]() {
            return this;
          },
        }) as AsyncIterableIterator<LiveEvent>,
    };
    const { lookup } = countingLookup();
    const { lookup: ask, cache, stop } = cachedEntitlementLookup(lookup, 10, source);
    await ask(APP, 'a', 'p');
    expect(cache!.size).toBe(1);
    queue.push({ kind: 'resync' });
    wake!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache!.size).toBe(0);
    await stop();
    expect(ended).toBe(true);

    const disabled = cachedEntitlementLookup(lookup, 0, source);
    expect(disabled.cache).toBeNull();
    expect(disabled.lookup).toBe(lookup);
  });
});
