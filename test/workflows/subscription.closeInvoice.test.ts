// An operator voids (or writes off) the invoice a PAST_DUE subscription is being dunned for: the retries stop, the
// subscription is in good standing again, and the next period bills as usual. A paid invoice cannot be voided.
import { expect, it } from '@jest/globals';
import { markInvoiceUncollectible, voidInvoice } from '../../src/billing/requests/closeInvoice.js';
import { subscribe } from '../../src/billing/subscribe.js';
import { createPlan } from '../../src/catalog/createPlan.js';
import { Invoice, Payment, Subscription } from '../../src/entities/index.js';
import type { Orm } from '../../src/db/orm.js';
import { testCipher } from '../support/config.js';
import { until } from '../support/eventually.js';
import { aCustomer, admin, aProduct } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';

const statusOf = async (orm: Orm, id: string) => (await orm.em.fork().findOneOrFail(Subscription, { id })).status;
const invoicesOf = (orm: Orm, id: string) =>
  orm.em.fork().find(Invoice, { subscription: id }, { orderBy: { periodIndex: 'asc' } });
const attemptsOf = async (orm: Orm, invoiceId: string) => orm.em.fork().count(Payment, { invoice: invoiceId });

it.each([
  ['voidInvoice', voidInvoice, 'VOID'],
  ['markInvoiceUncollectible', markInvoiceUncollectible, 'UNCOLLECTIBLE'],
] as const)(
  '%s on the invoice being retried stops the retries and makes the subscription ACTIVE',
  async (_name, close, closed) => {
    await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ orm, starter, sandbox, now, advance }) => {
      const phone = closed === 'VOID' ? '0712999061' : '0712999062';
      const msisdn = `254${phone.slice(1)}`;
      const plan = await createPlan(
        orm.em.fork(),
        admin,
        {
          productId: (await aProduct(orm.em)).id,
          name: 'Demo',
          amount: 10_000,
          currency: 'KES',
          interval: 'MINUTE',
          intervalCount: 5,
          trialDays: 2,
        },
        { minutePlans: true },
      );
      const customer = await aCustomer(orm.em);
      const subscription = await subscribe(
        orm.em,
        admin,
        starter,
        testCipher(),
        { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone } },
        await now(),
      );
      await advance(2 * 60_000 + 5_000);
      await until(async () => expect(await statusOf(orm, subscription.id)).toBe('ACTIVE'), 20_000);
      sandbox.script(msisdn, { kind: 'result', resultCode: 1032 }); // every prompt is cancelled from now on
      await advance(5 * 60_000);
      await until(async () => expect(await statusOf(orm, subscription.id)).toBe('PAST_DUE'), 20_000);
      const renewal = (await invoicesOf(orm, subscription.id))[1]!;
      const attemptsBefore = await attemptsOf(orm, renewal.id);

      const result = await close(orm.em, admin, starter, { invoiceId: renewal.id, reason: 'issued by mistake' });
      expect(result.status).toBe(closed);
      expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');
      // The retry schedule (1 "day" = 1 minute) passes: nothing more is charged for the closed invoice.
      await advance(3 * 60_000 + 5_000);
      await until(async () => expect(await statusOf(orm, subscription.id)).toBe('ACTIVE'), 20_000);
      expect(await attemptsOf(orm, renewal.id)).toBe(attemptsBefore);
      expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.status)).toEqual(['PAID', closed]);

      // A closed or paid invoice cannot be closed again; nothing changes.
      for (const invoice of await invoicesOf(orm, subscription.id)) {
        await expect(voidInvoice(orm.em, admin, starter, { invoiceId: invoice.id, reason: 'again' })).rejects.toThrow(
          `only an OPEN invoice can be voided; this one is ${invoice.status}`,
        );
      }
      expect((await invoicesOf(orm, subscription.id)).map((invoice) => invoice.status)).toEqual(['PAID', closed]);
    });
  },
  120_000,
);
