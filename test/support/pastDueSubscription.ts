// A KES subscription on a 5-minute plan with a 2-minute trial, paid once by M-Pesa and then PAST_DUE on its first
// renewal because every prompt is cancelled: what the invoice-correction scenarios start from.
import { expect } from '@jest/globals';
import { subscribe } from '../../src/billing/subscribe.js';
import { createPlan } from '../../src/catalog/createPlan.js';
import { Invoice, Subscription } from '../../src/entities/index.js';
import type { Orm } from '../../src/db/orm.js';
import { testCipher } from './config.js';
import { until } from './eventually.js';
import { aCustomer, admin, aProduct } from './fixtures.js';
import type { Scenario } from './lifecycleScenario.js';

export const statusOf = async (orm: Orm, id: string) =>
  (await orm.em.fork().findOneOrFail(Subscription, { id })).status;

export const invoicesOf = (orm: Orm, subscriptionId: string) =>
  orm.em.fork().find(Invoice, { subscription: subscriptionId }, { orderBy: { periodIndex: 'asc' } });

/** Subscribes, pays the first period, then fails every renewal prompt until the subscription is PAST_DUE. */
export async function pastDueSubscription({ orm, starter, sandbox, now, advance }: Scenario, phone: string) {
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
  sandbox.script(`254${phone.slice(1)}`, { kind: 'result', resultCode: 1032 }); // every prompt cancelled from now on
  await advance(5 * 60_000);
  await until(async () => expect(await statusOf(orm, subscription.id)).toBe('PAST_DUE'), 20_000);
  const [paid, renewal] = await invoicesOf(orm, subscription.id);
  return { customer, subscription, paid: paid!, renewal: renewal! };
}
