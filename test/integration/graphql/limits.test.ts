// The abuse limits as a client meets them on the real endpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';

describe('abuse limits on /graphql', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm, { env: { RATE_LIMIT_PER_MINUTE: '600', CORS_ORIGINS: 'https://app.example.com' } });
    admin = await adminHeaders(api, orm);
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  it('refuses queries that are too deep or use too many aliases', async () => {
    const deep = await api.graphql(
      '{ customers { edges { node { subscriptions { plan { product { plans { product { plans { product { plans { id } } } } } } } } } } } }',
      {},
      admin,
    );
    expect(deep.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 10 });
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ');
    const aliased = await api.graphql(`{ ${aliases} }`, {}, admin);
    expect(aliased.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 30 });
  });

  it('answers 413 for an oversized document', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(120_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(
      ((await response.json()) as { errors: { extensions: { limit: string } }[] }).errors[0]!.extensions.limit,
    ).toBe('documentBytes');
  });

  it('sends security headers and CORS only to allowed origins', async () => {
    const allowed = await fetch(`${api.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(`${api.url}/healthz`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('x-content-type-options')).toBe('nosniff');
    expect(other.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('rate-limits an address that sends too many requests, with Retry-After', async () => {
    // 600 a minute allows bursts of 60.
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(
          ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
        ).toBe('RATE_LIMITED');
        break;
      }
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(55);
    expect(statuses.at(-1)).toBe(429);
  });
});
