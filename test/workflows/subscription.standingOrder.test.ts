// M-Pesa Ratiba end to end on the time-skipping server, the real API and the M-Pesa sandbox: the customer approves a
// standing order on their phone (the sandbox posts Daraja's result callback to the API), three daily renewals are
// collected by it without a single STK prompt (each collection a paybill payment naming the customer's account
// number), then the customer cancels it from their phone: the next renewal waits for a collection that never
// comes, the order lapses, and the invoice is prompted by STK and paid.
import { expect, it } from '@jest/globals';
import { createPlan } from '../../src/catalog/createPlan.js';
import { subscribe } from '../../src/billing/subscribe.js';
import { Invoice, PaybillPayment, Payment, StandingOrder, WebhookEvent } from '../../src/entities/index.js';
import { startApi } from '../support/api.js';
import { adminHeaders } from '../support/callers.js';
import { testCipher } from '../support/config.js';
import { until } from '../support/eventually.js';
import { aCustomer, admin, aProduct } from '../support/fixtures.js';
import { scenario } from '../support/lifecycleScenario.js';
import { invoicesOf, statusOf } from '../support/pastDueSubscription.js';
import { registerPaybill } from '../support/paybill.js';
import { TcpProxy } from '../support/tcpProxy.js';

const SECRET = 'lifecycle-callback-secret-01';
const DAY_MS = 86_400_000;
const PHONE = '0712999123';

it('collects three periods by a standing order, then prompts by STK once it is cancelled from the phone', async () => {
  const port = await TcpProxy.freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const settings = {
    MPESA_CALLBACK_WAIT_SECONDS: '1',
    MPESA_CALLBACK_SECRET: SECRET,
    PUBLIC_URL: publicUrl,
    RATIBA_COLLECTION_WAIT_HOURS: '2',
  };
  await scenario(settings, async ({ orm, env, starter, sandbox, sandboxSettings, now, advance }) => {
    const api = await startApi(orm, {
      temporal: env.client,
      taskQueue: starter.taskQueue,
      env: { ...sandboxSettings, ...settings },
      port,
    });
    try {
      await registerPaybill(sandboxSettings, api.url, SECRET);
      const plan = await createPlan(orm.em.fork(), admin, {
        productId: (await aProduct(orm.em)).id,
        name: 'Daily',
        amount: 10_000,
        currency: 'KES',
        interval: 'DAY',
      });
      const customer = await aCustomer(orm.em);
      const subscription = await subscribe(
        orm.em,
        admin,
        starter,
        testCipher(),
        { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone: PHONE } },
        await now(),
      );
      await until(async () => expect(await statusOf(orm, subscription.id)).toBe('ACTIVE'), 20_000);

      // Asked through the API; the customer approves on the phone, and Daraja's result reaches the API.
      const headers = await adminHeaders(api, orm);
      const asked = await api.graphql<{ requestStandingOrder: { id: string; status: string; frequency: number } }>(
        `mutation ($id: ID!) { requestStandingOrder(input: { subscriptionId: $id }) { id status frequency amount { amount currency } } }`,
        { id: subscription.id },
        headers,
      );
      expect(asked.errors).toBeUndefined();
      expect(asked.data!.requestStandingOrder).toMatchObject({ status: 'PENDING_APPROVAL', frequency: 2 });
      const orderId = asked.data!.requestStandingOrder.id;
      const order = async () => orm.em.fork().findOneOrFail(StandingOrder, { id: orderId });
      await until(async () => expect((await order()).status).toBe('ACTIVE'), 20_000);
      const [onPhone] = sandbox.standingOrders();
      expect(onPhone).toMatchObject({ phone: '254712999123', amount: 100, frequency: 2 });
      expect((await order()).providerReference).toBe(onPhone!.refId);
      expect(await orm.em.fork().count(WebhookEvent, { eventKey: `ratiba:${onPhone!.refId}:0` })).toBe(1);

      const stkPromptsFor = (invoiceId: string) => orm.em.fork().count(Payment, { invoice: invoiceId });
      for (let period = 1; period <= 3; period++) {
        await advance(DAY_MS);
        const renewal = await until(async () => {
          const invoice = (await invoicesOf(orm, subscription.id))[period];
          expect(invoice).toBeDefined();
          return invoice!;
        }, 20_000);
        const collected = sandbox.collectStandingOrder(onPhone!.refId);
        expect(collected.collected).toBe(true);
        await until(async () => {
          expect(await orm.em.fork().findOneOrFail(Invoice, { id: renewal.id })).toMatchObject({ status: 'PAID' });
        }, 20_000);
        expect(await orm.em.fork().findOneOrFail(PaybillPayment, { transId: collected.transId! })).toMatchObject({
          status: 'MATCHED',
          appliedToInvoices: 10_000,
        });
        expect(await stkPromptsFor(renewal.id)).toBe(0);
      }
      expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');

      // Cancelled from the phone: nothing tells us; the next collection simply never comes.
      sandbox.cancelStandingOrderFromPhone(onPhone!.refId);
      await advance(DAY_MS);
      const fourth = await until(async () => {
        const invoice = (await invoicesOf(orm, subscription.id))[4];
        expect(invoice).toBeDefined();
        return invoice!;
      }, 20_000);
      expect(sandbox.collectStandingOrder(onPhone!.refId)).toEqual({ collected: false, status: 'cancelled' });
      expect(await stkPromptsFor(fourth.id)).toBe(0);
      await advance(2 * 60 * 60 * 1000 + 60_000); // the wait for the collection runs out
      await until(async () => {
        expect(await orm.em.fork().findOneOrFail(Invoice, { id: fourth.id })).toMatchObject({ status: 'PAID' });
      }, 20_000);
      expect(await stkPromptsFor(fourth.id)).toBe(1);
      expect(await order()).toMatchObject({ status: 'LAPSED', failureMessage: expect.stringContaining(fourth.number) });
      expect(sandbox.ledger().filter((entry) => entry.kind === 'c2b')).toHaveLength(3);
    } finally {
      await api.stop();
    }
  });
}, 180_000);
