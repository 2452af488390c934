// Hosted checkout and portal sessions through the GraphQL endpoint: an app's return origins (validated, normalized),
// the links (random token, only its digest stored, 30 and 10 minutes), the URLs they may send customers back to, and
// redeeming (once, even when raced; used, expired and unknown tokens told apart) into an access token that acts for
// that one customer only.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Orm } from '../../../src/db/orm.js';
import { HostedSession } from '../../../src/entities/index.js';
import { archivePlan } from '../../../src/catalog/changePlanPrice.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { admin as adminCaller, aPlan, uniqueEmail } from '../../support/fixtures.js';

const PUBLIC_URL = 'https://billing.example.test';
const APP_ORIGIN = 'https://app.example.test';

const SET_ORIGINS = `mutation ($i: SetApiClientReturnOriginsInput!) { setApiClientReturnOrigins(input: $i) { id returnOrigins } }`;
const CHECKOUT = `mutation ($i: CreateCheckoutSessionInput!) { createCheckoutSession(input: $i) { url expiresAt } }`;
const PORTAL = `mutation ($i: CreatePortalSessionInput!) { createPortalSession(input: $i) { url expiresAt } }`;
const REDEEM = `mutation ($t: String!) {
  redeemHostedSession(token: $t) {
    kind accessToken accessTokenExpiresAt customer { id } plan { id } quantity couponCode successUrl cancelUrl returnUrl appName
  }
}`;

interface Link {
  url: string;
  expiresAt: string;
}

