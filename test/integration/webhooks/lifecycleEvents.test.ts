// A whole lifecycle, walked on a time-skipping Temporal server with the real workflow and activities, produces
// exactly the expected events, delivered in order to the app's real HTTP endpoint: subscribe with a trial, pay,
// renew, fail to pay, recover, cancel.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { createApiClient } from '../../../src/accounts/apiClients.js';
import { cancelSubscription } from '../../../src/billing/requests/cancelSubscription.js';
import { subscribe } from '../../../src/billing/subscribe.js';
import { createPlan } from '../../../src/catalog/createPlan.js';
import { Subscription } from '../../../src/entities/index.js';
import type { Caller } from '../../../src/kernel/caller.js';
import { startDeliveryLoop, type DeliveryLoop } from '../../../src/webhooks/delivery/deliveryLoop.js';
import { createWebhookEndpoint } from '../../../src/webhooks/endpoints/createWebhookEndpoint.js';
import { verifySignature } from '../../../src/webhooks/signature.js';
import { TEST_DATABASE_URL, testCipher } from '../../support/config.js';
import { until } from '../../support/eventually.js';
import { aCustomer, admin, aProduct } from '../../support/fixtures.js';
import { scenario } from '../../support/lifecycleScenario.js';
import { WebhookReceiver } from '../../support/webhookReceiver.js';

let pool: pg.Pool;
let loop: DeliveryLoop;
let receiver: WebhookReceiver;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
  loop = startDeliveryLoop({
    pool,
    cipher: testCipher(),
    policy: { allowPrivate: true },
    concurrency: 4,
    timeoutMs: 5_000,
    pollMs: 50,
  });
  receiver = await new WebhookReceiver().listen();
});

afterAll(async () => {
  await loop.stop();
  await receiver.close();
  await pool.end();
});

it('subscribe, pay, renew, fail, recover, cancel: exactly these events, in this order, each verifiable', async () => {
  await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1' }, async ({ orm, starter, sandbox, now, advance }) => {
    const client = await createApiClient(orm.em.fork(), admin, { name: 'lifecycle app', scopes: ['write:webhooks'] });
    const app: Caller = { kind: 'apiClient', apiClientId: client.id, apiKeyId: client.id, scopes: ['write:webhooks'] };
    const { secret } = await createWebhookEndpoint(
      orm.em.fork(),
      app,
      { cipher: testCipher(), policy: { allowPrivate: true } },
      { url: receiver.url, eventTypes: ['*'] },
    );
    const customer = await aCustomer(orm.em, { ...app, scopes: ['write:customers'] });
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
    const subscription = await subscribe(
      orm.em,
      admin,
      starter,
      testCipher(),
      { customerId: customer.id, planId: plan.id, paymentMethod: { provider: 'MPESA', phone: '0712999044' } },
      await now(),
    );
    const status = async () => (await orm.em.fork().findOneOrFail(Subscription, { id: subscription.id })).status;

    await advance(2 * 60_000 + 5_000); // the trial ends: the first invoice is paid
    await until(async () => expect(await status()).toBe('ACTIVE'), 20_000);
    sandbox.script('254712999044', { kind: 'result', resultCode: 1032 }); // the renewal prompt is cancelled
    await advance(5 * 60_000);
    await until(async () => expect(await status()).toBe('PAST_DUE'), 20_000);
    sandbox.script('254712999044', null);
    await advance(60_000 + 5_000); // the first retry goes through
    await until(async () => expect(await status()).toBe('ACTIVE'), 20_000);
    await cancelSubscription(orm.em, admin, starter, { subscriptionId: subscription.id });

    // Events of one transaction keep the order its rows were written in (a payment's success and its invoice's
    // are one change). A 2-minute trial is shorter than TRIAL_ENDING_NOTICE_DAYS: no trial_will_end here.
    const expected = [
      'customer.created',
      'subscription.created',
      'entitlement.changed',
      'invoice.created',
      'invoice.finalized',
      'subscription.activated',
      'invoice.paid',
      'payment.succeeded',
      'invoice.created',
      'invoice.finalized',
      'subscription.renewed',
      'payment.failed',
      'invoice.payment_failed',
      'subscription.past_due',
      'subscription.activated',
      'invoice.paid',
      'payment.succeeded',
      'subscription.ended',
      'subscription.canceled',
      'entitlement.changed',
    ];
    // CI runs every suite against one database, and any suite's delivery loop (or a worker process another suite
    // kills) may take one of these deliveries: a lease left by a killed process runs out in seconds, a failed
    // attempt is tried again 10 s later, and each event waits for the one before it. Up to a minute is still "delivered".
    await until(async () => expect(receiver.of(customer.id).map((r) => r.event.type)).toEqual(expected), 60_000);
    const listed = await pool.query<{ type: string }>('select type from events where customer_id = $1 order by seq', [
      customer.id,
    ]);
    expect(listed.rows.map((row) => row.type)).toEqual(expected);
    for (const delivery of receiver.of(customer.id)) {
      const check = verifySignature(
        delivery.headers['billing-signature'] as string,
        delivery.rawBody,
        secret,
        (Date.now() / 1000) | 0,
      );
      expect(check).toEqual({ ok: true });
    }
    const paid = receiver.of(customer.id).filter((r) => r.event.type === 'invoice.paid');
    expect(paid.map((r) => r.event.data.object.amountDue)).toEqual([
      { amount: 10_000, currency: 'KES' },
      { amount: 10_000, currency: 'KES' },
    ]);
  });
}, 180_000);
