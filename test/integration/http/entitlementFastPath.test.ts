// The entitlement fast path (src/http/entitlementFastPath.ts) against Apollo, byte for byte: two APIs on the same
// database, one with the fast path and one without, are asked the same thing over raw HTTP, and must answer with the
// same status, the same headers in the same order (but Date) and the same body bytes. The fast path must answer the
// requests it is meant for (granted, refused for every reason, any selection, aliases, literals, the common Accept
// headers) and leave everything else to Apollo: a bad, malformed or unknown key, a missing scope, another app's
// apiClientId, variables that would not coerce, extensions, other operations, other Accept headers.
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCustomer } from '../../../src/customers/createCustomer.js';
import type { Orm } from '../../../src/db/orm.js';
import type { SubscriptionStatus } from '../../../src/domain/subscriptionStatus.js';
import { Subscription } from '../../../src/entities/index.js';
import { ACCEPTED_MEDIA_TYPES } from '../../../src/http/entitlementFastPath.js';
import type { Caller } from '../../../src/kernel/caller.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';

const DAY_MS = 86_400_000;
const ENTITLEMENT = /* GraphQL */ `
  query Entitlement($customerExternalId: String!, $product: String!) {
    entitlement(customerExternalId: $customerExternalId, product: $product) {
      granted
      reason
      message
      status
      subscriptionId
      planId
      planName
      periodEnd
      features
      limits
    }
  }
`;

interface Answer {
  status: number;
  /** Name-value pairs as sent, Date left out (it is the only header that may differ). */
  headers: string[];
  body: Buffer;
}

