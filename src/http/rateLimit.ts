// Request rate limiting with token buckets: each key (an API key, a client address) may spend `capacity` requests
// at once and earns `refillPerSecond` back, so short bursts pass while a sustained flood is turned away early,
// before it reaches GraphQL or the database.
//
// The buckets live in this process's memory: each API instance limits on its own, so with N instances behind a
// load balancer a client can get up to N times the rule. That is the intended trade-off (no shared store on the
// request path); put a shared limiter in front (gateway, Redis) if the limit must hold across instances.
import type { ServerResponse } from 'node:http';
import type express from 'express';

export interface RateLimitRule {
  capacity: number;
  refillPerSecond: number;
}

export interface RateLimiterOptions {
  /** Most keys kept at once; past it the least recently used bucket is dropped so memory stays bounded. */
  maxKeys?: number;
  /** Seconds between sweeps that drop buckets which have refilled to full. */
  sweepIntervalSeconds?: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** 0 when allowed; otherwise whole seconds until the bucket holds enough tokens again. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly rule: RateLimitRule;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly sweepIntervalMs: number;
  // A Map iterates in insertion order; taking from a bucket re-inserts it, so the first entry is the least
  // recently used one.
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  /** `now` returns milliseconds (Date.now by default); tests pass a fake clock. */
  constructor(rule: RateLimitRule, now: () => number = Date.now, options: RateLimiterOptions = {}) {
    if (!(Number.isFinite(rule.capacity) && rule.capacity >= 1)) {
      throw new RangeError(`rate limit capacity must be a number >= 1, got ${rule.capacity}`);
    }
    if (!(Number.isFinite(rule.refillPerSecond) && rule.refillPerSecond > 0)) {
      throw new RangeError(`rate limit refillPerSecond must be a number > 0, got ${rule.refillPerSecond}`);
    }
    const maxKeys = options.maxKeys ?? 100_000;
    if (!(Number.isSafeInteger(maxKeys) && maxKeys >= 1)) {
      throw new RangeError(`rate limit maxKeys must be an integer >= 1, got ${maxKeys}`);
    }
    this.rule = rule;
    this.now = now;
    this.maxKeys = maxKeys;
    this.sweepIntervalMs = (options.sweepIntervalSeconds ?? 60) * 1000;
    this.lastSweep = now();
  }

  /** Keys currently holding a bucket (exposed so tests and metrics can see that memory stays bounded). */
  get size(): number {
    return this.buckets.size;
  }

  take(key: string, cost = 1): TakeResult {
    if (!(Number.isFinite(cost) && cost > 0 && cost <= this.rule.capacity)) {
      // A cost above the capacity could never be paid; that is a caller's bug, not a client to turn away.
      throw new RangeError(`rate limit cost must be > 0 and <= capacity ${this.rule.capacity}, got ${cost}`);
    }
    const now = this.now();
    this.sweep(now);

    const bucket = this.refilled(this.buckets.get(key), now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      // Dropping a bucket hands that key a full one later: a little leniency under a flood of distinct keys, in
      // exchange for memory that cannot grow without bound.
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }

    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      remaining: Math.floor(bucket.tokens),
      retryAfterSeconds: Math.ceil((cost - bucket.tokens) / this.rule.refillPerSecond),
    };
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.rule.capacity, updatedAt: now };
    // A clock stepping backwards must not drain tokens: treat it as no time passed.
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.rule.capacity, bucket.tokens + elapsedSeconds * this.rule.refillPerSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  // A bucket that has refilled to full behaves exactly like a missing one, so dropping it changes no answer.
  // Sweeping at most once per interval keeps the cost of the full scan off most requests.
  private sweep(now: number): void {
    if (now - this.lastSweep < this.sweepIntervalMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      const fullAt = bucket.updatedAt + ((this.rule.capacity - bucket.tokens) / this.rule.refillPerSecond) * 1000;
      if (fullAt <= now) this.buckets.delete(key);
    }
  }
}

/**
 * Spends one token for `key` and, when the bucket is empty, answers 429 in the GraphQL error shape so GraphQL
 * clients read it like any other error. Returns whether the request may go on. Works on a plain Node response:
 * the GraphQL route runs without Express.
 */
export function spendRequestToken(limiter: RateLimiter, key: string, res: ServerResponse): boolean {
  const result = limiter.take(key);
  res.setHeader('RateLimit-Remaining', String(result.remaining));
  if (result.allowed) return true;
  res.setHeader('Retry-After', String(result.retryAfterSeconds));
  res.statusCode = 429;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      errors: [
        {
          message: `too many requests: retry after ${result.retryAfterSeconds} seconds`,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: result.retryAfterSeconds },
        },
      ],
    }),
  );
  return false;
}

/**
 * `spendRequestToken` as Express middleware. Behind a proxy, set express `trust proxy` before keying on `req.ip`,
 * or every client shares the proxy's bucket.
 */
export function rateLimitMiddleware(
  limiter: RateLimiter,
  keyOf: (req: express.Request) => string,
): express.RequestHandler {
  return (req, res, next) => {
    if (spendRequestToken(limiter, keyOf(req), res)) next();
  };
}
