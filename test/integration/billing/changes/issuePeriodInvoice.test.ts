// Invoicing computes what should exist and adds only what is missing: running it again, or many times at
// once, leaves one invoice per subscription and period, and invoice numbers stay gapless under concurrency.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { issuePeriodInvoice } from '../../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../../src/db/orm.js';
import { Invoice, InvoiceLine, Subscription } from '../../../../src/entities/index.js';
import { TEST_DATABASE_URL } from '../../../support/config.js';
import { testOrm } from '../../../support/db.js';
import { aCustomer, aPlan } from '../../../support/fixtures.js';

describe('issuePeriodInvoice', () => {
  let orm: Orm;

  beforeAll(async () => {
    orm = await testOrm();
  });
  afterAll(async () => {
    await orm?.close();
  });

  async function aTrialingSubscription(anchor: Date) {
    const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { amount: 99_900, currency: 'USD' })]);
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'TRIALING',
      trialStart: new Date(anchor.getTime() - 14 * 86_400_000),
      trialEnd: anchor,
      billingAnchor: anchor,
    });
    await em.flush();
    return subscription;
  }

  it('returns the same invoice when run twice for one period', async () => {
    const subscription = await aTrialingSubscription(new Date('2031-01-31T09:00:00Z'));
    const first = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    const second = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(first).toMatchObject({
      total: 99_900,
      currency: 'USD',
      periodStart: '2031-01-31T09:00:00.000Z',
      periodEnd: '2031-02-28T09:00:00.000Z',
      subscriptionStatus: 'ACTIVE',
    });
    expect(first.number).toMatch(/^INV-2031-\d{6}$/);
    const em = orm.em.fork();
    expect(await em.count(Invoice, { subscription: subscription.id })).toBe(1);
    expect(await em.count(InvoiceLine, { invoice: first.invoiceId })).toBe(1);
  });

  it('creates one invoice when ten runs race for the same period', async () => {
    const subscription = await aTrialingSubscription(new Date('2031-03-31T00:00:00Z'));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 })),
    );
    expect(new Set(results.map((r) => r.invoiceId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await orm.em.fork().count(Invoice, { subscription: subscription.id })).toBe(1);
  });

  it("locks the subscription's row only: a transaction holding its plan's row does not hold up the invoice", async () => {
    // All of a plan's subscriptions renew at the same instant on the 1st; had the plan's row been locked with the
    // subscription's, each renewal would have waited for the one before it to commit.
    const subscription = await aTrialingSubscription(new Date('2031-03-31T09:00:00Z'));
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from plans where id = $1 for update', [subscription.plan.id]);
      const issuing = issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
      const first = await Promise.race([
        issuing.then(() => 'issued'),
        new Promise((resolve) => setTimeout(() => resolve('waiting for the plan'), 10_000)),
      ]);
      await holder.query('rollback');
      await issuing;
      expect(first).toBe('issued');
    } finally {
      await holder.end();
    }
  });

  it('numbers invoices of one year without gaps when many subscriptions bill at once', async () => {
    // A year of its own, so other tests' invoices do not interleave with these numbers.
    const year = 2040 + Math.floor(Math.random() * 900);
    const subscriptions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => aTrialingSubscription(new Date(Date.UTC(year, 0, 1 + i)))),
    );
    const issued = await Promise.all(
      subscriptions.map((s) => issuePeriodInvoice(orm.em, { subscriptionId: s.id, periodIndex: 0 })),
    );
    const sequence = issued.map((i) => Number(i.number.slice(-6))).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: 12 }, (_, i) => sequence[0]! + i));
    expect(issued.every((i) => i.number.startsWith(`INV-${year}-`))).toBe(true);
  });

  it('prices by quantity: flat plans per unit, tiered plans by their tiers', async () => {
    const customer = await aCustomer(orm.em);
    const flat = await aPlan(orm.em, { amount: 99_900, currency: 'USD' });
    const graduated = await aPlan(orm.em, {
      amount: 0,
      pricingModel: 'GRADUATED',
      tiers: [
        { upTo: 5, unitAmount: 50_000, flatAmount: 0 },
        { upTo: null, unitAmount: 40_000, flatAmount: 0 },
      ],
    });
    const em = orm.em.fork();
    const anchor = new Date('2031-07-01T00:00:00Z');
    const seats = em.create(Subscription, {
      customer: customer.id,
      plan: flat.id,
      status: 'INCOMPLETE',
      billingAnchor: anchor,
      quantity: 3,
    });
    const team = em.create(Subscription, {
      customer: customer.id,
      plan: graduated.id,
      status: 'INCOMPLETE',
      billingAnchor: anchor,
      quantity: 7,
    });
    await em.flush();
    const flatInvoice = await issuePeriodInvoice(orm.em, { subscriptionId: seats.id, periodIndex: 0 });
    expect(flatInvoice.total).toBe(3 * 99_900);
    const [flatLine] = await orm.em.fork().find(InvoiceLine, { invoice: flatInvoice.invoiceId });
    expect([flatLine!.quantity, flatLine!.unitAmount, flatLine!.amount]).toEqual([3, 99_900, 299_700]);
    // 5 seats at KES 500 and 2 at KES 400.
    expect((await issuePeriodInvoice(orm.em, { subscriptionId: team.id, periodIndex: 0 })).total).toBe(
      5 * 50_000 + 2 * 40_000,
    );
  });

  it('refuses to invoice a canceled subscription and writes nothing', async () => {
    const subscription = await aTrialingSubscription(new Date('2031-05-01T00:00:00Z'));
    await orm.em.fork().nativeUpdate(Subscription, { id: subscription.id }, { status: 'CANCELED' });
    await expect(issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 })).rejects.toThrow(
      'subscription cannot go from CANCELED to ACTIVE',
    );
    expect(await orm.em.fork().count(Invoice, { subscription: subscription.id })).toBe(0);
  });

  it.each([
    // currency, price, rate (basis points), tax, total
    ['USD', 99_900, 1_600, 15_984, 115_884],
    ['KES', 99_950, 1_600, 16_000, 115_950], // 15,992 minor units of tax, collected as whole shillings: 16,000
    ['JPY', 1_234, 1_000, 123, 1_357],
  ] as const)(
    'adds a %s tax line on top when a tax rate is configured',
    async (currency, amount, rateBasisPoints, tax, total) => {
      const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { amount, currency })]);
      const em = orm.em.fork();
      const anchor = new Date('2031-03-01T09:00:00Z');
      const subscription = em.create(Subscription, {
        customer: customer.id,
        plan: plan.id,
        status: 'TRIALING',
        trialEnd: anchor,
        billingAnchor: anchor,
      });
      await em.flush();
      const issued = await issuePeriodInvoice(
        orm.em,
        { subscriptionId: subscription.id, periodIndex: 0 },
        { rateBasisPoints, name: 'VAT' },
      );
      expect(issued).toMatchObject({ total, amountDue: total, currency });
      const lines = await orm.em
        .fork()
        .find(InvoiceLine, { invoice: issued.invoiceId }, { orderBy: { position: 'asc' } });
      expect(lines.map((line) => [line.kind, line.amount, line.description.replace(/ \(.*\)$/, '')])).toEqual([
        ['PLAN', amount, plan.name],
        ['TAX', tax, `VAT ${rateBasisPoints / 100} %`],
      ]);
      const invoice = await orm.em.fork().findOneOrFail(Invoice, { id: issued.invoiceId });
      expect(invoice.subtotal).toBe(amount);
    },
  );
});