function ask(api: RunningApi, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const agent = new Agent({ keepAlive: false });
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      `${api.url}/graphql`,
      {
        method: 'POST',
        agent,
        // One request id for both APIs: each echoes it (src/observability/requestId.ts), so the headers compare.
        headers: { 'content-type': 'application/json', 'x-request-id': 'fast-path-comparison', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const pairs: string[] = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2) {
            if (response.rawHeaders[i]!.toLowerCase() !== 'date')
              pairs.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
          }
          resolve({ status: response.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  }).finally(() => agent.destroy());
}

describe('the entitlement fast path answers exactly as Apollo does', () => {
  let orm: Orm;
  let fast: RunningApi;
  let apollo: RunningApi;
  let app: { headers: Headers; apiClientId: string };
  let otherApp: { headers: Headers; apiClientId: string };
  let noScope: { headers: Headers; apiClientId: string };
  let product: string;
  const customers: Record<string, string> = {};

  const answered = () => fast.api.entitlementFastPath!.answered;

  beforeAll(async () => {
    orm = await testOrm();
    [fast, apollo] = await Promise.all([startApi(orm), startApi(orm, { entitlementFastPath: false })]);
    const admin = await adminHeaders(fast, orm);
    [app, otherApp, noScope] = await Promise.all([
      apiClientHeaders(fast, admin, ['read:subscriptions']),
      apiClientHeaders(fast, admin, ['read:subscriptions']),
      apiClientHeaders(fast, admin, ['read:customers']),
    ]);
    const plan = await aPlan(orm.em, {
      amount: 100_000,
      currency: 'KES',
      features: ['reports', 'exports'],
      limits: { seats: 5, projects: 20 },
    });
    product = plan.product.code;
    const caller: Caller = {
      kind: 'apiClient',
      apiClientId: app.apiClientId,
      apiKeyId: randomUUID(),
      scopes: ['write:customers'],
    };
    const subscriber = async (
      name: string,
      status: SubscriptionStatus | null,
      periods: 'current' | 'trial' | 'old',
    ) => {
      const externalId = `${name}-${randomUUID()}`;
      const customer = await createCustomer(orm.em.fork(), caller, {
        email: uniqueEmail('fast'),
        name: 'Wairimu Njoroge',
        externalId,
      });
      customers[name] = externalId;
      if (!status) return;
      const now = Date.now();
      const em = orm.em.fork();
      em.create(Subscription, {
        customer: customer.id,
        plan: plan.id,
        status,
        billingAnchor: new Date(now - DAY_MS),
        ...(periods === 'trial'
          ? { trialEnd: new Date(now + 10 * DAY_MS) }
          : {
              currentPeriodStart: new Date(now - (periods === 'old' ? 40 : 1) * DAY_MS),
              currentPeriodEnd: new Date(now + (periods === 'old' ? -10 : 29) * DAY_MS),
            }),
      });
      await em.flush();
    };
    await Promise.all([
      subscriber('active', 'ACTIVE', 'current'),
      subscriber('trialing', 'TRIALING', 'trial'),
      subscriber('graced', 'PAST_DUE', 'current'),
      subscriber('lapsed', 'PAST_DUE', 'old'),
      subscriber('canceled', 'CANCELED', 'current'),
      subscriber('none', null, 'current'),
    ]);
    // Keys are held in memory once the event bus listens and the key has been looked up once (by Apollo).
    for (const api of [fast, apollo]) {
      await eventually('the API listening to the event bus', async () => {
        for (const who of [app, otherApp, noScope])
          await ask(api, { query: ENTITLEMENT, variables: { customerExternalId: 'x', product } }, who.headers);
        return [app, otherApp, noScope].every((who) => api.apiKeys!.has(who.headers['x-api-key']!)) || undefined;
      });
    }
  });

  afterAll(async () => {
    await fast?.stop();
    await apollo?.stop();
    await orm?.close();
  });

  /**
   * Asks both APIs; returns the answer after checking they are the same bytes, and whether the fast path answered.
   * The tokens left in the key's bucket differ by what each API's warm-up spent: that header is compared by name
   * here, and by value in the rate limit's own test below.
   */
  async function same(body: unknown, headers: Record<string, string>): Promise<{ answer: Answer; fast: boolean }> {
    const tokensLeft = (answer: Answer): Answer => ({
      ...answer,
      headers: answer.headers.map((h) => h.replace(/^(RateLimit-Remaining): \d+$/, '$1: <n>')),
    });
    const before = answered();
    const ours = tokensLeft(await ask(fast, body, headers));
    const tookFastPath = answered() > before;
    const theirs = tokensLeft(await ask(apollo, body, headers));
    expect({ ...ours, body: ours.body.toString('utf8') }).toEqual({ ...theirs, body: theirs.body.toString('utf8') });
    expect(ours.body.equals(theirs.body)).toBe(true);
    return { answer: ours, fast: tookFastPath };
  }

  const entitlementOf = (answer: Answer) =>
    (JSON.parse(answer.body.toString('utf8')) as { data: { entitlement: Record<string, unknown> } }).data.entitlement;

  it.each([
    ['active', { granted: true, reason: 'SUBSCRIBED', status: 'ACTIVE', features: ['reports', 'exports'] }],
    ['trialing', { granted: true, reason: 'SUBSCRIBED', status: 'TRIALING' }],
    ['graced', { granted: true, reason: 'GRACE_PERIOD', status: 'PAST_DUE' }],
    ['lapsed', { granted: false, reason: 'SUBSCRIPTION_NOT_IN_GOOD_STANDING', features: [], limits: {} }],
    ['canceled', { granted: false, reason: 'SUBSCRIPTION_NOT_IN_GOOD_STANDING', status: 'CANCELED' }],
    ['none', { granted: false, reason: 'NO_SUBSCRIPTION', status: null, planId: null }],
  ])('answers %s customers itself, byte for byte as Apollo', async (name, expected) => {
    // Twice: the first answer may be the one that fills the entitlement cache.
    for (let i = 0; i < 2; i++) {
      const { answer, fast: tookFastPath } = await same(
        { query: ENTITLEMENT, variables: { customerExternalId: customers[name], product } },
        app.headers,
      );
      expect(tookFastPath).toBe(true);
      expect(answer.status).toBe(200);
      expect(entitlementOf(answer)).toMatchObject(expected);
    }
  });

  it('answers an unknown customer itself: CUSTOMER_NOT_FOUND with the same message', async () => {
    const { answer, fast: tookFastPath } = await same(
      { query: ENTITLEMENT, variables: { customerExternalId: 'nobody-we-know', product } },
      app.headers,
    );
    expect(tookFastPath).toBe(true);
    expect(entitlementOf(answer)).toMatchObject({ granted: false, reason: 'CUSTOMER_NOT_FOUND' });
    expect(answer.body.toString('utf8')).toMatch(/\n$/);
  });

  it('answers any selection of the payload, aliased, reordered, with literals, named or not', async () => {
    const documents: [string, Record<string, unknown>, string?][] = [
      [`{ entitlement(customerExternalId: "${customers.active}", product: "${product}") { granted } }`, {}],
      [
        `query Q($p: String!) { e: entitlement(product: $p, customerExternalId: "${customers.active}") { limits periodEnd ok: granted features planName } }`,
        { p: product },
        'Q',
      ],
      [
        `query ($c: String!, $p: String!, $a: ID) { entitlement(customerExternalId: $c, product: $p, apiClientId: $a) { __proto__: reason message } }`,
        { c: customers.canceled, p: product, a: app.apiClientId },
      ],
      [
        `query ($c: String!, $p: String!, $a: ID) { entitlement(customerExternalId: $c, product: $p, apiClientId: $a) { granted } }`,
        { c: customers.active, p: product, a: null },
      ],
      [
        `query ($c: String!, $p: String!, $a: ID) { entitlement(customerExternalId: $c, product: $p, apiClientId: $a) { granted } }`,
        { c: customers.active, p: product, unused: 42 },
      ],
      [
        `query ($c: String!) { entitlement(customerExternalId: $c, product: "${product}", apiClientId: null) { status subscriptionId } }`,
        { c: customers.trialing },
      ],
    ];
    for (const [query, variables, operationName] of documents) {
      const { answer, fast: tookFastPath } = await same({ query, variables, operationName }, app.headers);
      expect(answer.status).toBe(200);
      expect(tookFastPath).toBe(true);
    }
  });

  it('writes the content type Apollo negotiates for each Accept header it answers', async () => {
    for (const accept of ACCEPTED_MEDIA_TYPES.keys()) {
      const headers = { ...app.headers, ...(accept === undefined ? {} : { accept }) };
      const { answer, fast: tookFastPath } = await same(
        { query: ENTITLEMENT, variables: { customerExternalId: customers.active, product } },
        headers,
      );
      expect(tookFastPath).toBe(true);
      expect(answer.headers).toContain(`content-type: ${ACCEPTED_MEDIA_TYPES.get(accept)}`);
    }
  });

  it('leaves to Apollo what it cannot answer exactly, and the answers are still the same', async () => {
    const variables = { customerExternalId: customers.active, product };
    const cases: [string, unknown, Record<string, string>, number][] = [
      ['an unknown key', { query: ENTITLEMENT, variables }, { 'x-api-key': `bk_abcdefgh_${'x'.repeat(43)}` }, 401],
      ['a malformed key', { query: ENTITLEMENT, variables }, { 'x-api-key': 'not-a-key' }, 401],
      ['a key without read:subscriptions', { query: ENTITLEMENT, variables }, noScope.headers, 200],
      [
        "another app's apiClientId",
        {
          query: `query ($c: String!, $p: String!, $a: ID) { entitlement(customerExternalId: $c, product: $p, apiClientId: $a) { granted } }`,
          variables: { c: customers.active, p: product, a: otherApp.apiClientId },
        },
        app.headers,
        200,
      ],
      ['a number for a string', { query: ENTITLEMENT, variables: { ...variables, product: 7 } }, app.headers, 400],
      ['a missing variable', { query: ENTITLEMENT, variables: { product } }, app.headers, 400],
      ['no variables at all', { query: ENTITLEMENT }, app.headers, 400],
      ['variables that are not an object', { query: ENTITLEMENT, variables: [1] }, app.headers, 400],
      ['extensions', { query: ENTITLEMENT, variables, extensions: {} }, app.headers, 200],
      ['another operation name', { query: ENTITLEMENT, variables, operationName: 'Other' }, app.headers, 400],
      ['an empty operation name', { query: ENTITLEMENT, variables, operationName: '' }, app.headers, 400],
      [
        '__typename',
        { query: `{ entitlement(customerExternalId: "a", product: "b") { __typename } }` },
        app.headers,
        200,
      ],
      [
        'an invalid field',
        { query: `{ entitlement(customerExternalId: "a", product: "b") { nope } }` },
        app.headers,
        400,
      ],
      [
        'a second field',
        { query: `{ entitlement(customerExternalId: "a", product: "b") { granted } plans { edges { cursor } } }` },
        app.headers,
        200,
      ],
      [
        'a directive',
        { query: `{ entitlement(customerExternalId: "a", product: "b") { granted @include(if: true) } }` },
        app.headers,
        200,
      ],
      ['another query', { query: '{ plans { edges { cursor } } }' }, app.headers, 200],
      [
        'an Accept header it does not know',
        { query: ENTITLEMENT, variables },
        { ...app.headers, accept: 'text/plain' },
        406,
      ],
      [
        'an Authorization header beside the key',
        { query: ENTITLEMENT, variables },
        { ...app.headers, authorization: 'Bearer nonsense' },
        200,
      ],
    ];
    for (const [what, body, headers, status] of cases) {
      const { answer, fast: tookFastPath } = await same(body, headers);
      expect({ what, status: answer.status, fast: tookFastPath }).toEqual({ what, status, fast: false });
    }
  });
});

describe('the entitlement fast path under the rate limit', () => {
  let orm: Orm;
  let fast: RunningApi;
  let apollo: RunningApi;
  let fastKey: Headers;
  let apolloKey: Headers;

  beforeAll(async () => {
    orm = await testOrm();
    // 60 a minute: bursts of 10.
    const env = { RATE_LIMIT_PER_MINUTE: '60' };
    [fast, apollo] = await Promise.all([startApi(orm, { env }), startApi(orm, { env, entitlementFastPath: false })]);
    const admin = await adminHeaders(fast, orm);
    // A key each, so each API's bucket for it starts full whatever the other did.
    const [forFast, forApollo, probe] = await Promise.all(
      [0, 1, 2].map(() => apiClientHeaders(fast, admin, ['read:subscriptions'])),
    );
    fastKey = forFast!.headers;
    apolloKey = forApollo!.headers;
    // Once a probe key is held in memory the event bus is listening, and the keys under test will be held after
    // their first request: without spending their tokens on the wait.
    await eventually('the API listening to the event bus', async () => {
      await ask(fast, { query: '{ __typename }' }, probe!.headers);
      return fast.apiKeys!.has(probe!.headers['x-api-key']!) || undefined;
    });
  });

  afterAll(async () => {
    await fast?.stop();
    await apollo?.stop();
    await orm?.close();
  });

  it("spends one token per request and answers 429 as Apollo's route does", async () => {
    const body = { query: ENTITLEMENT, variables: { customerExternalId: 'anyone', product: 'anything' } };
    const ours: Answer[] = [];
    const theirs: Answer[] = [];
    for (let i = 0; i < 12; i++) {
      ours.push(await ask(fast, body, fastKey));
      theirs.push(await ask(apollo, body, apolloKey));
    }
    expect(ours.map((a) => a.status)).toEqual(theirs.map((a) => a.status));
    expect(ours.map((a) => a.status).slice(-2)).toEqual([429, 429]);
    expect(fast.api.entitlementFastPath!.answered).toBeGreaterThan(0);
    for (let i = 0; i < ours.length; i++) {
      expect(ours[i]!.headers).toEqual(theirs[i]!.headers);
      expect(ours[i]!.body.toString('utf8')).toBe(theirs[i]!.body.toString('utf8'));
    }
  });
});
