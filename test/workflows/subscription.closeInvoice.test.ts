// An operator voids (or writes off) the invoice a PAST_DUE subscription is being dunned for: the retries stop, the
// subscription is in good standing again, and the next period bills as usual. A paid invoice cannot be voided.
import { expect, it } from '@jest/globals';
import { markInvoiceUncollectible, voidInvoice } from '../../src/billing/requests/closeInvoice.js';
import { Payment } from '../../src/entities/index.js';
import type { Orm } from '../../src/db/orm.js';
import { until } from '../support/eventually.js';
import { admin } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';
import { invoicesOf, pastDueSubscription, statusOf } from '../support/pastDueSubscription.js';

const attemptsOf = async (orm: Orm, invoiceId: string) => orm.em.fork().count(Payment, { invoice: invoiceId });

it.each([
  ['voidInvoice', voidInvoice, 'VOID'],
  ['markInvoiceUncollectible', markInvoiceUncollectible, 'UNCOLLECTIBLE'],
] as const)(
  '%s on the invoice being retried stops the retries and makes the subscription ACTIVE',
  async (_name, close, closed) => {
    await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async (scene) => {
      const { orm, starter, advance } = scene;
      const { subscription, renewal } = await pastDueSubscription(
        scene,
        closed === 'VOID' ? '0712999061' : '0712999062',
      );
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
