// Customer credit on the real Postgres: a downgrade made mid-period credits the unused difference, and the
// customer's next invoices spend it before anything is charged. Granted once per change, spent once per invoice,
// and never twice when two invoices of one customer are issued at the same moment.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { applyPlanChange } from '../../../../src/billing/changes/applyPlanChange.js';
import { grantCredit } from '../../../../src/billing/changes/customerCredit.js';
import { endSubscription } from '../../../../src/billing/changes/endSubscription.js';
import { issuePeriodInvoice } from '../../../../src/billing/changes/issuePeriodInvoice.js';
import { Customer, Invoice, Subscription } from '../../../../src/entities/index.js';
import { apiForSuite } from '../../../support/api.js';
import { adminHeaders } from '../../../support/callers.js';
import { aPlan, uniqueEmail } from '../../../support/fixtures.js';

// A 31-day January, far from any other test's periods.
const JANUARY = new Date(Date.UTC(2031, 0, 1));
const MID_JANUARY = new Date(Date.UTC(2031, 0, 16, 12));

describe('customer credit', () => {
  const suite = apiForSuite();

  async function aCustomerWith(plans: { planId: string }[]) {
    const em = suite.orm.em.fork();
    const customer = em.create(Customer, { email: uniqueEmail('credit'), name: 'Credit customer' });
    const subscriptions = plans.map(({ planId }) =>
      em.create(Subscription, { customer, plan: planId, status: 'ACTIVE', billingAnchor: JANUARY }),
    );
    await em.flush();
    return { customerId: customer.id, subscriptionIds: subscriptions.map((s) => s.id) };
  }

  const balanceOf = async (customerId: string, currency = 'USD') => {
    const [row] = await suite.orm.em
      .fork()
      .execute<{ balance: string }[]>(
        'select coalesce(sum(amount), 0)::text as balance from customer_credits where customer_id = ? and currency = ?',
        [customerId, currency],
      );
    return Number(row!.balance);
  };

  /** A change to `planId` in the middle of January (period 0), under a new change id. */
  const halfwayTo = (subscriptionId: string, planId: string) => ({
    subscriptionId,
    planId,
    quantity: 1,
    periodIndex: 0,
    changeAt: MID_JANUARY.toISOString(),
    changeId: randomUUID(),
  });

  const exemptCustomer = async (customerId: string) =>
    (await suite.orm.em.fork().findOneOrFail(Customer, { id: customerId })).taxExempt;

  const usdPlan = (amount: number) => aPlan(suite.orm.em, { amount, currency: 'USD', interval: 'MONTH', trialDays: 0 });

  it('credits half the difference for a downgrade at half the period; the next invoice spends it first', async () => {
    const [large, small] = await Promise.all([usdPlan(5_000), usdPlan(2_000)]);
    const { customerId, subscriptionIds } = await aCustomerWith([{ planId: large.id }]);
    const subscriptionId = subscriptionIds[0]!;
    expect((await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 0 })).amountDue).toBe(5_000);

    // 15.5 of January's 31 days are left: half of the 3,000 difference comes back.
    const change = halfwayTo(subscriptionId, small.id);
    expect(await applyPlanChange(suite.orm.em, change)).toEqual({ invoiceId: null, net: -1_500, currency: 'USD' });
    // A retried activity grants nothing more.
    await applyPlanChange(suite.orm.em, change);
    expect(await balanceOf(customerId)).toBe(1_500);

    const february = await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 1 });
    expect(february).toMatchObject({ total: 2_000, amountDue: 500, created: true });
    const again = await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 1 });
    expect(again).toMatchObject({ total: 2_000, amountDue: 500, created: false });
    expect(await balanceOf(customerId)).toBe(0);

    // Through GraphQL: the invoice shows what credit paid, the customer what is left.
    const admin = await adminHeaders(suite.api, suite.orm);
    const read = await suite.api.graphql<{
      invoice: { total: { amount: number }; creditApplied: { amount: number }; amountDue: { amount: number } };
      customer: { creditBalance: { amount: number }[] };
    }>(
      'query ($i: ID!, $c: ID!) { invoice(id: $i) { total { amount } creditApplied { amount } amountDue { amount } } customer(id: $c) { creditBalance { amount currency } } }',
      { i: february.invoiceId, c: customerId },
      admin,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.invoice).toEqual({
      total: { amount: 2_000 },
      creditApplied: { amount: 1_500 },
      amountDue: { amount: 500 },
    });
    expect(read.data!.customer.creditBalance).toEqual([]);
  });

  it('credits a downgrade with the VAT it was billed with, and none to a customer exempt from VAT', async () => {
    const vat = { rateBasisPoints: 1_600, name: 'VAT' };
    const [large, small] = await Promise.all([usdPlan(5_000), usdPlan(2_000)]);
    const downgradeHalfway = async (customerId: string, subscriptionId: string) => {
      expect((await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 0 }, vat)).total).toBe(
        (await exemptCustomer(customerId)) ? 5_000 : 5_800,
      );
      const change = halfwayTo(subscriptionId, small.id);
      // The result's net stays the difference before tax (what the workflow records); the credit carries the tax.
      expect(await applyPlanChange(suite.orm.em, change, vat)).toEqual({
        invoiceId: null,
        net: -1_500,
        currency: 'USD',
      });
      return balanceOf(customerId);
    };
    // Half of January on 5,000 + 16 % came back, less half of it on 2,000 + 16 %: 2,900 - 1,160 = 1,740.
    const taxed = await aCustomerWith([{ planId: large.id }]);
    expect(await downgradeHalfway(taxed.customerId, taxed.subscriptionIds[0]!)).toBe(1_740);
    const exempt = await aCustomerWith([{ planId: large.id }]);
    await suite.orm.em.fork().nativeUpdate(Customer, { id: exempt.customerId }, { taxExempt: true });
    expect(await downgradeHalfway(exempt.customerId, exempt.subscriptionIds[0]!)).toBe(1_500);
  });

  it('pays a smaller invoice in full and keeps the rest for the next one', async () => {
    const plan = await usdPlan(2_000);
    const { customerId, subscriptionIds } = await aCustomerWith([{ planId: plan.id }]);
    const subscriptionId = subscriptionIds[0]!;
    const em = suite.orm.em.fork();
    await em.transactional((tx) =>
      grantCredit(tx, {
        customerId,
        subscriptionId,
        currency: 'USD',
        amount: 3_000,
        description: 'Goodwill',
        dedupeKey: `test:${randomUUID()}`,
      }),
    );
    // Credit in another currency is not spent on a USD invoice.
    await em.transactional((tx) =>
      grantCredit(tx, {
        customerId,
        subscriptionId,
        currency: 'KES',
        amount: 50_000,
        description: 'Goodwill',
        dedupeKey: `test:${randomUUID()}`,
      }),
    );

    expect(await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 0 })).toMatchObject({
      total: 2_000,
      amountDue: 0,
    });
    expect(await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 1 })).toMatchObject({
      total: 2_000,
      amountDue: 1_000,
    });
    expect(await balanceOf(customerId)).toBe(0);
    expect(await balanceOf(customerId, 'KES')).toBe(50_000);
    const invoices = await suite.orm.em
      .fork()
      .find(Invoice, { subscription: subscriptionId }, { orderBy: { periodIndex: 'asc' } });
    expect(invoices.map((i) => [i.creditApplied, i.amountDue])).toEqual([
      [2_000, 0],
      [1_000, 1_000],
    ]);
  });

  it('never spends the same credit twice when two invoices of one customer are issued at once', async () => {
    for (let round = 0; round < 5; round++) {
      const plan = await usdPlan(2_000);
      const { customerId, subscriptionIds } = await aCustomerWith([{ planId: plan.id }, { planId: plan.id }]);
      await suite.orm.em.fork().transactional((tx) =>
        grantCredit(tx, {
          customerId,
          subscriptionId: subscriptionIds[0]!,
          currency: 'USD',
          amount: 2_500,
          description: 'Downgrade',
          dedupeKey: `test:${randomUUID()}`,
        }),
      );
      const issued = await Promise.all(
        subscriptionIds.map((subscriptionId) => issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 0 })),
      );
      const paidByCredit = issued.map((invoice) => invoice.total - invoice.amountDue);
      expect(paidByCredit.reduce((a, b) => a + b, 0)).toBe(2_500);
      expect([...paidByCredit].sort((a, b) => a - b)).toEqual([500, 2_000]);
      expect(await balanceOf(customerId)).toBe(0);
    }
  });

  it('credits the unused part of a paid period when a subscription is cancelled now, once, and nothing unpaid', async () => {
    // USD 31.00 for January: cancelled on the 11th at 00:00, 21 of 31 days are left: 2,100.
    const plan = await usdPlan(3_100);
    const { customerId, subscriptionIds } = await aCustomerWith([{ planId: plan.id }, { planId: plan.id }]);
    const [paid, unpaid] = subscriptionIds as [string, string];
    for (const subscriptionId of subscriptionIds)
      await issuePeriodInvoice(suite.orm.em, { subscriptionId, periodIndex: 0 });
    await suite.orm.em
      .fork()
      .execute(
        `update invoices set status = 'PAID', paid_at = period_start, amount_paid = amount_due where subscription_id = ?`,
        [paid],
      );

    const cancel = (subscriptionId: string) =>
      endSubscription(suite.orm.em, {
        subscriptionId,
        reason: 'CANCELED_BY_REQUEST',
        endedAt: new Date(Date.UTC(2031, 0, 11)).toISOString(),
        creditUnusedTime: true,
      });
    expect(await cancel(paid)).toEqual({ status: 'CANCELED' });
    await cancel(paid); // a retried activity
    expect(await balanceOf(customerId)).toBe(2_100);
    // The other subscription's January was never paid: nothing to give back.
    await cancel(unpaid);
    expect(await balanceOf(customerId)).toBe(2_100);
  });

  it('refuses a grant that is not a positive whole amount', async () => {
    await expect(
      grantCredit(suite.orm.em.fork(), {
        customerId: randomUUID(),
        subscriptionId: randomUUID(),
        currency: 'USD',
        amount: -5,
        description: 'x',
        dedupeKey: 'x',
      }),
    ).rejects.toThrow('positive whole number');
  });
});
