// The abuse limits as a client meets them on the real endpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { apiForSuite, startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { rawRequest } from '../../support/rawHttp.js';

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

  it('refuses a flood of aliases from the document text, before parsing it', async () => {
    // The query: 5,000 aliases, under the document size limit. (bench:refusals measures how fast.)
    const aliases = Array.from({ length: 5_000 }, (_, i) => `a${i}: me { id }`).join(' ');
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toEqual([
      {
        message: 'query uses more than 30 aliases, the maximum',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 30 },
      },
    ]);
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
    // 600 a minute allows bursts of 60. All at once: sent one by one on a busy machine, the bucket refills (10 a
    // second) as fast as a slow loop spends it, and the limit is never reached.
    const responses = await Promise.all(
      Array.from({ length: 90 }, () =>
        fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        }),
      ),
    );
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(55);
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused[0]!.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    await Promise.all(
      responses.filter((response) => response !== refused[0]).map((response) => response.arrayBuffer()),
    );
  });
});

describe('request bodies on POST /graphql', () => {
  const suite = apiForSuite();

  /** A raw request, so the test controls headers and body exactly and can watch the connection. */
  async function rawPost(headers: Record<string, string | number>, body: string | null, end = true) {
    const answer = await rawRequest(`${suite.api.url}/graphql`, { headers, body, end });
    return {
      status: answer.status,
      connection: answer.connection,
      json: answer.json<{ errors?: { message: string; extensions: Record<string, unknown> }[] }>(),
    };
  }

  it('answers malformed JSON with 400 BAD_REQUEST and keeps the connection', async () => {
    const answer = await rawPost({ 'content-type': 'application/json' }, '{"query": "{ __typename }"');
    expect(answer.status).toBe(400);
    expect(answer.json.errors![0]!.extensions.code).toBe('BAD_REQUEST');
    expect(answer.json.errors![0]!.message).toMatch(/not valid JSON/);
    expect(answer.connection).not.toBe('close');
  });

  it('answers a body that is not JSON, or is compressed, with 415 naming what to send', async () => {
    const text = await rawPost({ 'content-type': 'text/plain' }, '{ __typename }');
    expect(text.status).toBe(415);
    expect(text.json.errors![0]!.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(text.json.errors![0]!.message).toMatch(/application\/json/);
    const gzip = await rawPost({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'x');
    expect(gzip.status).toBe(415);
    expect(gzip.json.errors![0]!.message).toMatch(/gzip/);
    const latin1 = await rawPost({ 'content-type': 'application/json; charset=latin1' }, '{}');
    expect(latin1.status).toBe(415);
    expect(latin1.json.errors![0]!.message).toMatch(/latin1/);
  });

  it('answers 413 and closes the connection without reading a body that is too large', async () => {
    // Declared too large: refused from the headers alone, before a byte of the body is sent.
    const declared = await rawPost({ 'content-type': 'application/json', 'content-length': 300_000 }, null, false);
    expect(declared.status).toBe(413);
    expect(declared.json.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(declared.connection).toBe('close');
    // Streamed (chunked) past the limit: refused as soon as it is crossed, while the client is still sending.
    const streamed = await rawPost({ 'content-type': 'application/json' }, ' '.repeat(210_000), false);
    expect(streamed.status).toBe(413);
    expect(streamed.connection).toBe('close');
    // The server is unharmed.
    expect((await suite.api.graphql<{ __typename: string }>('{ __typename }')).data?.__typename).toBe('Query');
  });
});

describe('invoice links', () => {
  const suite = apiForSuite({ RATE_LIMIT_PER_MINUTE: '600' });

  it('are rate-limited per client address, so signed tokens cannot be guessed at speed', async () => {
    // All at once, as a guesser would (and so a slow machine's refill cannot keep up with a slow loop).
    const statuses = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const response = await fetch(`${suite.api.url}/invoices/00000000-0000-4000-8000-000000000000?token=guess-${i}`);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    // 600 a minute allows bursts of 60.
    expect(statuses.filter((status) => status !== 429).length).toBeGreaterThanOrEqual(55);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
  });
});
