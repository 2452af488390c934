// Who may take the delivery loop's free slots. A healthy endpoint may hold a quarter of them. An endpoint whose last
// attempt from this loop failed (down, refusing, answering 5xx, or hanging until the timeout) holds at most one, and
// all such endpoints together at most half: however many receivers hang, healthy endpoints keep half the slots.
// Before this, four endpoints that hung until the timeout held all eight slots, and a healthy endpoint got one
// delivery per timeout period.

/** Which share of the slots a delivery was claimed in. */
export type Lane = 'healthy' | 'failing';

export interface ClaimRequest {
  lane: Lane;
  limit: number;
  perEndpoint: number;
  /** Endpoints this claim must skip. */
  busyEndpoints: string[];
  /** When set, the only endpoints this claim may take from. */
  onlyEndpoints: string[] | null;
}

/** Failing endpoints remembered at most; the longest-failing are forgotten first (they then get one healthy turn). */
const MAX_REMEMBERED_FAILING = 1_000;

export class DeliverySlots {
  private readonly perEndpoint: number;
  private readonly failingShare: number;
  private readonly inFlight = new Map<string, number>();
  private readonly failing = new Set<string>();
  private total = 0;
  private failingInFlight = 0;

  constructor(private readonly concurrency: number) {
    this.perEndpoint = Math.max(1, Math.floor(concurrency / 4));
    this.failingShare = Math.max(1, Math.floor(concurrency / 2));
  }

  get free(): number {
    return this.concurrency - this.total;
  }

  get inUse(): number {
    return this.total;
  }

  /** The claim for healthy endpoints: everything free, none of the failing endpoints. */
  healthyClaim(): ClaimRequest | null {
    if (this.free <= 0) return null;
    const full = [...this.inFlight].filter(([, count]) => count >= this.perEndpoint).map(([id]) => id);
    return {
      lane: 'healthy',
      limit: this.free,
      perEndpoint: this.perEndpoint,
      busyEndpoints: [...full, ...this.failing],
      onlyEndpoints: null,
    };
  }

  /** The claim for failing endpoints: one each, within their share, only those with nothing in flight. */
  failingClaim(): ClaimRequest | null {
    const limit = Math.min(this.free, this.failingShare - this.failingInFlight);
    const idle = [...this.failing].filter((id) => !this.inFlight.has(id));
    if (limit <= 0 || idle.length === 0) return null;
    return { lane: 'failing', limit, perEndpoint: 1, busyEndpoints: [], onlyEndpoints: idle };
  }

  take(endpointId: string, lane: Lane): void {
    this.total += 1;
    if (lane === 'failing') this.failingInFlight += 1;
    this.inFlight.set(endpointId, (this.inFlight.get(endpointId) ?? 0) + 1);
  }

  /** Frees the slot and remembers how the endpoint answered (`delivered` undefined: the attempt was not recorded). */
  release(endpointId: string, lane: Lane, delivered: boolean | undefined): void {
    this.total -= 1;
    if (lane === 'failing') this.failingInFlight -= 1;
    const left = (this.inFlight.get(endpointId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(endpointId, left);
    else this.inFlight.delete(endpointId);
    if (delivered === true) this.failing.delete(endpointId);
    if (delivered === false) this.rememberFailing(endpointId);
  }

  private rememberFailing(endpointId: string): void {
    this.failing.delete(endpointId); // re-inserted last: the set's order is the order of last failure
    this.failing.add(endpointId);
    if (this.failing.size > MAX_REMEMBERED_FAILING) this.failing.delete(this.failing.values().next().value!);
  }
}
