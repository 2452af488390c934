// The lifecycle on the time-skipping test server with the real activities and Postgres: cancellation now and at
// the period end (and taking it back), the notices queued along the way, and dunning run to its end, CANCELED or
// UNPAID by configuration, with charges going to the M-Pesa sandbox. Each scenario gets its own server, because the
// server's clock is shared by everything on it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { cancelSubscription, uncancelSubscription } from '../../src/billing/requests/cancelSubscription.js';
import { createPlan } from '../../src/catalog/createPlan.js';
import { createCoupon } from '../../src/catalog/coupons.js';
import { brandFrom } from '../../src/emails/brand.js';
import { noticeComposer } from '../../src/emails/composeNotice.js';
import { deliverDueNotices } from '../../src/emails/deliverOutbox.js';
import { smtpMailer } from '../../src/emails/smtpMailer.js';
import { invoiceLinkSettings } from '../../src/invoices/invoiceLinks.js';
import { SmtpCatcher } from '../support/smtpCatcher.js';
import { pauseSubscription, resumeSubscription } from '../../src/billing/requests/pauseSubscription.js';
import { changePlan } from '../../src/billing/requests/changePlan.js';
import { archivePlan } from '../../src/catalog/changePlanPrice.js';
import { subscribe } from '../../src/billing/subscribe.js';
import type { Orm } from '../../src/db/orm.js';
import { AuditEvent, Invoice, InvoiceLine, OutboxMessage, Payment, Subscription } from '../../src/entities/index.js';
import { testCipher, testConfig } from '../support/config.js';
import { testOrm } from '../support/db.js';
import { scenario } from '../support/lifecycleScenario.js';
import { until } from '../support/eventually.js';
import { aCustomer, admin, aPlan } from '../support/fixtures.js';

const DAY = 86_400_000;

const subscriptionOf = (orm: Orm, id: string) => orm.em.fork().findOneOrFail(Subscription, { id });
const invoicesOf = (orm: Orm, id: string) =>
  orm.em.fork().find(Invoice, { subscription: id }, { orderBy: { periodIndex: 'asc' } });
const noticesOf = async (orm: Orm, id: string) =>
  (await orm.em.fork().find(OutboxMessage, { subscriptionId: id }, { orderBy: { createdAt: 'asc' } })).map(
    (notice) => notice.kind,
  );

async function productOf(orm: Orm, subscriptionId: string): Promise<string> {
  return (await orm.em.fork().findOneOrFail(Subscription, { id: subscriptionId }, { populate: ['plan'] })).plan.product
    .id;
}

/** KES 1,000.00 a month, of the same product as the subscription's plan: a downgrade from the scenarios' plans. */
async function litePlanBeside(orm: Orm, subscriptionId: string) {
  return createPlan(orm.em.fork(), admin, {
    productId: await productOf(orm, subscriptionId),
    name: 'Lite',
    amount: 100_000,
    currency: 'KES',
    interval: 'MONTH',
  });
}