describe('hosted sessions', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;
  let app: Headers;
  let appId: string;
  let otherApp: Headers;
  let customerId: string;
  let otherCustomerId: string;
  let planId: string;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm, { env: { PUBLIC_URL: `${PUBLIC_URL}/` } });
    admin = await adminHeaders(api, orm);
    const created = await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES);
    [app, appId] = [created.headers, created.apiClientId];
    otherApp = (await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES)).headers;
    await api.graphql(
      SET_ORIGINS,
      { i: { apiClientId: appId, origins: [APP_ORIGIN, 'http://localhost:5173'] } },
      admin,
    );
    const customer = (headers: Headers) =>
      api
        .graphql<{ createCustomer: { id: string } }>(
          'mutation ($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }',
          { i: { email: uniqueEmail('hosted'), name: 'Hosted Customer' } },
          headers,
        )
        .then((result) => result.data!.createCustomer.id);
    [customerId, otherCustomerId] = await Promise.all([customer(app), customer(otherApp)]);
    planId = (await aPlan(orm.em, { trialDays: 0 })).id;
  });

  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const checkoutInput = (overrides: Record<string, unknown> = {}) => ({
    customerId,
    planId,
    quantity: 2,
    couponCode: 'karibu20',
    successUrl: `${APP_ORIGIN}/billing/done?x=1`,
    cancelUrl: 'http://localhost:5173/pricing',
    ...overrides,
  });

  async function checkout(overrides: Record<string, unknown> = {}): Promise<Link> {
    const result = await api.graphql<{ createCheckoutSession: Link }>(CHECKOUT, { i: checkoutInput(overrides) }, app);
    expect(result.errors).toBeUndefined();
    return result.data!.createCheckoutSession;
  }

  const tokenOf = (link: Link) => link.url.slice(`${PUBLIC_URL}/hosted/`.length);

  describe('return origins', () => {
    it('are normalized to bare origins, set at creation or replaced by an administrator', async () => {
      const created = await api.graphql<{ createApiClient: { returnOrigins: string[] } }>(
        'mutation ($i: CreateApiClientInput!) { createApiClient(input: $i) { returnOrigins } }',
        {
          i: {
            name: 'origins',
            scopes: ['read:plans'],
            returnOrigins: ['HTTPS://Shop.Example.TEST:443/', 'https://shop.example.test', 'http://127.0.0.1:8080'],
          },
        },
        admin,
      );
      expect(created.data!.createApiClient.returnOrigins).toEqual([
        'https://shop.example.test',
        'http://127.0.0.1:8080',
      ]);
      const listed = await api.graphql<{ apiClients: { id: string; returnOrigins: string[] }[] }>(
        '{ apiClients { id returnOrigins } }',
        {},
        admin,
      );
      expect(listed.data!.apiClients.find((client) => client.id === appId)!.returnOrigins).toEqual([
        APP_ORIGIN,
        'http://localhost:5173',
      ]);
    });

    it('refuse paths, plain http beyond the developer’s machine, and what is not a URL, naming each', async () => {
      const result = await api.graphql(
        SET_ORIGINS,
        {
          i: {
            apiClientId: appId,
            origins: ['https://ok.example.test', 'https://app.example.test/billing', 'http://app.example.test', 'nope'],
          },
        },
        admin,
      );
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: {
          'input.origins.1': 'must be an origin like https://app.example.com or https://app.example.com:8443 (no path)',
          'input.origins.2': 'must use https (http only for localhost or 127.0.0.1, for development)',
          'input.origins.3': 'must be an origin like https://app.example.com or https://app.example.com:8443 (no path)',
        },
      });
      const app2 = await api.graphql(SET_ORIGINS, { i: { apiClientId: appId, origins: [] } }, app);
      expect(app2.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('creating', () => {
    it('gives a checkout link on PUBLIC_URL for 30 minutes, storing only the digest of its random token', async () => {
      const before = Date.now();
      const link = await checkout();
      expect(link.url).toMatch(new RegExp(`^${PUBLIC_URL}/hosted/[A-Za-z0-9_-]{43}$`));
      const lifetime = new Date(link.expiresAt).getTime() - before;
      expect(lifetime).toBeGreaterThan(30 * 60_000 - 5_000);
      expect(lifetime).toBeLessThanOrEqual(30 * 60_000 + 1_000);
      const digest = createHash('sha256').update(tokenOf(link)).digest();
      const row = await orm.em.fork().findOneOrFail(HostedSession, { tokenHash: digest });
      expect(row).toMatchObject({ kind: 'CHECKOUT', quantity: 2, couponCode: 'KARIBU20', usedAt: null });
      const [stored] = await orm.em
        .fork()
        .execute<{ text: string }[]>('select row_to_json(h)::text as text from hosted_sessions h where id = ?', [
          row.id,
        ]);
      expect(stored!.text).not.toContain(tokenOf(link));
    });

    it('gives a portal link for 10 minutes', async () => {
      const before = Date.now();
      const result = await api.graphql<{ createPortalSession: Link }>(
        PORTAL,
        { i: { customerId, returnUrl: `${APP_ORIGIN}/account` } },
        app,
      );
      const lifetime = new Date(result.data!.createPortalSession.expiresAt).getTime() - before;
      expect(lifetime).toBeGreaterThan(10 * 60_000 - 5_000);
      expect(lifetime).toBeLessThanOrEqual(10 * 60_000 + 1_000);
    });

    it('refuses URLs off the app’s origins, naming each field', async () => {
      const result = await api.graphql(
        CHECKOUT,
        {
          i: checkoutInput({
            successUrl: 'https://evil.example.test/done',
            cancelUrl: 'https://user:pw@app.example.test/x',
          }),
        },
        app,
      );
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: {
          'input.successUrl': `must be on one of the app's return origins (${APP_ORIGIN}, http://localhost:5173)`,
          'input.cancelUrl': 'must be an http(s) URL without credentials',
        },
      });
      const portal = await api.graphql(PORTAL, { i: { customerId, returnUrl: 'javascript:alert(1)' } }, app);
      expect(portal.errors?.[0]?.extensions?.fields).toEqual({
        'input.returnUrl': 'must be an http(s) URL without credentials',
      });
    });

    it('is for the app’s own customers and active plans only', async () => {
      const other = await api.graphql(CHECKOUT, { i: checkoutInput({ customerId: otherCustomerId }) }, app);
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const archived = await aPlan(orm.em);
      await archivePlan(orm.em.fork(), adminCaller, archived.id);
      const refused = await api.graphql(CHECKOUT, { i: checkoutInput({ planId: archived.id }) }, app);
      expect(refused.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: { 'input.planId': 'must be an ACTIVE plan (this one is archived)' },
      });
      // An administrator may make one for any app's customer; it is bound by that app's origins.
      const byAdmin = await api.graphql(CHECKOUT, { i: checkoutInput() }, admin);
      expect(byAdmin.errors).toBeUndefined();
    });
  });

  describe('redeeming', () => {
    it('answers what the page is for, with a 30-minute token for that customer and no refresh token', async () => {
      const link = await checkout();
      const result = await api.graphql<{ redeemHostedSession: Record<string, unknown> }>(REDEEM, { t: tokenOf(link) });
      expect(result.errors).toBeUndefined();
      const login = result.data!.redeemHostedSession;
      expect(login).toMatchObject({
        kind: 'CHECKOUT',
        customer: { id: customerId },
        plan: { id: planId },
        quantity: 2,
        couponCode: 'KARIBU20',
        successUrl: `${APP_ORIGIN}/billing/done?x=1`,
        cancelUrl: 'http://localhost:5173/pricing',
        returnUrl: null,
      });
      expect(login.appName).toMatch(/^app-/);
      const claims = decodeJwt(login.accessToken as string);
      expect(claims.sub).toMatch(/^hosted:[0-9a-f-]{36}$/);
      expect(claims.exp! - claims.iat!).toBe(30 * 60);
      expect(claims).toMatchObject({ role: 'HOSTED', customerId, apiClientId: appId });
    });

    it('works once: used, expired and unknown tokens are refused, each with its reason', async () => {
      const link = await checkout();
      expect((await api.graphql(REDEEM, { t: tokenOf(link) })).errors).toBeUndefined();
      const reasons = async (token: string) => (await api.graphql(REDEEM, { t: token })).errors?.[0]?.extensions;
      expect(await reasons(tokenOf(link))).toEqual({
        code: 'BAD_USER_INPUT',
        fields: { token: 'has already been used' },
      });
      const stale = await checkout();
      const digest = createHash('sha256').update(tokenOf(stale)).digest();
      await orm.em.fork().nativeUpdate(HostedSession, { tokenHash: digest }, { expiresAt: new Date(Date.now() - 1) });
      expect(await reasons(tokenOf(stale))).toEqual({ code: 'BAD_USER_INPUT', fields: { token: 'has expired' } });
      expect(await reasons('x'.repeat(43))).toEqual({ code: 'BAD_USER_INPUT', fields: { token: 'is not valid' } });
    });

    it('lets exactly one of many concurrent redeems in', async () => {
      const link = await checkout();
      const results = await Promise.all(Array.from({ length: 12 }, () => api.graphql(REDEEM, { t: tokenOf(link) })));
      expect(results.filter((result) => !result.errors)).toHaveLength(1);
      for (const refused of results.filter((result) => result.errors)) {
        expect(refused.errors![0]!.extensions?.fields).toEqual({ token: 'has already been used' });
      }
    });

    it('acts for that one customer only', async () => {
      const link = await checkout();
      const login = await api.graphql<{ redeemHostedSession: { accessToken: string } }>(REDEEM, { t: tokenOf(link) });
      const hosted = { authorization: `Bearer ${login.data!.redeemHostedSession.accessToken}` };
      const own = await api.graphql<{ customer: { id: string } }>(
        'query ($id: ID!) { customer(id: $id) { id } }',
        { id: customerId },
        hosted,
      );
      expect(own.data!.customer.id).toBe(customerId);
      const list = await api.graphql<{ customers: { edges: { node: { id: string } }[] } }>(
        '{ customers(first: 100) { edges { node { id } } } }',
        {},
        hosted,
      );
      expect(list.data!.customers.edges.map((edge) => edge.node.id)).toEqual([customerId]);
      const other = await api.graphql('query ($id: ID!) { customer(id: $id) { id } }', { id: otherCustomerId }, hosted);
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await api.graphql('{ me { id } }', {}, hosted)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const chained = await api.graphql(CHECKOUT, { i: checkoutInput() }, hosted);
      expect(chained.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
