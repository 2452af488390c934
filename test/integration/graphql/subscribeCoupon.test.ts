// subscribe(input: { couponCode }) over HTTP: a code that cannot be used is BAD_USER_INPUT naming input.couponCode
// with the reason, and one that can is redeemed and shows on the first invoice as a DISCOUNT line. Workflows start
// on the time-skipping test server; no worker runs, so the test issues the invoice itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { createCoupon } from '../../../src/catalog/coupons.js';
import type { Orm } from '../../../src/db/orm.js';
import { Coupon, Subscription } from '../../../src/entities/index.js';
import { startApi, type GraphQLResult, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, admin, aPlan } from '../../support/fixtures.js';
import { timeSkippingEnvironment } from '../../support/temporal.js';

const SUBSCRIBE = /* GraphQL */ `
  mutation ($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
    }
  }
`;
const INVOICES = /* GraphQL */ `
  query ($id: ID!) {
    subscription(id: $id) {
      invoices {
        periodIndex
        subtotal {
          amount
        }
        total {
          amount
          currency
        }
        amountDue {
          amount
        }
        lines {
          kind
          description
          amount {
            amount
          }
        }
      }
    }
  }
`;

describe('subscribe with a coupon code (GraphQL)', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let api: RunningApi;
  let headers: Headers;

  beforeAll(async () => {
    [orm, env] = await Promise.all([testOrm(), timeSkippingEnvironment()]);
    api = await startApi(orm, { temporal: env.client, taskQueue: `coupon-graphql-${randomUUID()}` });
    headers = await adminHeaders(api, orm);
  });
  afterAll(async () => {
    await api?.stop();
    await env?.teardown();
    await orm?.close();
  });

  const aCoupon = (terms: Record<string, unknown>) => {
    const code = `G${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
    return createCoupon(orm.em.fork(), admin, { code, name: `GraphQL ${code}`, duration: 'ONCE', ...terms });
  };

  const subscribeWith = (input: Record<string, unknown>) =>
    api.graphql<{ subscribe: { id: string; status: string } }>(SUBSCRIBE, { input }, headers);

  it('refuses a coupon in another currency as BAD_USER_INPUT on input.couponCode, and writes nothing', async () => {
    const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { currency: 'KES', trialDays: 0 })]);
    const coupon = await aCoupon({ amountsOff: { USD: 500 } });

    const result: GraphQLResult<unknown> = await subscribeWith({
      customerId: customer.id,
      planId: plan.id,
      couponCode: coupon.code,
    });
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.couponCode': 'This code cannot be used for payments in KES.' },
    });
    expect(await orm.em.fork().count(Subscription, { customer: customer.id })).toBe(0);
    expect((await orm.em.fork().findOneOrFail(Coupon, { id: coupon.id })).timesRedeemed).toBe(0);

    const unknown = await subscribeWith({ customerId: customer.id, planId: plan.id, couponCode: 'NO-SUCH-CODE' });
    expect(unknown.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.couponCode': 'There is no such code.' },
    });
  });

  it('redeems a valid code, and the first invoice carries the discount', async () => {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 250_000, currency: 'KES', trialDays: 0 }),
    ]);
    const coupon = await aCoupon({ percentOffBasisPoints: 2_500, duration: 'REPEATING', durationInPeriods: 3 });

    const result = await subscribeWith({
      customerId: customer.id,
      planId: plan.id,
      couponCode: coupon.code.toLowerCase(),
    });
    expect(result.errors).toBeUndefined();
    const { id } = result.data!.subscribe;
    expect((await orm.em.fork().findOneOrFail(Coupon, { id: coupon.id })).timesRedeemed).toBe(1);
    // The workflow was started for it (and waits for a worker that this test does not run).
    expect((await env.client.workflow.getHandle(`subscription-${id}`).describe()).status.name).toBe('RUNNING');

    await issuePeriodInvoice(orm.em, { subscriptionId: id, periodIndex: 0 });
    const invoices = await api.graphql<{
      subscription: {
        invoices: {
          periodIndex: number;
          subtotal: { amount: number };
          total: { amount: number; currency: string };
          amountDue: { amount: number };
          lines: { kind: string; description: string; amount: { amount: number } }[];
        }[];
      };
    }>(INVOICES, { id }, headers);
    expect(invoices.errors).toBeUndefined();
    expect(invoices.data!.subscription.invoices).toEqual([
      {
        periodIndex: 0,
        subtotal: { amount: 250_000 },
        total: { amount: 187_500, currency: 'KES' },
        amountDue: { amount: 187_500 },
        lines: [
          { kind: 'PLAN', description: expect.stringContaining(plan.name), amount: { amount: 250_000 } },
          {
            kind: 'DISCOUNT',
            description: `Coupon ${coupon.code}: 25 % off (period 1 of 3)`,
            amount: { amount: -62_500 },
          },
        ],
      },
    ]);
  });
});
