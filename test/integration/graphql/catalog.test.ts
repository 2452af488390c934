// Products, versioned and tiered plans, coupons and entitlement through the GraphQL endpoint.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { Plan, Subscription } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { uniqueCode, uniqueEmail } from '../../support/fixtures.js';

const CREATE_PLAN = `mutation ($i: CreatePlanInput!) {
  createPlan(input: $i) { id familyId version status pricingModel tiers { upTo unitAmount flatAmount } features limits price { amount currency formatted } product { code } }
}`;
const VALIDATE = `query ($c: String!, $p: ID!) { validateCoupon(code: $c, planId: $p) { valid code reason } }`;
const ENTITLEMENT = `query ($e: String!, $p: String!) { entitlement(customerExternalId: $e, product: $p) { granted status planName periodEnd features limits } }`;

describe('catalog, coupons and entitlement', () => {
  let orm: Orm;
  let api: RunningApi;
  let admin: Headers;
  let app: Headers;
  let productId: string;
  let productCode: string;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm, { env: { PAST_DUE_GRACE_DAYS: '3' } });
    admin = await adminHeaders(api, orm);
    const client = await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES);
    app = client.headers;
    productCode = uniqueCode('analytics');
    const product = await api.graphql<{ createProduct: { id: string } }>(
      'mutation ($c: String!) { createProduct(input: { code: $c, name: "Analytics", features: ["dashboards"] }) { id } }',
      { c: productCode },
      app,
    );
    productId = product.data!.createProduct.id;
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const plan = (overrides: Record<string, unknown> = {}) =>
    api.graphql<{ createPlan: { id: string; familyId: string; version: number; status: string } }>(
      CREATE_PLAN,
      { i: { productId, name: 'Pro', amount: 250_000, currency: 'KES', interval: 'MONTH', ...overrides } },
      app,
    );

  it('refuses bad plans naming each field and rule', async () => {
    const bad = await plan({ amount: -1, currency: 'KSH', intervalCount: 0, trialDays: -3 });
    expect(bad.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: {
        'input.amount': 'must not be negative',
        'input.currency': 'must be an ISO 4217 currency code in capitals, e.g. KES or USD',
        'input.intervalCount': 'must be at least 1',
        'input.trialDays': 'must not be negative',
      },
    });
    // A fractional amount is not even a valid SafeInt: refused by GraphQL itself, still BAD_USER_INPUT.
    const fractional = await plan({ amount: 99.5 });
    expect(fractional.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const tiers = await plan({
      pricingModel: 'GRADUATED',
      tiers: [
        { upTo: 10, unitAmount: 100 },
        { upTo: 5, unitAmount: 50 },
      ],
    });
    expect(tiers.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(tiers.errors![0]!.extensions!.fields as object)).toEqual(['input.tiers']);
  });

  it('creates tiered plans with features and limits', async () => {
    const tiered = await plan({
      pricingModel: 'GRADUATED',
      amount: 0,
      tiers: [
        { upTo: 5, unitAmount: 100_000 },
        { upTo: null, unitAmount: 80_000, flatAmount: 50_000 },
      ],
      features: ['dashboards', 'exports'],
      limits: { seats: 50 },
    });
    expect(tiered.errors).toBeUndefined();
    expect(tiered.data!.createPlan).toMatchObject({
      pricingModel: 'GRADUATED',
      tiers: [
        { upTo: 5, unitAmount: 100_000, flatAmount: 0 },
        { upTo: null, unitAmount: 80_000, flatAmount: 50_000 },
      ],
      features: ['dashboards', 'exports'],
      limits: { seats: 50 },
      product: { code: productCode },
    });
  });

  it('makes a new plan version on a price change; existing subscriptions keep theirs; archived plans refuse new ones', async () => {
    const v1 = (await plan()).data!.createPlan;
    const customer = await api.graphql<{ createCustomer: { id: string } }>(
      'mutation ($e: String!) { createCustomer(input: { email: $e, name: "Keeps v1" }) { id } }',
      { e: uniqueEmail() },
      app,
    );
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.data!.createCustomer.id,
      plan: v1.id,
      status: 'ACTIVE',
      billingAnchor: new Date(),
    });
    await em.flush();

    const v2 = await api.graphql<{
      changePlanPrice: { id: string; familyId: string; version: number; price: { amount: number } };
    }>(
      'mutation ($id: ID!) { changePlanPrice(input: { planId: $id, amount: 300000 }) { id familyId version price { amount } } }',
      { id: v1.id },
      app,
    );
    expect(v2.errors).toBeUndefined();
    expect(v2.data!.changePlanPrice).toMatchObject({ familyId: v1.familyId, version: 2, price: { amount: 300_000 } });
    expect((await orm.em.fork().findOneOrFail(Plan, { id: v1.id })).status).toBe('ARCHIVED');
    const kept = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id }, { populate: ['plan'] });
    expect([kept.plan.id, kept.plan.amount]).toEqual([v1.id, 250_000]);

    const again = await api.graphql(
      'mutation ($id: ID!) { changePlanPrice(input: { planId: $id, amount: 1 }) { id } }',
      { id: v1.id },
      app,
    );
    expect(again.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.planId': 'must be the ACTIVE version of the plan' },
    });
    const refused = await api.graphql(
      'mutation ($c: ID!, $p: ID!) { subscribe(input: { customerId: $c, planId: $p }) { id } }',
      { c: customer.data!.createCustomer.id, p: v1.id },
      app,
    );
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.planId': 'must be an ACTIVE plan (this one is archived)' },
    });
  });

  it('validates coupons and says why a code does not apply', async () => {
    const kes = (await plan()).data!.createPlan.id;
    const usd = (await plan({ currency: 'USD', amount: 2_000 })).data!.createPlan.id;
    const coupon = async (fields: string) => {
      const code = `C${randomUUID().slice(0, 8).toUpperCase()}`;
      const created = await api.graphql(
        `mutation { createCoupon(input: { code: "${code}", name: "x", ${fields} }) { id } }`,
        {},
        app,
      );
      expect(created.errors).toBeUndefined();
      return code;
    };
    const check = async (code: string, planId: string) =>
      (
        await api.graphql<{ validateCoupon: { valid: boolean; code: string | null; reason: string | null } }>(
          VALIDATE,
          { c: code, p: planId },
          app,
        )
      ).data!.validateCoupon;

    const karibu = await coupon('percentOffBasisPoints: 2000, duration: REPEATING, durationInPeriods: 3');
    expect(await check(karibu.toLowerCase(), kes)).toEqual({ valid: true, code: null, reason: null });
    const kesOnly = await coupon('amountsOff: { KES: 50000 }, duration: ONCE');
    expect((await check(kesOnly, usd)).code).toBe('CURRENCY_NOT_SUPPORTED');
    const expired = await coupon('percentOffBasisPoints: 1000, duration: ONCE, redeemBy: "2020-01-01T00:00:00Z"');
    expect(await check(expired, kes)).toMatchObject({
      valid: false,
      code: 'EXPIRED',
      reason: 'This code expired on 2020-01-01.',
    });
    const onlyUsd = await coupon(`percentOffBasisPoints: 1000, duration: FOREVER, planIds: ["${usd}"]`);
    expect((await check(onlyUsd, kes)).code).toBe('PLAN_NOT_ELIGIBLE');
    expect((await check('NOSUCHCODE', kes)).code).toBe('NOT_FOUND');

    const bad = await api.graphql(
      'mutation { createCoupon(input: { code: "BAD1", name: "x", duration: REPEATING, percentOffBasisPoints: 20000 }) { id } }',
      {},
      app,
    );
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(bad.errors![0]!.extensions!.fields as object).sort()).toEqual([
      'input.durationInPeriods',
      'input.percentOffBasisPoints',
    ]);
    const duplicate = await api.graphql(
      `mutation { createCoupon(input: { code: "${karibu}", name: "x", percentOffBasisPoints: 1, duration: ONCE }) { id } }`,
      {},
      app,
    );
    expect(duplicate.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('answers entitlement from the subscription state, with the plan’s features and limits', async () => {
    const pro = (await plan({ features: ['dashboards'], limits: { seats: 10 } })).data!.createPlan.id;
    const entitlementFor = async (status: string, currentPeriodStart: Date | null) => {
      const externalId = `ent-${randomUUID()}`;
      const customer = await api.graphql<{ createCustomer: { id: string } }>(
        'mutation ($e: String!, $x: String!) { createCustomer(input: { email: $e, name: "E", externalId: $x }) { id } }',
        { e: uniqueEmail(), x: externalId },
        app,
      );
      const em = orm.em.fork();
      em.create(Subscription, {
        customer: customer.data!.createCustomer.id,
        plan: pro,
        status: status as never,
        billingAnchor: new Date(),
        currentPeriodStart,
        currentPeriodEnd: currentPeriodStart ? new Date(currentPeriodStart.getTime() + 30 * 86_400_000) : null,
      });
      await em.flush();
      const result = await api.graphql<{
        entitlement: { granted: boolean; status: string; features: string[]; limits: object };
      }>(ENTITLEMENT, { e: externalId, p: productCode }, app);
      expect(result.errors).toBeUndefined();
      return result.data!.entitlement;
    };
    const now = Date.now();
    expect(await entitlementFor('ACTIVE', new Date(now))).toMatchObject({
      granted: true,
      status: 'ACTIVE',
      features: ['dashboards'],
      limits: { seats: 10 },
    });
    expect(await entitlementFor('TRIALING', null)).toMatchObject({ granted: true, status: 'TRIALING' });
    expect(await entitlementFor('PAST_DUE', new Date(now - 2 * 86_400_000))).toMatchObject({
      granted: true,
      status: 'PAST_DUE',
    });
    expect(await entitlementFor('PAST_DUE', new Date(now - 4 * 86_400_000))).toMatchObject({
      granted: false,
      status: 'PAST_DUE',
      features: [],
      limits: {},
    });
    expect(await entitlementFor('CANCELED', new Date(now))).toMatchObject({ granted: false, status: 'CANCELED' });

    const nobody = await api.graphql<{ entitlement: { granted: boolean; status: null } }>(
      ENTITLEMENT,
      { e: 'nobody', p: productCode },
      app,
    );
    expect(nobody.data!.entitlement).toMatchObject({ granted: false, status: null });
  });
});
