// Standing orders over HTTP against the real API and database: the result callbacks Daraja sends (both casings of
// its samples), stored raw whatever they say; the refusals a request meets, each naming the rule. The end-to-end
// collection through the workflow is test/workflows/subscription.standingOrder.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { resultCallback, type StandingOrder as SandboxOrder } from '../../../sandboxes/mpesa/ratiba.js';
import { endSubscription } from '../../../src/billing/changes/endSubscription.js';
import { NO_TAX } from '../../../src/domain/tax.js';
import { Customer, Invoice, Payment, StandingOrder, Subscription, WebhookEvent } from '../../../src/entities/index.js';
import { issueAndChargePeriodInvoice } from '../../../src/payments/issueAndCharge.js';
import { paymentServices } from '../../../src/payments/providers.js';
import { sealingContext, sealMethod } from '../../../src/payments/paymentMethods.js';
import { requestStandingOrder } from '../../../src/payments/ratiba/requestStandingOrder.js';
import { apiForSuite } from '../../support/api.js';
import { testCipher, testConfig } from '../../support/config.js';
import { aCustomer, admin, aPlan } from '../../support/fixtures.js';

const SECRET = `ratiba-${'s'.repeat(20)}`;

describe('standing orders', () => {
  const suite = apiForSuite({ MPESA_CALLBACK_SECRET: SECRET });
  const started: string[] = [];
  const deps = { workflows: { start: async (id: string) => void started.push(id) }, tax: NO_TAX };

  async function aSubscription(plan: Parameters<typeof aPlan>[1] = {}, provider: 'MPESA' | 'PAYPAL' = 'MPESA') {
    const customer = await aCustomer(suite.orm.em);
    const { id: planId } = await aPlan(suite.orm.em, { amount: 150_000, interval: 'MONTH', ...plan });
    const em = suite.orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: planId,
      status: 'ACTIVE',
      billingAnchor: new Date('2031-01-05T09:00:00Z'),
      currentPeriodStart: new Date('2031-01-05T09:00:00Z'),
      currentPeriodEnd: new Date('2031-02-05T09:00:00Z'),
      paymentProvider: provider,
    });
    const method =
      provider === 'MPESA'
        ? { kind: 'mpesa' as const, phone: '+254712000111' }
        : { kind: 'paypal' as const, vaultId: 'v1' };
    subscription.paymentMethodSealed = sealMethod(testCipher(), method, sealingContext.subscription(subscription.id));
    await em.flush();
    return subscription;
  }

  /** An order as Daraja accepted it: PENDING_APPROVAL with its responseRefID recorded. */
  async function anOrderOnThePhone() {
    const subscription = await aSubscription();
    const order = await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id });
    const refId = randomUUID();
    await suite.orm.em.fork().nativeUpdate(StandingOrder, { id: order.id }, { providerReference: refId });
    const asSandbox = { refId, phone: '254712000111' } as SandboxOrder;
    return { order, refId, subscription, asSandbox };
  }

  const reload = (id: string) => suite.orm.em.fork().findOneOrFail(StandingOrder, { id });
  const deliver = (orderId: string, body: unknown, secret = SECRET) =>
    fetch(`${suite.api.url}/webhooks/mpesa/${secret}/ratiba/${orderId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const storedFor = (text: string) =>
    suite.orm.em.fork().find(WebhookEvent, { rawBody: { $like: `%${text}%` } }, { orderBy: { receivedAt: 'asc' } });

  it('asks for the period’s amount from the next period on, collected as the customer’s account, once', async () => {
    const subscription = await aSubscription();
    const order = await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id });
    const { accountNumber } = await suite.orm.em.fork().findOneOrFail(Customer, { id: subscription.customer.id });
    expect(order).toMatchObject({
      status: 'PENDING_APPROVAL',
      amount: 150_000,
      currency: 'KES',
      frequency: 4,
      startDate: '2031-02-05',
      endDate: '2036-02-05',
      accountReference: accountNumber,
    });
    expect(started).toContain(order.id);
    const again = await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id });
    expect(again.id).toBe(order.id);
    expect(await suite.orm.em.fork().count(StandingOrder, { subscription: subscription.id })).toBe(1);
  });

  it('makes it ACTIVE when the customer approves, and stores a repeat of that result as DUPLICATE', async () => {
    const { order, refId, asSandbox } = await anOrderOnThePhone();
    const approval = resultCallback(asSandbox, { kind: 'approve' });
    expect((await deliver(order.id, approval)).status).toBe(200);
    expect(await reload(order.id)).toMatchObject({ status: 'ACTIVE', transactionId: expect.any(String) });
    expect((await deliver(order.id, approval)).status).toBe(200);
    expect((await storedFor(refId)).map((event) => event.status)).toEqual(['ACCEPTED', 'DUPLICATE']);
    // A contradicting word after the decision comes too late: kept, refused, and nothing changes.
    const late = await deliver(order.id, resultCallback(asSandbox, { kind: 'decline', responseCode: '1032' }));
    expect(late.status).toBe(409);
    expect(await reload(order.id)).toMatchObject({ status: 'ACTIVE' });
  });

  it('records a decline in Daraja’s PascalCase failure shape with its code', async () => {
    const { order, asSandbox } = await anOrderOnThePhone();
    await deliver(order.id, resultCallback(asSandbox, { kind: 'decline', responseCode: '1037' }));
    expect(await reload(order.id)).toMatchObject({
      status: 'DECLINED',
      failureCode: '1037',
      endedAt: expect.any(Date),
    });
  });

  it('keeps every refused delivery raw with its reason, and changes nothing', async () => {
    const { order, asSandbox } = await anOrderOnThePhone();
    const approval = resultCallback(asSandbox, { kind: 'approve' });
    // Each body carries its own marker, so the row found is this delivery's, not another suite's refusal.
    const marked = (body: object) => ({ ...body, marker: `refused-${randomUUID()}` });
    const cases: [object, (body: object) => Promise<Response>, number, string][] = [
      [marked(approval), (body) => deliver(order.id, body, 'wrong-secret-xxxxxxxxxx'), 404, 'wrong path secret'],
      [
        marked({ ...approval, responseHeader: undefined }),
        (body) => deliver(order.id, body),
        400,
        'not a Ratiba result',
      ],
      [marked(approval), (body) => deliver(randomUUID(), body), 404, 'no standing order with this id'],
      [
        marked(resultCallback({ ...asSandbox, refId: randomUUID() }, { kind: 'approve' })),
        (body) => deliver(order.id, body),
        400,
        'responseRefID is not the reference',
      ],
    ];
    for (const [body, send, status, reason] of cases) {
      const response = await send(body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ ResultCode: 1, ResultDesc: 'Rejected' });
      expect(await storedFor((body as { marker: string }).marker)).toEqual([
        expect.objectContaining({ status: 'REJECTED', reason: expect.stringMatching(new RegExp(`^${reason}`)) }),
      ]);
    }
    const notJsonMarker = `not-json-${randomUUID()}`;
    const notJson = await deliver(order.id, `{"ResponseHeader": "${notJsonMarker}`);
    expect(notJson.status).toBe(400);
    expect(await storedFor(notJsonMarker)).toEqual([expect.objectContaining({ status: 'REJECTED' })]);
    expect(await reload(order.id)).toMatchObject({ status: 'PENDING_APPROVAL' });
  });

  it('refuses a result for an order whose subscription ended', async () => {
    const { order, subscription, asSandbox } = await anOrderOnThePhone();
    await endSubscription(suite.orm.em, {
      subscriptionId: subscription.id,
      reason: 'CANCELED_BY_REQUEST',
      endedAt: new Date().toISOString(),
    });
    expect(await reload(order.id)).toMatchObject({ status: 'CANCELLED', failureMessage: 'the subscription ended' });
    const response = await deliver(order.id, resultCallback(asSandbox, { kind: 'approve' }));
    expect(response.status).toBe(409);
    expect(await reload(order.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('replaces an active order when the amount changed', async () => {
    const { order, subscription, asSandbox } = await anOrderOnThePhone();
    await deliver(order.id, resultCallback(asSandbox, { kind: 'approve' }));
    await suite.orm.em.fork().nativeUpdate(StandingOrder, { id: order.id }, { amount: 100_000 });
    const replacement = await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id });
    expect(replacement.id).not.toBe(order.id);
    expect(await reload(order.id)).toMatchObject({ status: 'CANCELLED' });
    expect(replacement).toMatchObject({ status: 'PENDING_APPROVAL', amount: 150_000 });
  });

  it('refuses what a standing order cannot collect, naming the rule', async () => {
    const ask = async (subscription: Subscription) =>
      requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id }).catch(
        (error: Error) => error,
      );
    const everyTwoWeeks = await ask(await aSubscription({ interval: 'WEEK', intervalCount: 2 }));
    expect(everyTwoWeeks).toMatchObject({
      name: 'ValidationError',
      fields: { 'input.subscriptionId': expect.stringContaining('cannot collect every 2 week') },
    });
    const withCents = await ask(await aSubscription({ amount: 150_050 }));
    expect(withCents).toMatchObject({
      fields: { 'input.subscriptionId': expect.stringContaining('whole shillings') },
    });
    const byPaypal = await ask(await aSubscription({ currency: 'USD', amount: 2_000 }, 'PAYPAL'));
    expect(byPaypal).toMatchObject({ name: 'ConflictError', message: expect.stringContaining('paid by M-Pesa') });
    expect(
      await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: 'not-a-uuid' }).catch((e: Error) => e),
    ).toMatchObject({
      name: 'ValidationError',
      fields: { 'input.subscriptionId': 'must be a subscription id (UUID)' },
    });
  });
  describe('at a renewal', () => {
    async function anActiveOrder(amount: number) {
      const subscription = await aSubscription();
      const order = await requestStandingOrder(suite.orm.em, admin, deps, { subscriptionId: subscription.id });
      await suite.orm.em
        .fork()
        .nativeUpdate(StandingOrder, { id: order.id }, { status: 'ACTIVE', approvedAt: new Date(), amount });
      return subscription;
    }
    const ctx = () => ({ em: suite.orm.em, ...paymentServices(testConfig().payments), publicUrl: suite.api.url });
    const renew = (subscriptionId: string) =>
      issueAndChargePeriodInvoice(ctx(), { subscriptionId, periodIndex: 0, awaitStandingOrder: true });

    it('charges nothing when the active order covers the invoice: the renewal waits for its collection', async () => {
      const subscription = await anActiveOrder(150_000);
      const renewed = await renew(subscription.id);
      expect(renewed.charge).toMatchObject({ status: 'STANDING_ORDER', paymentId: null });
      expect(await suite.orm.em.fork().count(Payment, { invoice: renewed.invoiceId })).toBe(0);
      // A retried activity finds the invoice written and decides the same.
      expect((await renew(subscription.id)).charge).toMatchObject({ status: 'STANDING_ORDER' });
    });

    it('prompts as usual when the price went above the order, and asks the customer once to replace it', async () => {
      const subscription = await anActiveOrder(100_000);
      // The prompt goes to the provider (unreachable here): what matters is that it was attempted, not waited for.
      await renew(subscription.id).catch(() => undefined);
      const [invoice] = await suite.orm.em.fork().find(Invoice, { subscription: subscription.id });
      expect(await suite.orm.em.fork().count(Payment, { invoice: invoice!.id })).toBe(1);
      await renew(subscription.id).catch(() => undefined);
      const notices = await suite.orm.em
        .fork()
        .execute<{ kind: string; payload: Record<string, unknown> }[]>(
          `select kind, payload from outbox_messages where subscription_id = ? and kind = 'standing_order_outdated'`,
          [subscription.id],
        );
      expect(notices).toEqual([
        {
          kind: 'standing_order_outdated',
          payload: expect.objectContaining({ invoiceNumber: invoice!.number, amount: 150_000, orderAmount: 100_000 }),
        },
      ]);
    });
  });
});
