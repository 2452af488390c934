// Coupons from redemption to invoice, on the real Postgres: subscribe redeems a code (counted once, under
// concurrency too), and each period's invoice takes off what the coupon's duration still allows.
import { SubscriptionLifecycle } from '../../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expireCoupon } from '../../../src/catalog/expireCoupon.js';
import { ValidationError } from '../../../src/kernel/errors.js';
import { applyPlanChange } from '../../../src/billing/changes/applyPlanChange.js';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { billingPeriod } from '../../../src/domain/billingPeriod.js';
import { subscribe, type SubscribeInput } from '../../../src/billing/subscribe.js';
import { createCoupon, type createCouponSchema } from '../../../src/catalog/coupons.js';
import type { CreatePlanInput } from '../../../src/catalog/createPlan.js';
import type { Orm } from '../../../src/db/orm.js';
import { Coupon, Invoice, InvoiceLine, Subscription } from '../../../src/entities/index.js';
import type { z } from 'zod';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { timeSkippingEnvironment } from '../../support/temporal.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually } from '../../support/eventually.js';
import { aCustomer, admin, aPlan } from '../../support/fixtures.js';

type CouponInput = Omit<z.input<typeof createCouponSchema>, 'code' | 'name'>;

describe('coupons across billing periods', () => {
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  // Workflows start on a real (time-skipping) server, but no worker polls this queue: each test calls
  // issuePeriodInvoice itself for the periods it looks at, so the invoices are exactly the ones it asks for.
  let temporal: SubscriptionLifecycle;

  beforeAll(async () => {
    [orm, env] = await Promise.all([testOrm(), timeSkippingEnvironment()]);
    temporal = new SubscriptionLifecycle(env.client, `coupon-tests-${randomUUID()}`);
  });
  afterAll(async () => {
    await env?.teardown();
    await orm?.close();
  });

  async function aCoupon(terms: CouponInput) {
    const code = `T${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
    return createCoupon(orm.em.fork(), admin, { code, name: `Test ${code}`, ...terms });
  }

  /** A plan billed from the moment of subscribing (no trial), so period 0 is the first invoice. */
  function aPlanWithoutTrial(overrides: Partial<CreatePlanInput>) {
    return aPlan(orm.em, { interval: 'MONTH', trialDays: 0, ...overrides });
  }

  async function subscribeWith(planId: string, couponCode: string | null, extra: Partial<SubscribeInput> = {}) {
    const customer = await aCustomer(orm.em);
    const subscription = await subscribe(orm.em.fork(), admin, temporal, testCipher(), {
      customerId: customer.id,
      planId,
      couponCode,
      ...extra,
    });
    return { customer, subscription };
  }

  async function invoice(subscriptionId: string, periodIndex: number) {
    const issued = await issuePeriodInvoice(orm.em, { subscriptionId, periodIndex });
    const lines = await orm.em
      .fork()
      .find(InvoiceLine, { invoice: issued.invoiceId }, { orderBy: { position: 'asc' } });
    return { issued, lines };
  }

  const timesRedeemed = async (couponId: string) =>
    (await orm.em.fork().findOneOrFail(Coupon, { id: couponId })).timesRedeemed;

  /** The fields of the ValidationError the promise rejects with; fails the test if it does anything else. */
  async function refusalOf(promise: Promise<unknown>): Promise<Record<string, string>> {
    const error = await promise.then(
      () => {
        throw new Error('expected a refusal, but the request succeeded');
      },
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }

  it('REPEATING(3) at 25 % takes 62,500 off a KES 2,500.00 plan in periods 0, 1 and 2, and nothing in period 3', async () => {
    const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
    const coupon = await aCoupon({ percentOffBasisPoints: 2_500, duration: 'REPEATING', durationInPeriods: 3 });
    const { subscription } = await subscribeWith(plan.id, coupon.code);

    const stored = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id });
    expect(stored.coupon?.id).toBe(coupon.id);
    expect(stored.couponRedeemedAtPeriod).toBe(0);
    expect(await timesRedeemed(coupon.id)).toBe(1);

    for (const period of [0, 1, 2]) {
      const { issued, lines } = await invoice(subscription.id, period);
      expect(issued).toMatchObject({ total: 187_500, amountDue: 187_500, currency: 'KES', created: true });
      expect(lines.map((l) => [l.kind, l.quantity, l.unitAmount, l.amount])).toEqual([
        ['PLAN', 1, 250_000, 250_000],
        ['DISCOUNT', 1, -62_500, -62_500],
      ]);
      expect(lines[1]!.description).toBe(`Coupon ${coupon.code}: 25 % off (period ${period + 1} of 3)`);
      expect(lines[1]!.periodStart).toEqual(lines[0]!.periodStart);
    }
    const last = await invoice(subscription.id, 3);
    expect(last.issued).toMatchObject({ total: 250_000, amountDue: 250_000 });
    expect(last.lines.map((l) => l.kind)).toEqual(['PLAN']);

    // Re-running a discounted period adds nothing: the invoice exists, with the lines it had.
    const again = await invoice(subscription.id, 1);
    expect(again.issued).toMatchObject({ created: false, total: 187_500 });
    expect(again.lines).toHaveLength(2);
    const invoices = await orm.em
      .fork()
      .find(Invoice, { subscription: subscription.id }, { orderBy: { periodIndex: 'asc' } });
    expect(invoices.map((i) => [i.periodIndex, i.subtotal, i.total])).toEqual([
      [0, 250_000, 187_500],
      [1, 250_000, 187_500],
      [2, 250_000, 187_500],
      [3, 250_000, 250_000],
    ]);
  });

  it.each([
    // coupon, the period's price before and after it: USD 20.00 -> 50.00 at half the period
    ['20 % off, FOREVER', { percentOffBasisPoints: 2_000, duration: 'FOREVER' as const }, 1_600, 4_000],
    ['USD 5.00 off, FOREVER', { amountsOff: { USD: 500 }, duration: 'FOREVER' as const }, 1_500, 4_500],
    // A coupon used up before this period prices nothing down.
    ['20 % off, ONCE (used in period 0)', { percentOffBasisPoints: 2_000, duration: 'ONCE' as const }, 2_000, 5_000],
  ])('prorates an upgrade at the prices the period is billed at: %s', async (_name, terms, before, after) => {
    const small = await aPlanWithoutTrial({ amount: 2_000, currency: 'USD' });
    const large = await aPlan(orm.em, {
      productId: small.product.id,
      amount: 5_000,
      currency: 'USD',
      interval: 'MONTH',
      trialDays: 0,
    });
    const coupon = await aCoupon(terms);
    const { subscription } = await subscribeWith(small.id, coupon.code);
    const stored = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id });
    const periodIndex = terms.duration === 'ONCE' ? 1 : 0;
    const period = billingPeriod(stored.billingAnchor, small, periodIndex);
    for (let index = 0; index <= periodIndex; index++) await invoice(subscription.id, index);

    // Exactly half of the period left: credit half the old price, charge half the new one, both as billed.
    const applied = await applyPlanChange(orm.em, {
      subscriptionId: subscription.id,
      planId: large.id,
      quantity: 1,
      periodIndex,
      changeAt: new Date((period.start.getTime() + period.end.getTime()) / 2).toISOString(),
      changeId: randomUUID(),
    });
    expect(applied).toMatchObject({ net: (after - before) / 2, currency: 'USD' });
    const lines = await orm.em
      .fork()
      .find(InvoiceLine, { invoice: applied.invoiceId! }, { orderBy: { position: 'asc' } });
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([
      ['PRORATION_CREDIT', -before / 2],
      ['PRORATION_CHARGE', after / 2],
    ]);
    expect(lines[0]!.description.includes(`after coupon ${coupon.code}`)).toBe(terms.duration !== 'ONCE');
  });

  it('ONCE, USD 5.00 off a USD 20.00 plan: only period 0; the code is accepted in any case', async () => {
    const plan = await aPlanWithoutTrial({ amount: 2_000, currency: 'USD' });
    const coupon = await aCoupon({ amountsOff: { USD: 500, KES: 50_000 }, duration: 'ONCE' });
    const { subscription } = await subscribeWith(plan.id, ` ${coupon.code.toLowerCase()} `);

    const first = await invoice(subscription.id, 0);
    expect(first.issued).toMatchObject({ total: 1_500, amountDue: 1_500 });
    expect(first.lines.map((l) => [l.kind, l.amount, l.description.startsWith('Coupon') ? l.description : ''])).toEqual(
      [
        ['PLAN', 2_000, ''],
        ['DISCOUNT', -500, `Coupon ${coupon.code}: USD 5.00 off`],
      ],
    );
    for (const period of [1, 2]) {
      const later = await invoice(subscription.id, period);
      expect(later.issued).toMatchObject({ total: 2_000, amountDue: 2_000 });
      expect(later.lines.map((l) => l.kind)).toEqual(['PLAN']);
    }
  });

  it('FOREVER at 10 % discounts every period, computed on the whole plan line (quantity 3)', async () => {
    // 3 × USD 19.99 = 5,997 cents; 10 % is 599.7, rounded half up to 600.
    const plan = await aPlanWithoutTrial({ amount: 1_999, currency: 'USD' });
    const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'FOREVER' });
    const { subscription } = await subscribeWith(plan.id, coupon.code, { quantity: 3 });

    for (const period of [0, 1, 2, 3, 4, 5]) {
      const { issued, lines } = await invoice(subscription.id, period);
      expect(issued).toMatchObject({ total: 5_397, amountDue: 5_397 });
      expect(lines.map((l) => [l.kind, l.quantity, l.unitAmount, l.amount])).toEqual([
        ['PLAN', 3, 1_999, 5_997],
        ['DISCOUNT', 1, -600, -600],
      ]);
      expect(lines[1]!.description).toBe(`Coupon ${coupon.code}: 10 % off`);
    }
  });

  it('a 100 % ONCE coupon gives a first invoice of 0, still issued, then full price', async () => {
    const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
    const coupon = await aCoupon({ percentOffBasisPoints: 10_000, duration: 'ONCE' });
    const { subscription } = await subscribeWith(plan.id, coupon.code);

    const first = await invoice(subscription.id, 0);
    expect(first.issued).toMatchObject({ created: true, total: 0, amountDue: 0, invoiceStatus: 'OPEN' });
    expect(first.issued.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(first.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['PLAN', 250_000],
      ['DISCOUNT', -250_000],
    ]);
    expect(first.lines[1]!.description).toBe(`Coupon ${coupon.code}: 100 % off`);
    expect((await invoice(subscription.id, 1)).issued).toMatchObject({ total: 250_000, amountDue: 250_000 });
  });

  // discountAmount's rule: amount × basis points / 10,000, rounded half up to a whole minor unit of the currency
  // (exact, in BigInt; a half goes up, not to even). JPY has no minor unit, so it rounds to whole yen. KES is then
  // rounded to whole shillings (collectableAmount): M-Pesa cannot collect cents.
  it.each([
    { currency: 'KES', amount: 999, basisPoints: 1_250, discount: 100, shown: '12.5' }, // 124.875 -> 125 -> 100
    { currency: 'KES', amount: 100_001, basisPoints: 5_000, discount: 50_000, shown: '50' }, // 50,000.5 -> 50,001 -> 50,000
    { currency: 'KES', amount: 250_000, basisPoints: 333, discount: 8_300, shown: '3.33' }, // 8,325 -> 8,300
    { currency: 'KES', amount: 250_000, basisPoints: 1_250, discount: 31_300, shown: '12.5' }, // 31,250 -> 31,300
    { currency: 'USD', amount: 1_005, basisPoints: 1_000, discount: 101, shown: '10' }, // 100.5: up, not to even
    { currency: 'USD', amount: 1_004, basisPoints: 1_000, discount: 100, shown: '10' }, // 100.4
    { currency: 'USD', amount: 1, basisPoints: 1, discount: 0, shown: '0.01' }, // 0.0001: nothing to take off
    { currency: 'JPY', amount: 1_234, basisPoints: 1_250, discount: 154, shown: '12.5' }, // 154.25
    { currency: 'JPY', amount: 999, basisPoints: 5_000, discount: 500, shown: '50' }, // 499.5
    { currency: 'JPY', amount: 15, basisPoints: 3_333, discount: 5, shown: '33.33' }, // 4.9995
  ])(
    '$basisPoints bp of $currency $amount (minor units) takes off $discount',
    async ({ currency, amount, basisPoints, discount, shown }) => {
      const plan = await aPlanWithoutTrial({ amount, currency });
      const coupon = await aCoupon({ percentOffBasisPoints: basisPoints, duration: 'ONCE' });
      const { subscription } = await subscribeWith(plan.id, coupon.code);
      const { issued, lines } = await invoice(subscription.id, 0);
      expect(issued).toMatchObject({ currency, total: amount - discount, amountDue: amount - discount });
      // A discount that rounds to nothing leaves no line.
      expect(lines.map((l) => [l.kind, l.amount])).toEqual(
        discount === 0
          ? [['PLAN', amount]]
          : [
              ['PLAN', amount],
              ['DISCOUNT', -discount],
            ],
      );
      if (discount > 0) expect(lines[1]!.description).toBe(`Coupon ${coupon.code}: ${shown} % off`);
    },
  );

  describe('refusals: a ValidationError on input.couponCode with the reason, and nothing written', () => {
    async function expectRefused(planId: string, couponCode: string, reason: string, coupon?: Coupon) {
      const customer = await aCustomer(orm.em);
      const redeemedBefore = coupon ? await timesRedeemed(coupon.id) : 0;
      const fields = await refusalOf(
        subscribe(orm.em.fork(), admin, temporal, testCipher(), {
          customerId: customer.id,
          planId,
          couponCode,
          idempotencyKey: `refused-${randomUUID()}`,
        }),
      );
      expect(fields).toEqual({ 'input.couponCode': reason });
      expect(await orm.em.fork().count(Subscription, { customer: customer.id })).toBe(0);
      if (coupon) expect(await timesRedeemed(coupon.id)).toBe(redeemedBefore);
    }

    it('an unknown code', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      await expectRefused(plan.id, `NOPE${randomUUID().slice(0, 8)}`, 'There is no such code.');
    });

    it('a blank code', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      await expectRefused(plan.id, '   ', 'must not be blank');
    });

    it('an expired code', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({
        percentOffBasisPoints: 1_000,
        duration: 'ONCE',
        redeemBy: new Date('2020-01-01T12:00:00Z'),
      });
      await expectRefused(plan.id, coupon.code, 'This code expired on 2020-01-01.', coupon);
    });

    it('a code an operator expired, while a subscription that redeemed it before keeps its discount', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'REPEATING', durationInPeriods: 2 });
      const { subscription } = await subscribeWith(plan.id, coupon.code);
      expect((await expireCoupon(orm.em.fork(), admin, coupon.id)).active).toBe(false);
      expect((await expireCoupon(orm.em.fork(), admin, coupon.id)).active).toBe(false); // twice: no change
      await expectRefused(plan.id, coupon.code, 'This code is not active.', coupon);
      const { issued } = await invoice(subscription.id, 1);
      expect(issued).toMatchObject({ total: 225_000 });
    });

    it('a code used the maximum number of times', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'ONCE', maxRedemptions: 1 });
      await subscribeWith(plan.id, coupon.code);
      expect(await timesRedeemed(coupon.id)).toBe(1);
      await expectRefused(plan.id, coupon.code, 'This code has already been used the maximum number of times.', coupon);
    });

    it('a code limited to other plans', async () => {
      const [plan, other] = await Promise.all([
        aPlanWithoutTrial({ amount: 250_000, currency: 'KES' }),
        aPlanWithoutTrial({ amount: 250_000, currency: 'KES' }),
      ]);
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'ONCE', planIds: [other.id] });
      await expectRefused(plan.id, coupon.code, 'This code cannot be used with this plan.', coupon);
      // The plan it names takes it.
      await subscribeWith(other.id, coupon.code);
      expect(await timesRedeemed(coupon.id)).toBe(1);
    });

    it('a fixed-amount code in another currency', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ amountsOff: { USD: 500 }, duration: 'ONCE' });
      await expectRefused(plan.id, coupon.code, 'This code cannot be used for payments in KES.', coupon);
    });
  });

  describe('redemptions under concurrency', () => {
    /**
     * Sends the subscribes while another transaction holds the coupon's row, and lets go only once `waiting` of
     * them queue on it: each has then passed the early check, so only the conditional increment can stop the extra
     * ones. (Left to chance, two requests rarely overlap that closely.) Each waiting request holds a pooled
     * connection, and the pool has 10, so the holder, the requests and the probe must fit in them.
     */
    async function whileCouponHeld<T>(
      couponId: string,
      waiting: number,
      requests: () => Promise<T>[],
    ): Promise<PromiseSettledResult<T>[]> {
      const holder = orm.em.fork();
      await holder.begin();
      let settled: Promise<PromiseSettledResult<T>[]>;
      try {
        // Not FOR UPDATE: that would stop the inserts at their foreign-key check, before the increment.
        await holder.execute('select id from coupons where id = ? for no key update', [couponId]);
        settled = Promise.allSettled(requests());
        await eventually(`${waiting} redemptions waiting on the coupon`, async () => {
          const [row] = await orm.em.fork().execute<{ n: number }[]>(
            `select count(*)::int as n from pg_stat_activity
             where wait_event_type = 'Lock' and query like ?`,
            [`%${couponId}%`],
          );
          return row!.n >= waiting ? true : undefined;
        });
      } finally {
        await holder.commit();
      }
      return settled;
    }

    it('two subscribes racing for the last redemption: exactly one wins', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'ONCE', maxRedemptions: 2 });
      await subscribeWith(plan.id, coupon.code);
      const [first, second] = await Promise.all([aCustomer(orm.em), aCustomer(orm.em)]);

      const results = await whileCouponHeld(coupon.id, 2, () =>
        [first, second].map((customer) =>
          subscribe(orm.em.fork(), admin, temporal, testCipher(), {
            customerId: customer.id,
            planId: plan.id,
            couponCode: coupon.code,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [lost] = results.filter((r) => r.status === 'rejected');
      expect(lost!.reason).toBeInstanceOf(ValidationError);
      expect((lost!.reason as ValidationError).fields).toEqual({
        'input.couponCode': 'This code has already been used the maximum number of times.',
      });
      expect(await timesRedeemed(coupon.id)).toBe(2);
      expect(await orm.em.fork().count(Subscription, { customer: { $in: [first.id, second.id] } })).toBe(1);
      expect(await orm.em.fork().count(Subscription, { coupon: coupon.id })).toBe(2);
    });

    it('six subscribes racing for three redemptions: three win, and the count stops at three', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'FOREVER', maxRedemptions: 3 });
      const customers = await Promise.all(Array.from({ length: 6 }, () => aCustomer(orm.em)));
      const results = await whileCouponHeld(coupon.id, 6, () =>
        customers.map((customer) =>
          subscribe(orm.em.fork(), admin, temporal, testCipher(), {
            customerId: customer.id,
            planId: plan.id,
            couponCode: coupon.code,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof ValidationError)).toBe(
        true,
      );
      expect(await timesRedeemed(coupon.id)).toBe(3);
      expect(await orm.em.fork().count(Subscription, { coupon: coupon.id })).toBe(3);
    });

    it('a replayed request (same Idempotency-Key) redeems once, also when the replay races the original', async () => {
      const plan = await aPlanWithoutTrial({ amount: 250_000, currency: 'KES' });
      const coupon = await aCoupon({ percentOffBasisPoints: 1_000, duration: 'ONCE', maxRedemptions: 1 });
      const customer = await aCustomer(orm.em);
      const idempotencyKey = `coupon-race-${randomUUID()}`;
      const input = { customerId: customer.id, planId: plan.id, couponCode: coupon.code, idempotencyKey };

      // One request waits to count its redemption, the other behind the first one's insert of the same key.
      const settled = await whileCouponHeld(coupon.id, 2, () =>
        [0, 1].map(() => subscribe(orm.em.fork(), admin, temporal, testCipher(), input)),
      );
      const racing = settled.map((result) => {
        if (result.status === 'rejected') throw result.reason;
        return result.value;
      });
      expect(racing[0]!.id).toBe(racing[1]!.id);
      const replay = await subscribe(orm.em.fork(), admin, temporal, testCipher(), input);
      expect(replay.id).toBe(racing[0]!.id);
      expect(await timesRedeemed(coupon.id)).toBe(1);
      expect(await orm.em.fork().count(Subscription, { customer: customer.id })).toBe(1);
    });
  });
});
