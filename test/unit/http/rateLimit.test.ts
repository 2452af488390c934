import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { RateLimiter, rateLimitMiddleware } from '../../../src/http/rateLimit.js';
import { startServer, type RunningServer } from './startServer.js';

/** A clock the test moves by hand, in milliseconds. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('lets a burst up to the capacity through, then refuses', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1 }, clock.now);
    expect([1, 2, 3, 4].map(() => limiter.take('client'))).toEqual([
      { allowed: true, remaining: 2, retryAfterSeconds: 0 },
      { allowed: true, remaining: 1, retryAfterSeconds: 0 },
      { allowed: true, remaining: 0, retryAfterSeconds: 0 },
      { allowed: false, remaining: 0, retryAfterSeconds: 1 },
    ]);
  });

  it('refills at the configured rate, never above the capacity', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 2 }, clock.now);
    for (let i = 0; i < 3; i++) limiter.take('client');
    clock.advance(250); // half a token
    expect(limiter.take('client')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.advance(250); // one token
    expect(limiter.take('client')).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    clock.advance(60_000); // far more than needed: back to full, not 120 tokens
    expect(limiter.take('client')).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
  });

  it('keeps a bucket per key', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1 }, clock.now);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('says how long until the missing tokens have refilled, for the requested cost', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 0.1 }, clock.now);
    expect(limiter.take('client', 4)).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    // 1 token left, 3 wanted: 2 missing at one token per 10 s
    expect(limiter.take('client', 3)).toEqual({ allowed: false, remaining: 1, retryAfterSeconds: 20 });
    clock.advance(19_000);
    expect(limiter.take('client', 3)).toEqual({ allowed: false, remaining: 2, retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect(limiter.take('client', 3)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
  });

  it('refuses rules and costs that could never work', () => {
    expect(() => new RateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 10, refillPerSecond: 0 })).toThrow(RangeError);
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1 });
    expect(() => limiter.take('client', 3)).toThrow('rate limit cost must be > 0 and <= capacity 2, got 3');
    expect(() => limiter.take('client', 0)).toThrow(RangeError);
  });

  it('does not drain tokens when the clock steps backwards', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1 }, clock.now);
    limiter.take('client');
    clock.advance(-3_600_000);
    expect(limiter.take('client')).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
  });

  it('drops buckets that have refilled, at most once per sweep interval, without changing any answer', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 1 }, clock.now, { sweepIntervalSeconds: 60 });
    for (let i = 0; i < 1000; i++) limiter.take(`idle-${i}`);
    for (let i = 0; i < 10; i++) limiter.take('busy');
    expect(limiter.size).toBe(1001);

    clock.advance(5_000); // idle buckets are full again, but no sweep is due yet
    limiter.take('other');
    expect(limiter.size).toBe(1002);

    clock.advance(55_000); // sweep due: every bucket refilled in 60 s, the busy one too
    limiter.take('busy');
    expect(limiter.size).toBe(1);

    // The swept busy bucket answers as a full one would have: 10 - 1 = 9 left, then drained.
    for (let i = 0; i < 9; i++) limiter.take('busy');
    expect(limiter.take('busy')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });

    // A bucket still refilling at sweep time is kept, with its state.
    const slow = new RateLimiter({ capacity: 100, refillPerSecond: 1 }, clock.now, { sweepIntervalSeconds: 60 });
    for (let i = 0; i < 100; i++) slow.take('drained');
    slow.take('light');
    clock.advance(61_000);
    expect(slow.take('drained')).toEqual({ allowed: true, remaining: 60, retryAfterSeconds: 0 });
    expect(slow.size).toBe(1);
  });

  it('caps the number of keys, dropping the least recently used bucket', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.001 }, clock.now, { maxKeys: 50 });
    limiter.take('kept');
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`flood-${i}`);
      if (i % 10 === 0) limiter.take('kept'); // used recently, so never the one dropped
      expect(limiter.size).toBeLessThanOrEqual(50);
    }
    expect(limiter.size).toBe(50);
    expect(limiter.take('kept').allowed).toBe(false); // its drained bucket survived the flood
    expect(limiter.take('flood-0').allowed).toBe(true); // dropped long ago: a fresh bucket
  });
});

describe('rateLimitMiddleware', () => {
  const clock = fakeClock();
  let server: RunningServer;

  beforeAll(async () => {
    const app = express();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 0.25 }, clock.now);
    app.use(rateLimitMiddleware(limiter, (req) => req.header('x-api-key') ?? 'anonymous'));
    app.get('/ping', (_req, res) => {
      res.json({ pong: true });
    });
    server = await startServer(createServer(app));
  });

  afterAll(async () => {
    await server.close();
  });

  const ping = (apiKey: string) => fetch(`${server.url}/ping`, { headers: { 'x-api-key': apiKey } });

  it('passes requests while tokens last, saying how many are left', async () => {
    const first = await ping('key-1');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(await first.json()).toEqual({ pong: true });
    const second = await ping('key-1');
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('answers 429 with Retry-After and a GraphQL-shaped error once they run out', async () => {
    const response = await ping('key-1');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('4');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'too many requests: retry after 4 seconds',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 4 },
        },
      ],
    });
  });

  it('still serves other keys, and the limited key again once tokens refill', async () => {
    expect((await ping('key-2')).status).toBe(200);
    clock.advance(4_000);
    expect((await ping('key-1')).status).toBe(200);
    expect((await ping('key-1')).status).toBe(429);
  });
});