describe('subscription lifecycle (time-skipping)', () => {
  it('cancels at the period end, takes it back, cancels again, and ends exactly at the period end with no renewal', async () => {
    await scenario({}, async ({ env, orm, starter, now, subscribeTo }) => {
      const { subscription } = await subscribeTo({
        amount: 250_000,
        currency: 'KES',
        trialDays: 0,
        interval: 'MONTH',
      });
      await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'));

      const cancelling = await cancelSubscription(orm.em, admin, starter, {
        subscriptionId: subscription.id,
        atPeriodEnd: true,
      });
      expect(cancelling).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
      await expect(
        cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, atPeriodEnd: true }),
      ).rejects.toThrow('the subscription already ends at the period end');

      const kept = await uncancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id });
      expect(kept).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: false, canceledAt: null });
      await expect(uncancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id })).rejects.toThrow(
        'the subscription is not set to end at the period end',
      );
      await cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, atPeriodEnd: true });
      // An Update sent by hand (CLI, UI) says nothing of who sent it: it is recorded as the operator's.
      await env.client.workflow.getHandle(subscription.workflowId).executeUpdate('uncancel');
      await cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, atPeriodEnd: true });

      // Each change wrote its audit event with it, in the activity's transaction; the refused ones wrote nothing.
      const trail = await orm.em
        .fork()
        .find(AuditEvent, { entity: 'Subscription', entityId: subscription.id }, { orderBy: { createdAt: 'asc' } });
      expect(trail.map((event) => [event.action, event.actorType])).toEqual([
        ['subscription.created', 'USER'],
        ['subscription.cancel_at_period_end', 'USER'],
        ['subscription.uncanceled', 'USER'],
        ['subscription.cancel_at_period_end', 'USER'],
        ['subscription.uncanceled', 'OPERATOR'],
        ['subscription.cancel_at_period_end', 'USER'],
      ]);
      expect(trail[1]).toMatchObject({ actorId: admin.kind === 'user' ? admin.userId : null, changes: {} });

      const periodEnd = (await invoicesOf(orm, subscription.id))[0]!.periodEnd;
      await env.sleep(periodEnd.getTime() - (await now()).getTime() + 60_000);
      const ended = await until(async () => {
        const row = await subscriptionOf(orm, subscription.id);
        expect(row).toMatchObject({
          status: 'CANCELED',
          endReason: 'CANCELED_AT_PERIOD_END',
          cancelAtPeriodEnd: false,
        });
        return row;
      });
      expect(ended.endedAt!.toISOString()).toBe(periodEnd.toISOString());
      expect(await invoicesOf(orm, subscription.id)).toHaveLength(1);
      expect((await env.client.workflow.getHandle(subscription.workflowId).describe()).status.name).toBe('COMPLETED');
      expect(await noticesOf(orm, subscription.id)).toEqual([
        'subscription_started',
        'invoice_issued',
        'subscription_canceled',
      ]);

      // Bad input changes nothing: an ended subscription cannot be cancelled again.
      await expect(
        cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, atPeriodEnd: false }),
      ).rejects.toThrow('the subscription is already CANCELED');
    });
  });

  it('cancels now: CANCELED at once, the workflow ends, the used period’s invoice stays', async () => {
    await scenario({}, async ({ env, orm, starter, subscribeTo }) => {
      const { subscription } = await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 0 });
      await until(async () => expect(await invoicesOf(orm, subscription.id)).toHaveLength(1));
      // Credit for the unused time needs a cancellation now: at the period end nothing is left unused.
      await expect(
        cancelSubscription(orm.em, admin, starter, {
          subscriptionId: subscription.id,
          atPeriodEnd: true,
          creditUnusedTime: true,
        }),
      ).rejects.toMatchObject({ fields: { 'input.creditUnusedTime': expect.stringContaining('cancellation now') } });
      const canceled = await cancelSubscription(orm.em, admin, starter, {
        subscriptionId: subscription.id,
        creditUnusedTime: true,
      });
      expect(canceled).toMatchObject({ status: 'CANCELED', endReason: 'CANCELED_BY_REQUEST' });
      // The period's invoice was never paid (no payment method): there is nothing to credit.
      const credits = await orm.em
        .fork()
        .execute('select 1 from customer_credits where subscription_id = ?', [subscription.id]);
      expect(credits).toHaveLength(0);
      await until(async () =>
        expect((await env.client.workflow.getHandle(subscription.workflowId).describe()).status.name).toBe('COMPLETED'),
      );
      expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.status)).toEqual(['OPEN']);
    });
  });

  it('queues the trial-ending notice 3 days before the trial ends and a renewal reminder 7 days before renewal, once each', async () => {
    await scenario({}, async ({ env, orm, now, subscribeTo }) => {
      const { subscription, customer } = await subscribeTo({
        amount: 250_000,
        currency: 'KES',
        trialDays: 14,
        interval: 'MONTH',
      });
      await env.sleep(10 * DAY);
      expect(await noticesOf(orm, subscription.id)).toEqual(['subscription_started']);
      await env.sleep(1.5 * DAY);
      await until(async () =>
        expect(await noticesOf(orm, subscription.id)).toEqual(['subscription_started', 'trial_ending']),
      );

      // Through the trial end and most of the first period: the reminder comes 7 days before the renewal.
      await env.sleep(2.5 * DAY);
      const [invoice] = await until(async () => {
        const invoices = await invoicesOf(orm, subscription.id);
        expect(invoices).toHaveLength(1);
        return invoices;
      });
      const reminderAt = invoice!.periodEnd.getTime() - 7 * DAY;
      await env.sleep(reminderAt - (await now()).getTime() - DAY);
      expect(await noticesOf(orm, subscription.id)).toEqual(['subscription_started', 'trial_ending', 'invoice_issued']);
      await env.sleep(2 * DAY);
      await until(async () =>
        expect(await noticesOf(orm, subscription.id)).toEqual([
          'subscription_started',
          'trial_ending',
          'invoice_issued',
          'renewal_reminder',
        ]),
      );
      const reminder = await orm.em
        .fork()
        .findOneOrFail(OutboxMessage, { subscriptionId: subscription.id, kind: 'renewal_reminder' });
      expect(reminder).toMatchObject({
        recipient: customer.email,
        dedupeKey: `renewal_reminder:${subscription.id}:1`,
        payload: { renewsAt: invoice!.periodEnd.toISOString() },
      });
    });
  });

  it.each([
    ['CANCELED', 'CANCELED', 'UNCOLLECTIBLE'],
    ['UNPAID', 'UNPAID', 'OPEN'],
  ])(
    'runs dunning to its end after a trial: four retries on days 1, 3, 5 and 7 after each failure, then %s',
    async (afterLastRetry, finalStatus, invoiceStatus) => {
      await scenario(
        { AFTER_LAST_RETRY: afterLastRetry, MPESA_CALLBACK_WAIT_SECONDS: '1' },
        async ({ env, orm, sandbox, subscribeTo }) => {
          const phone = '0712999001';
          sandbox.script('254712999001', { kind: 'result', resultCode: 1 }); // insufficient funds, every time
          const { subscription } = await subscribeTo(
            { amount: 150_000, currency: 'KES', trialDays: 7 },
            { paymentMethod: { provider: 'MPESA', phone } },
          );
          await env.sleep(7 * DAY + 60_000);
          const [invoice] = await until(async () => {
            const invoices = await invoicesOf(orm, subscription.id);
            expect(invoices).toHaveLength(1);
            return invoices;
          });
          await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('PAST_DUE'), 20_000);

          // Walk through the schedule: 1 + 3 + 5 + 7 days after the first failure.
          for (const days of [1, 3, 5, 7]) await env.sleep(days * DAY + 60_000);
          const ended = await until(async () => {
            const row = await subscriptionOf(orm, subscription.id);
            expect(row.status).toBe(finalStatus);
            return row;
          }, 30_000);
          const payments = await orm.em.fork().find(Payment, { invoice: invoice!.id }, { orderBy: { attempt: 'asc' } });
          expect(payments.map((payment) => [payment.attempt, payment.status, payment.failureCode])).toEqual([
            [1, 'FAILED', '1'],
            [2, 'FAILED', '1'],
            [3, 'FAILED', '1'],
            [4, 'FAILED', '1'],
            [5, 'FAILED', '1'],
          ]);
          expect((await orm.em.fork().findOneOrFail(Invoice, { id: invoice!.id })).status).toBe(invoiceStatus);
          if (finalStatus === 'CANCELED') expect(ended.endReason).toBe('PAYMENT_FAILED');
          const notices = await noticesOf(orm, subscription.id);
          expect(notices.filter((kind) => kind === 'payment_failed')).toHaveLength(5);
          expect(notices.at(-1)).toBe(finalStatus === 'CANCELED' ? 'subscription_canceled' : 'subscription_unpaid');
          expect(sandbox.ledger()).toHaveLength(0);
        },
      );
    },
  );

  it('sends renewal reminders only to subscriptions in good standing: none while PAST_DUE or UNPAID', async () => {
    await scenario(
      { MPESA_CALLBACK_WAIT_SECONDS: '1', AFTER_LAST_RETRY: 'UNPAID' },
      async ({ orm, sandbox, advance, now, subscribeTo }) => {
        const terms = { amount: 120_000, currency: 'KES', trialDays: 0, interval: 'MONTH' } as const;
        const standings = [
          { name: 'pays', phone: '0712999101', renewal: null },
          { name: 'PIN locked at renewal (PAST_DUE, waiting for the customer)', phone: '0712999102', renewal: 8006 },
          { name: 'no money at renewal (UNPAID after the last retry)', phone: '0712999103', renewal: 1 },
        ];
        const subscriptions = await Promise.all(
          standings.map(({ phone }) => subscribeTo(terms, { paymentMethod: { provider: 'MPESA', phone } })),
        );
        const ids = subscriptions.map(({ subscription }) => subscription.id);
        await until(async () => {
          for (const id of ids) expect((await subscriptionOf(orm, id)).status).toBe('ACTIVE');
        }, 20_000);
        for (const { phone, renewal } of standings) {
          if (renewal) sandbox.script(`254${phone.slice(1)}`, { kind: 'result', resultCode: renewal });
        }
        // Through period 1 (its renewal fails for two of them, and one runs out of retries) into period 2.
        const periodEnd = (await invoicesOf(orm, ids[0]!))[0]!.periodEnd.getTime();
        await advance(periodEnd - (await now()).getTime() + 60_000);
        await until(async () => {
          expect((await subscriptionOf(orm, ids[1]!)).status).toBe('PAST_DUE');
        }, 20_000);
        await advance(31 * DAY);
        await until(async () => {
          expect((await invoicesOf(orm, ids[0]!)).map((invoice) => invoice.periodIndex)).toEqual([0, 1, 2]);
          expect((await subscriptionOf(orm, ids[2]!)).status).toBe('UNPAID');
        }, 20_000);

        const reminders = async (id: string) =>
          (await orm.em.fork().find(OutboxMessage, { subscriptionId: id, kind: 'renewal_reminder' }))
            .map((notice) => notice.dedupeKey)
            .sort();
        // Period 0's reminder (before the renewal that failed) went to all three; period 1's only to the payer.
        expect(await reminders(ids[0]!)).toEqual([`renewal_reminder:${ids[0]}:1`, `renewal_reminder:${ids[0]}:2`]);
        expect(await reminders(ids[1]!)).toEqual([`renewal_reminder:${ids[1]}:1`]);
        expect(await reminders(ids[2]!)).toEqual([`renewal_reminder:${ids[2]}:1`]);
      },
    );
  });

  it('runs a minute plan in minutes: a 2-minute trial, renewals every 5 minutes, a failed renewal retried a minute later', async () => {
    await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ orm, starter, sandbox, now, advance }) => {
      const phone = '0712999002';
      const [customer, product] = await Promise.all([aCustomer(orm.em), aPlan(orm.em).then((p) => p.product.id)]);
      const plan = await createPlan(
        orm.em.fork(),
        admin,
        {
          productId: product,
          name: 'Demo',
          amount: 10_000,
          currency: 'KES',
          interval: 'MINUTE',
          intervalCount: 5,
          trialDays: 2,
        },
        { minutePlans: true },
      );
      const startedAt = await now();
      const subscription = await subscribe(
        orm.em,
        admin,
        starter,
        testCipher(),
        {
          customerId: customer.id,
          planId: plan.id,
          paymentMethod: { provider: 'MPESA', phone },
        },
        startedAt,
      );
      expect(subscription.trialEnd!.getTime() - startedAt.getTime()).toBe(2 * 60_000);

      await advance(2 * 60_000 + 5_000);
      await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'), 20_000);
      sandbox.script('254712999002', { kind: 'result', resultCode: 1032 }); // the renewal prompt is declined
      await advance(5 * 60_000);
      await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('PAST_DUE'), 20_000);
      sandbox.script('254712999002', null);
      await advance(60_000 + 5_000); // the first retry: 1 "day" = 1 minute
      await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'), 20_000);

      const invoices = await invoicesOf(orm, subscription.id);
      expect(invoices.map((invoice) => [invoice.periodIndex, invoice.status, invoice.total])).toEqual([
        [0, 'PAID', 10_000],
        [1, 'PAID', 10_000],
      ]);
      expect(invoices[1]!.periodStart.getTime() - invoices[0]!.periodStart.getTime()).toBe(5 * 60_000);
      expect(sandbox.ledger().map((entry) => entry.amount)).toEqual([100, 100]);
    });
  });

  it('refuses minute plans where they are not allowed, naming the field', async () => {
    const orm = await testOrm();
    try {
      const product = (await aPlan(orm.em)).product.id;
      await expect(
        createPlan(orm.em.fork(), admin, {
          productId: product,
          name: 'Too fast',
          amount: 100,
          currency: 'KES',
          interval: 'MINUTE',
        }),
      ).rejects.toMatchObject({
        fields: { 'input.interval': 'MINUTE is for sandbox mode only (MINUTE_PLANS=true, not in production)' },
      });
    } finally {
      await orm.close();
    }
  });

  it('pauses for two periods (no invoices), resumes by itself at the third, and refuses what cannot be paused', async () => {
    await scenario({}, async ({ env, orm, starter, now, subscribeTo }) => {
      const { subscription } = await subscribeTo({ amount: 250_000, currency: 'KES', trialDays: 0, interval: 'MONTH' });
      // The workflow's own state, which its Update validators read: the row is ACTIVE a moment before it hears so.
      await until(async () => expect((await starter.state(subscription.id)).status).toBe('ACTIVE'));

      await expect(
        pauseSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, periods: 13 }),
      ).rejects.toMatchObject({
        fields: { 'input.periods': 'must be at most 12 (pause until resumed instead: leave it empty)' },
      });
      const paused = await pauseSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, periods: 2 });
      expect(paused).toMatchObject({ status: 'PAUSED', resumesAtPeriod: 3 });
      await expect(
        pauseSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, periods: 1 }),
      ).rejects.toThrow('the subscription is already paused');

      // Periods 1 and 2 pass without invoices; period 3 resumes and is billed.
      const firstEnd = (await invoicesOf(orm, subscription.id))[0]!.periodEnd;
      await env.sleep(firstEnd.getTime() - (await now()).getTime() + 40 * DAY);
      expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.periodIndex)).toEqual([0]);
      expect((await subscriptionOf(orm, subscription.id)).status).toBe('PAUSED');
      await env.sleep(30 * DAY);
      await until(async () => {
        expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.periodIndex)).toEqual([0, 3]);
        expect(await subscriptionOf(orm, subscription.id)).toMatchObject({ status: 'ACTIVE', resumesAtPeriod: null });
      });
    });
  });

  it('pauses until resumed, and a resume mid-period bills that period at once', async () => {
    await scenario({}, async ({ env, orm, starter, subscribeTo }) => {
      const trialing = await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 14 });
      await expect(
        pauseSubscription(orm.em, admin, starter, { subscriptionId: trialing.subscription.id }),
      ).rejects.toThrow('a trial cannot be paused: cancel it, or let it convert first');

      const { subscription } = await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 0 });
      // The workflow's own state, which its Update validators read: the row is ACTIVE a moment before it hears so.
      await until(async () => expect((await starter.state(subscription.id)).status).toBe('ACTIVE'));
      await expect(resumeSubscription(orm.em, admin, starter, { subscriptionId: subscription.id })).rejects.toThrow(
        'only a PAUSED subscription can be resumed (this one is ACTIVE)',
      );
      await pauseSubscription(orm.em, admin, starter, { subscriptionId: subscription.id });
      await env.sleep(45 * DAY); // into period 1, unbilled
      expect(await invoicesOf(orm, subscription.id)).toHaveLength(1);

      const resumed = await resumeSubscription(orm.em, admin, starter, { subscriptionId: subscription.id });
      expect(resumed.status).toBe('ACTIVE');
      await until(async () =>
        expect((await invoicesOf(orm, subscription.id)).map((invoice) => [invoice.periodIndex, invoice.total])).toEqual(
          [
            [0, 100_000],
            [1, 100_000],
          ],
        ),
      );
    });
  });

  it.each([
    // currency, monthly price before, after, change after N days of a 30-day period (Apr), credit, charge
    ['KES', 300_000, 500_000, 10, -200_000, 333_300],
    ['USD', 2_000, 5_000, 21, -600, 1_500],
  ])(
    'upgrades mid-period in %s with exact proration (charged at once when there is a payment method); the next period bills the new price',
    async (currency, before, after, days, credit, charge) => {
      await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ orm, starter, sandbox, now, advance }) => {
        // An April period (30 days) whatever today is: a trial until the next April 1st.
        const today = await now();
        const april = new Date(Date.UTC(today.getUTCFullYear() + 1, 3, 1, 8));
        const method = currency === 'KES' ? { paymentMethod: { provider: 'MPESA' as const, phone: '0712999003' } } : {};
        const [customer, product] = await Promise.all([aCustomer(orm.em), aPlan(orm.em).then((p) => p.product.id)]);
        const plan = (amount: number) =>
          createPlan(orm.em.fork(), admin, {
            productId: product,
            name: `P${amount}`,
            amount,
            currency,
            interval: 'MONTH',
          });
        const [small, large] = await Promise.all([plan(before), plan(after)]);
        const subscription = await subscribe(
          orm.em,
          admin,
          starter,
          testCipher(),
          {
            customerId: customer.id,
            planId: small.id,
            trialEnd: april,
            ...method,
          },
          today,
        );
        await advance(april.getTime() - today.getTime() + 60_000);
        await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'), 20_000);
        await advance(days * DAY - 60_000);

        const changed = await changePlan(orm.em, admin, starter, { subscriptionId: subscription.id, planId: large.id });
        expect(changed.plan.id).toBe(large.id);
        const proration = await until(async () => {
          const invoice = await orm.em
            .fork()
            .findOneOrFail(Invoice, { subscription: subscription.id, kind: 'PRORATION' });
          return invoice;
        });
        const lines = await orm.em
          .fork()
          .find(InvoiceLine, { invoice: proration.id }, { orderBy: { position: 'asc' } });
        expect(lines.map((line) => [line.kind, line.amount])).toEqual([
          ['PRORATION_CREDIT', credit],
          ['PRORATION_CHARGE', charge],
        ]);
        expect(proration.total).toBe(credit + charge);
        if (currency === 'KES') {
          // Charged at once, by M-Pesa, in whole shillings.
          await until(
            async () => expect((await orm.em.fork().findOneOrFail(Invoice, { id: proration.id })).status).toBe('PAID'),
            20_000,
          );
          expect(sandbox.ledger().map((entry) => entry.amount)).toEqual([before / 100, (credit + charge) / 100]);
        }
        // May bills the new price in full.
        await advance(31 * DAY);
        await until(async () => {
          const periods = (await invoicesOf(orm, subscription.id)).filter((invoice) => invoice.kind === 'PERIOD');
          expect(periods.map((invoice) => invoice.total)).toEqual([before, after]);
        }, 20_000);
      });
    },
  );

  it('downgrades at the period end by default, and refuses an archived plan or another currency, changing nothing', async () => {
    await scenario({}, async ({ env, orm, starter, now, subscribeTo }) => {
      const { subscription } = await subscribeTo({ amount: 500_000, currency: 'KES', trialDays: 0 });
      await until(async () => expect(await invoicesOf(orm, subscription.id)).toHaveLength(1));
      const product = await productOf(orm, subscription.id);
      const cheaper = await litePlanBeside(orm, subscription.id);
      const dollars = await createPlan(orm.em.fork(), admin, {
        productId: product,
        name: 'USD',
        amount: 1_000,
        currency: 'USD',
        interval: 'MONTH',
      });
      const archived = await createPlan(orm.em.fork(), admin, {
        productId: product,
        name: 'Old',
        amount: 900_000,
        currency: 'KES',
        interval: 'MONTH',
      });
      await archivePlan(orm.em.fork(), admin, archived.id);

      for (const [planId, rule] of [
        [dollars.id, 'must bill in KES like the subscription (this plan bills in USD)'],
        [archived.id, 'must be an ACTIVE plan (this one is archived)'],
      ] as const) {
        await expect(
          changePlan(orm.em, admin, starter, { subscriptionId: subscription.id, planId }),
        ).rejects.toMatchObject({
          fields: { 'input.planId': rule },
        });
      }
      const scheduled = await changePlan(orm.em, admin, starter, {
        subscriptionId: subscription.id,
        planId: cheaper.id,
      });
      expect(scheduled).toMatchObject({ pendingQuantity: 1, pendingChangeAtPeriod: 1 });
      const periodEnd = (await invoicesOf(orm, subscription.id))[0]!.periodEnd;
      await env.sleep(periodEnd.getTime() - (await now()).getTime() + 60_000);
      await until(async () =>
        expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.total)).toEqual([500_000, 100_000]),
      );
      const after = await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id });
      expect(after).toMatchObject({ pendingPlan: null, pendingChangeAtPeriod: null });
      expect(after.plan.id).toBe(cheaper.id);
    });
  });

  it('downgrades now when asked, crediting the unused difference, which the next renewal spends before charging', async () => {
    await scenario({}, async ({ env, orm, starter, now, subscribeTo }) => {
      const { subscription } = await subscribeTo({ amount: 500_000, currency: 'KES', trialDays: 0 });
      const [first] = await until(async () => {
        const invoices = await invoicesOf(orm, subscription.id);
        expect(invoices).toHaveLength(1);
        return invoices;
      });
      const cheaper = await litePlanBeside(orm, subscription.id);
      await env.sleep(10 * DAY);

      const changed = await changePlan(orm.em, admin, starter, {
        subscriptionId: subscription.id,
        planId: cheaper.id,
        timing: 'NOW',
      });
      expect(changed.plan.id).toBe(cheaper.id);
      const [grant] = await orm.em
        .fork()
        .execute<{ amount: string; kind: string }[]>(
          'select amount::text, kind from customer_credits where subscription_id = ?',
          [subscription.id],
        );
      // The unused share of the 400,000 difference, in whole shillings, and no PRORATION invoice.
      const credit = Number(grant!.amount);
      const left =
        (first!.periodEnd.getTime() - (await now()).getTime()) /
        (first!.periodEnd.getTime() - first!.periodStart.getTime());
      expect(grant!.kind).toBe('GRANTED');
      expect(Math.abs(credit - 400_000 * left)).toBeLessThanOrEqual(100);
      expect(credit % 100).toBe(0);
      expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.kind)).toEqual(['PERIOD']);
      // The plan-change email tells the customer what was credited.
      const notice = await orm.em
        .fork()
        .findOneOrFail(OutboxMessage, { subscriptionId: subscription.id, kind: 'plan_changed' });
      expect(notice.payload).toMatchObject({ toPlanName: 'Lite', creditAmount: credit, currency: 'KES' });

      // The renewal bills the new price; the credit pays it (all of it when the credit is larger).
      await env.sleep(first!.periodEnd.getTime() - (await now()).getTime() + 60_000);
      const renewal = await until(async () => {
        const invoices = await invoicesOf(orm, subscription.id);
        expect(invoices).toHaveLength(2);
        return invoices[1]!;
      });
      expect(renewal.total).toBe(100_000);
      expect(renewal.creditApplied).toBe(Math.min(credit, 100_000));
      expect(renewal.amountDue).toBe(100_000 - renewal.creditApplied);
      if (renewal.amountDue === 0) {
        await until(async () =>
          expect((await orm.em.fork().findOneOrFail(Invoice, { id: renewal.id })).status).toBe('PAID'),
        );
      }
    });
  });

  it.each([
    ['CANCEL', 'CANCELED'],
    ['PAUSE', 'PAUSED'],
  ])(
    'ends a trial without a payment method by configuration (%s): %s, and nothing is invoiced',
    async (action, status) => {
      await scenario({ TRIAL_END_WITHOUT_PAYMENT_METHOD: action }, async ({ env, orm, subscribeTo }) => {
        const { subscription } = await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 7 });
        await env.sleep(7 * DAY + 60_000);
        const after = await until(async () => {
          const row = await subscriptionOf(orm, subscription.id);
          expect(row.status).toBe(status);
          return row;
        });
        if (status === 'CANCELED') expect(after.endReason).toBe('TRIAL_ENDED_WITHOUT_PAYMENT_METHOD');
        await env.sleep(35 * DAY);
        expect(await invoicesOf(orm, subscription.id)).toEqual([]);
      });
    },
  );

  it('applies a REPEATING(3) coupon to the first three monthly invoices only, walking four renewals', async () => {
    await scenario({}, async ({ env, orm, subscribeTo }) => {
      const code = `R3${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
      await createCoupon(orm.em.fork(), admin, {
        code,
        name: 'Launch',
        percentOffBasisPoints: 2_500,
        duration: 'REPEATING',
        durationInPeriods: 3,
      });
      const { subscription } = await subscribeTo(
        { amount: 250_000, currency: 'KES', trialDays: 0, interval: 'MONTH' },
        { couponCode: code },
      );
      for (let period = 1; period <= 3; period++) await env.sleep(32 * DAY);
      const invoices = await until(async () => {
        const rows = await invoicesOf(orm, subscription.id);
        expect(rows).toHaveLength(4);
        return rows;
      }, 20_000);
      expect(invoices.map((invoice) => [invoice.periodIndex, invoice.subtotal, invoice.total])).toEqual([
        [0, 250_000, 187_500],
        [1, 250_000, 187_500],
        [2, 250_000, 187_500],
        [3, 250_000, 250_000],
      ]);
    });
  });

  it('ends at the trial end when cancelled at the period end during the trial, and at the period end while paused', async () => {
    await scenario({}, async ({ env, orm, starter, subscribeTo }) => {
      const trialing = (await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 14 })).subscription;
      const paused = (await subscribeTo({ amount: 100_000, currency: 'KES', trialDays: 0 })).subscription;
      await until(async () => expect(await invoicesOf(orm, paused.id)).toHaveLength(1));
      await until(async () => expect((await starter.state(paused.id)).status).toBe('ACTIVE'));
      await pauseSubscription(orm.em, admin, starter, { subscriptionId: paused.id });
      for (const subscription of [trialing, paused]) {
        await cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id, atPeriodEnd: true });
      }
      await env.sleep(15 * DAY);
      const endedTrial = await until(async () => {
        const row = await subscriptionOf(orm, trialing.id);
        expect(row).toMatchObject({ status: 'CANCELED', endReason: 'CANCELED_AT_PERIOD_END' });
        return row;
      });
      expect(endedTrial.endedAt!.toISOString()).toBe(trialing.trialEnd!.toISOString());
      expect(await invoicesOf(orm, trialing.id)).toEqual([]);

      await env.sleep(20 * DAY);
      await until(async () =>
        expect(await subscriptionOf(orm, paused.id)).toMatchObject({
          status: 'CANCELED',
          endReason: 'CANCELED_AT_PERIOD_END',
        }),
      );
      expect(await invoicesOf(orm, paused.id)).toHaveLength(1);
    });
  });

  it('emails the customer through a whole lifecycle (trial, renewal, failure, retry, recovery, cancel): exactly the expected messages, in order', async () => {
    await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ orm, starter, sandbox, advance, subscribeTo }) => {
      const catcher = new SmtpCatcher();
      const smtpUrl = await catcher.listen();
      const config = testConfig({ SMTP_URL: smtpUrl });
      const mailer = smtpMailer(smtpUrl);
      try {
        const phone = '0712999004';
        const { subscription, customer } = await subscribeTo(
          { amount: 150_000, currency: 'KES', trialDays: 7, interval: 'MONTH' },
          { paymentMethod: { provider: 'MPESA', phone } },
        );
        await advance(7 * DAY + 60_000); // trial ends: invoice, charge, receipt
        await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'), 20_000);
        await until(async () => expect(await noticesOf(orm, subscription.id)).toContain('payment_receipt'), 20_000);
        sandbox.script('254712999004', { kind: 'result', resultCode: 1032 }); // the renewal prompt is cancelled
        const firstEnd = (await invoicesOf(orm, subscription.id))[0]!.periodEnd.getTime();
        await advance(firstEnd - Date.now() - 8 * DAY); // well before the reminder
        await advance(9 * DAY); // the reminder, then the renewal and its failure
        await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('PAST_DUE'), 20_000);
        sandbox.script('254712999004', null);
        await advance(DAY + 60_000); // the first retry succeeds
        await until(async () => expect((await subscriptionOf(orm, subscription.id)).status).toBe('ACTIVE'), 20_000);
        await until(async () =>
          expect((await noticesOf(orm, subscription.id)).filter((kind) => kind === 'payment_receipt')).toHaveLength(2),
        );
        await cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id });

        const options = {
          mailer,
          compose: noticeComposer({
            brand: brandFrom(config),
            links: invoiceLinkSettings(config),
            defaultLocale: 'en-KE',
          }),
          from: config.smtp.from,
          messageIdDomain: 'billing.test',
          only: { subscriptionId: subscription.id },
        };
        await deliverDueNotices(orm.em, options);
        await deliverDueNotices(orm.em, options); // a second round (a retried activity, a restarted worker) sends nothing

        const received = catcher.to(customer.email);
        const invoices = (await invoicesOf(orm, subscription.id)).filter((invoice) => invoice.kind === 'PERIOD');
        const rows = await orm.em
          .fork()
          .find(OutboxMessage, { subscriptionId: subscription.id }, { orderBy: { createdAt: 'asc' } });
        // The shared clock of the time-skipping server may fire the first retry before the script is lifted, so the
        // renewal may fail more than once; everything else happens exactly once, in this order.
        const kinds = rows.map((row) => row.kind);
        const failures = kinds.filter((kind) => kind === 'payment_failed').length;
        expect(failures).toBeGreaterThanOrEqual(1);
        expect(kinds).toEqual([
          'subscription_started',
          'trial_ending',
          'invoice_issued',
          'payment_receipt',
          'renewal_reminder',
          'invoice_issued',
          ...Array<string>(failures).fill('payment_failed'),
          'payment_receipt',
          'subscription_canceled',
        ]);
        expect(rows.every((row) => row.sentAt !== null && row.attempts === 1)).toBe(true);
        // One email per notice, in the same order, each recognisably the right one.
        const subjectOf: Record<string, RegExp> = {
          subscription_started: /subscription|welcome|started/i,
          trial_ending: /trial/i,
          invoice_issued: /invoice/i,
          payment_receipt: /^Receipt: Ksh\s1,500\.00 paid for invoice INV-/,
          renewal_reminder: /renew/i,
          payment_failed: /did not go through/i,
          subscription_canceled: /cancel/i,
        };
        expect(received.map((email) => email.subject)).toEqual(
          kinds.map((kind) => expect.stringMatching(subjectOf[kind]!)),
        );
        expect(received.map((email) => email.messageId)).toEqual(rows.map((row) => row.messageId));
        expect(received[2]!.subject).toContain(invoices[0]!.number);
        expect(received[5]!.subject).toContain(invoices[1]!.number);
        expect(received.at(-2)!.subject).toContain(invoices[1]!.number);
        // Key figures: amounts on the invoice and receipts, the retry date on the failure, links to the invoice.
        for (const email of [received[2], received[3], received[5], received.at(-2)])
          expect(email!.text).toMatch(/1,500\.00/);
        expect(received[6]!.text).toMatch(/\/invoices\/[0-9a-f-]{36}\?token=/);
        expect(received[3]!.attachments.map((attachment) => attachment.filename)).toEqual([
          `${invoices[0]!.number}.pdf`,
        ]);
      } finally {
        mailer.close();
        await catcher.close();
      }
    });
  });
});
