// "Has this customer paid?" for customers an administrator set up, through the GraphQL endpoint: the README's
// walkthrough has the administrator create the customer and the app ask about it. The answer says why access is
// refused (an unknown customer, no subscription, a subscription not in good standing), an administrator can create a
// customer for an app or move one to it, and ask on the app's behalf.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';
import { aPlan, uniqueEmail } from '../../support/fixtures.js';

const ENTITLEMENT = /* GraphQL */ `
  query ($e: String!, $p: String!, $a: ID) {
    entitlement(customerExternalId: $e, product: $p, apiClientId: $a) {
      granted
      reason
      message
      status
    }
  }
`;
const CREATE = /* GraphQL */ `
  mutation ($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
    }
  }
`;
const MOVE = /* GraphQL */ `
  mutation ($input: MoveCustomerInput!) {
    moveCustomer(input: $input) {
      id
    }
  }
`;

describe('entitlement for customers an administrator set up', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;
  let app: { headers: Headers; apiClientId: string };
  let otherApp: { headers: Headers; apiClientId: string };

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
    admin = await adminHeaders(api, orm);
    [app, otherApp] = await Promise.all([
      apiClientHeaders(api, admin, ALL_CLIENT_SCOPES),
      apiClientHeaders(api, admin, ALL_CLIENT_SCOPES),
    ]);
  });

  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  async function createAsAdmin(externalId: string, apiClientId?: string): Promise<string> {
    const result = await api.graphql<{ createCustomer: { id: string } }>(
      CREATE,
      { input: { email: uniqueEmail('ent'), name: 'Njeri Wambui', externalId, apiClientId } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.createCustomer.id;
  }

  const ask = (externalId: string, product: string, headers: Headers, apiClientId?: string) =>
    api.graphql<{ entitlement: { granted: boolean; reason: string; message: string; status: string | null } }>(
      ENTITLEMENT,
      { e: externalId, p: product, a: apiClientId },
      headers,
    );

  async function subscribed(customerId: string, status: Subscription['status']): Promise<string> {
    const plan = await aPlan(orm.em, { amount: 100_000, currency: 'KES', features: ['reports'] });
    const em = orm.em.fork();
    em.create(Subscription, {
      customer: customerId,
      plan: plan.id,
      status,
      billingAnchor: new Date(),
      currentPeriodStart: new Date(Date.now() - 86_400_000 * 40),
      currentPeriodEnd: new Date(Date.now() - 86_400_000 * 10),
    });
    await em.flush();
    return plan.product.code;
  }

  it('says CUSTOMER_NOT_FOUND, with what to do, for a customer that belongs to no app; moving it to the app fixes it', async () => {
    const externalId = `ext-${Date.now()}-a`;
    const customerId = await createAsAdmin(externalId); // as the walkthrough did: no app named
    const product = await subscribed(customerId, 'ACTIVE');

    const before = await ask(externalId, product, app.headers);
    expect(before.data!.entitlement).toMatchObject({ granted: false, reason: 'CUSTOMER_NOT_FOUND', status: null });
    expect(before.data!.entitlement.message).toMatch(/no customer with externalId .* createCustomer\(apiClientId\)/);

    // The answer is held in memory (once the setup's own events have passed); the move's event drops it.
    await eventually('the answer held in memory', async () => {
      expect((await ask(externalId, product, app.headers)).data!.entitlement.reason).toBe('CUSTOMER_NOT_FOUND');
      return api.entitlementCache?.has(app.apiClientId, externalId, product) || undefined;
    });

    const moved = await api.graphql(MOVE, { input: { customerId, apiClientId: app.apiClientId } }, admin);
    expect(moved.errors).toBeUndefined();
    // A NOTIFY arrives after the commit returns: wait for it, as a client asking again a moment later would.
    await eventually('the move to reach the API', async () =>
      api.entitlementCache?.has(app.apiClientId, externalId, product) ? undefined : true,
    );
    expect((await ask(externalId, product, app.headers)).data!.entitlement).toMatchObject({
      granted: true,
      reason: 'SUBSCRIBED',
      status: 'ACTIVE',
    });
    // The other app still knows nothing of it.
    expect((await ask(externalId, product, otherApp.headers)).data!.entitlement.reason).toBe('CUSTOMER_NOT_FOUND');
  });

  it('lets an administrator create a customer for an app, and ask on its behalf; says NO_SUBSCRIPTION, then why not', async () => {
    const externalId = `ext-${Date.now()}-b`;
    const customerId = await createAsAdmin(externalId, app.apiClientId);
    const product = (await aPlan(orm.em)).product.code;

    expect((await ask(externalId, product, app.headers)).data!.entitlement).toMatchObject({
      granted: false,
      reason: 'NO_SUBSCRIPTION',
    });
    const other = await subscribed(customerId, 'PAST_DUE'); // a period that ended 10 days ago: past the grace
    const asked = await ask(externalId, other, admin, app.apiClientId);
    expect(asked.data!.entitlement).toMatchObject({
      granted: false,
      reason: 'SUBSCRIPTION_NOT_IN_GOOD_STANDING',
      status: 'PAST_DUE',
    });

    const withoutApp = await ask(externalId, other, admin);
    expect(withoutApp.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: { apiClientId: expect.stringMatching(/required/) } },
    });
  });

  it('refuses, naming the rule and changing nothing: an app creating for another app, a move onto a taken email, an unknown app', async () => {
    const forOther = await api.graphql(
      CREATE,
      { input: { email: uniqueEmail('ent'), name: 'N', apiClientId: otherApp.apiClientId } },
      app.headers,
    );
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const email = uniqueEmail('taken');
    await api.graphql(CREATE, { input: { email, name: 'First' } }, app.headers);
    const stray = await api.graphql<{ createCustomer: { id: string } }>(
      CREATE,
      { input: { email, name: 'Second' } },
      admin,
    );
    const clash = await api.graphql(
      MOVE,
      { input: { customerId: stray.data!.createCustomer.id, apiClientId: app.apiClientId } },
      admin,
    );
    expect(clash.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringContaining(email),
    });

    const unknown = await api.graphql(
      CREATE,
      { input: { email: uniqueEmail('ent'), name: 'N', apiClientId: '00000000-0000-4000-8000-000000000000' } },
      admin,
    );
    expect(unknown.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: { 'input.apiClientId': 'names no client app' } },
    });
  });
});
