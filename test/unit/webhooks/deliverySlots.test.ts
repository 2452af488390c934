// The delivery loop's slot policy: healthy endpoints a quarter each, failing endpoints one each and half in all.
import { describe, expect, it } from '@jest/globals';
import { DeliverySlots } from '../../../src/webhooks/delivery/deliverySlots.js';

const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

/** Slots where each of `failing` has failed once (taken and released with a failed attempt). */
function slotsWithFailing(concurrency: number, failing: string[]) {
  const slots = new DeliverySlots(concurrency);
  for (const id of failing) {
    slots.take(id, 'healthy');
    slots.release(id, 'healthy', false);
  }
  return slots;
}

describe('DeliverySlots', () => {
  it('offers every slot to healthy endpoints, a quarter of them to any one endpoint', () => {
    const slots = new DeliverySlots(8);
    expect(slots.healthyClaim()).toEqual({
      lane: 'healthy',
      limit: 8,
      perEndpoint: 2,
      busyEndpoints: [],
      onlyEndpoints: null,
    });
    slots.take('a', 'healthy');
    slots.take('a', 'healthy');
    slots.take('b', 'healthy');
    expect(slots.healthyClaim()).toMatchObject({ limit: 5, busyEndpoints: ['a'] });
    expect(slots.failingClaim()).toBeNull(); // no endpoint has failed
  });

  it('keeps failing endpoints out of the healthy claim and gives them one slot each, half the slots in all', () => {
    const failing = ids(6, 'down');
    const slots = slotsWithFailing(8, failing);
    expect(slots.healthyClaim()!.busyEndpoints).toEqual(failing);
    expect(slots.failingClaim()).toEqual({
      lane: 'failing',
      limit: 4,
      perEndpoint: 1,
      busyEndpoints: [],
      onlyEndpoints: failing,
    });
    for (const id of failing.slice(0, 4)) slots.take(id, 'failing');
    expect(slots.failingClaim()).toBeNull(); // their half is taken, however many more are due
    expect(slots.healthyClaim()).toMatchObject({ limit: 4 });
  });

  it('offers a failing endpoint nothing while its one attempt is in flight', () => {
    const slots = slotsWithFailing(8, ['down-0', 'down-1']);
    slots.take('down-0', 'failing');
    expect(slots.failingClaim()).toMatchObject({ limit: 3, onlyEndpoints: ['down-1'] });
  });

  it('returns an endpoint to the healthy lane once it takes a delivery, and not when the attempt went unrecorded', () => {
    const slots = slotsWithFailing(8, ['down-0', 'down-1']);
    slots.take('down-0', 'failing');
    slots.release('down-0', 'failing', true);
    slots.take('down-1', 'failing');
    slots.release('down-1', 'failing', undefined);
    expect(slots.healthyClaim()!.busyEndpoints).toEqual(['down-1']);
    expect(slots.free).toBe(8);
  });

  it('never gives failing endpoints more slots than are free', () => {
    const slots = slotsWithFailing(4, ['down-0', 'down-1', 'down-2']);
    for (const id of ['a', 'b', 'c']) slots.take(id, 'healthy');
    expect(slots.failingClaim()).toMatchObject({ limit: 1 });
  });

  it('remembers at most a thousand failing endpoints, forgetting the longest-failing first', () => {
    const slots = slotsWithFailing(8, ids(1_001, 'down'));
    const busy = slots.healthyClaim()!.busyEndpoints;
    expect(busy).toHaveLength(1_000);
    expect(busy).not.toContain('down-0');
    expect(busy.at(-1)).toBe('down-1000');
  });
});
