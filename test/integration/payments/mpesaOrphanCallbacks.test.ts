// Many M-Pesa callbacks at once through the real API and Postgres, while other charges of the same price record their
// pushes: the orphan callbacks (paid prompts whose CheckoutRequestID died with a worker) are each adopted by their
// own payment, and no delivery is answered 500 (a deadlock made Daraja retry 3 of 4,023 callbacks under load).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Subscription, WebhookEvent } from '../../../src/entities/index.js';
import { processLog, setProcessLog } from '../../../src/logger.js';
import { chargeInvoice } from '../../../src/payments/chargeInvoice.js';
import { MpesaProvider } from '../../../src/payments/mpesa/MpesaProvider.js';
import type { PaymentContext } from '../../../src/payments/paymentContext.js';
import { labelOf, sealingContext, sealMethod } from '../../../src/payments/paymentMethods.js';
import { recordChargeOutcome, ProviderUnavailableError } from '../../../src/payments/recordChargeOutcome.js';
import { createMpesaSandbox, type MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { until } from '../../support/eventually.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';
import { devServerEnvironment } from '../../support/temporal.js';

const SECRET = `orphans-${'x'.repeat(24)}`;
const PRICE = 99_900; // KES 999.00, shared by every subscription: the case that used to lock every waiting payment
const ROUNDS = 6;
const ORPHANS = 30;
const RECORDED_MEANWHILE = 30;

describe('concurrent M-Pesa callbacks for orphan pushes', () => {
  let orm: Orm;
  let api: RunningApi;
  let sandbox: MpesaSandbox;
  let temporal: TestWorkflowEnvironment;
  /** Callbacks adopted by a payment (each signals its workflow), and the signals Temporal has answered. */
  let adopted = 0;
  let signalsAnswered = 0;
  /** One adapter on the sandbox, as one worker would have. */
  let daraja: MpesaProvider;
  const cipher = testCipher();
  const run = String(Date.now()).slice(-4);
  let nextPhone = 0;
  /** 2547XXXXXXXX, unique in this run (the sandbox holds one open prompt per phone). */
  const aPhone = () => `25471${run}${String(nextPhone++).padStart(3, '0')}`;

  beforeAll(async () => {
    // Adopted callbacks signal workflows that these tests never started; the API warns about each, as it should.
    const log = processLog();
    setProcessLog({
      ...log,
      warn: (message, fields) => {
        if (message.startsWith("could not signal a payment's workflow")) signalsAnswered++;
        else log.warn(message, fields);
      },
    });
    [orm, temporal] = await Promise.all([testOrm(), devServerEnvironment()]);
    // A real Temporal: adopted callbacks signal their (absent) workflows, which answers "not found" at once.
    api = await startApi(orm, { temporal: temporal.client, env: { MPESA_CALLBACK_SECRET: SECRET } });
    // The customers answer only when the test says so (deliverPendingCallbacks), all at once.
    // A generous delivery timeout: on a shared 2-core machine a burst can be slow, and slowness is not what is tested.
    sandbox = createMpesaSandbox({
      consumerKey: 'ck',
      consumerSecret: 'cs',
      passkey: 'pk',
      callbackDelayMs: 600_000,
      callbackTimeoutMs: 60_000,
    });
    daraja = provider(`http://127.0.0.1:${await sandbox.listen(0, '127.0.0.1')}`);
  });
  afterAll(async () => {
    // The API signals after answering: let those calls finish before Temporal goes away under them.
    await until(() => expect(signalsAnswered).toBeGreaterThanOrEqual(adopted));
    await sandbox?.close();
    await api?.stop();
    await temporal?.teardown();
    await orm?.close();
  });

  const provider = (baseUrl: string) =>
    new MpesaProvider({
      baseUrl,
      consumerKey: 'ck',
      consumerSecret: 'cs',
      shortcode: '174379',
      passkey: 'pk',
      callbackUrl: `${api.url}/webhooks/mpesa/${SECRET}`,
      timeoutMs: 2_000,
    });
  /** Providers that cannot be reached: chargeInvoice commits the attempt's PENDING row, then finds Daraja down. */
  const unreachable = (): PaymentContext => ({
    em: orm.em,
    providers: { MPESA: provider('http://127.0.0.1:1'), PAYPAL: null },
    cipher,
    publicUrl: api.url,
  });

  /** A subscription on the shared price with its first invoice, and that attempt's PENDING payment (no reference). */
  async function waitingPayment(planId: string, phone: string): Promise<Payment> {
    const customer = await aCustomer(orm.em);
    const em = orm.em.fork();
    const method = { kind: 'mpesa' as const, phone: `+${phone}` };
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: planId,
      status: 'INCOMPLETE',
      billingAnchor: new Date(),
      paymentProvider: 'MPESA',
      paymentMethodLabel: labelOf(method),
    });
    subscription.paymentMethodSealed = sealMethod(cipher, method, sealingContext.subscription(subscription.id));
    await em.flush();
    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    await expect(chargeInvoice(unreachable(), { invoiceId: invoice.invoiceId, attempt: 1 })).rejects.toThrow(
      ProviderUnavailableError,
    );
    return orm.em.fork().findOneOrFail(Payment, { invoice: invoice.invoiceId, attempt: 1 }, { populate: ['invoice'] });
  }

  /** Daraja accepts a push for `payment`'s phone and amount, but the answer is lost: returns its CheckoutRequestID. */
  async function lostPush(payment: Payment, phone: string): Promise<string> {
    const outcome = await daraja.charge({
      idempotencyKey: payment.idempotencyKey,
      invoiceId: payment.invoice.id,
      invoiceNumber: 'INV-ORPHAN',
      amount: { amount: PRICE, currency: 'KES' },
      description: 'Orphan push',
      method: { kind: 'mpesa', phone: `+${phone}` },
    });
    expect(outcome.kind).toBe('pending');
    return (outcome as { providerReference: string }).providerReference;
  }

  /** One round: ORPHANS paid prompts whose answers were lost, and RECORDED_MEANWHILE pushes being recorded. */
  async function round(planId: string): Promise<(number | string | undefined)[]> {
    const orphanPhones = Array.from({ length: ORPHANS }, aPhone);
    const otherPhones = Array.from({ length: RECORDED_MEANWHILE }, aPhone);
    const orphans = await Promise.all(orphanPhones.map((phone) => waitingPayment(planId, phone)));
    const others = await Promise.all(otherPhones.map((phone) => waitingPayment(planId, phone)));

    // Daraja accepted a push for every orphan, but its answer was lost: the payments never learnt the reference.
    const references = await Promise.all(orphans.map((orphan, i) => lostPush(orphan, orphanPhones[i]!)));

    // Every customer pays at once; meanwhile the other charges of the same price record their pushes (the writers
    // that lock subscription, then invoice, then payment).
    const noProviders = { ...unreachable(), providers: { MPESA: null, PAYPAL: null } };
    await Promise.all([
      sandbox.deliverPendingCallbacks(),
      ...others.map((payment) =>
        recordChargeOutcome(
          noProviders,
          { paymentId: payment.id, invoiceId: payment.invoice.id, subscriptionId: payment.invoice.subscription!.id },
          {
            kind: 'pending',
            providerReference: `ws_CO_meanwhile_${run}_${payment.id}`,
            awaiting: 'callback',
          },
        ),
      ),
    ]);

    const em = orm.em.fork();
    for (const [i, orphan] of orphans.entries()) {
      const payment = await em.findOneOrFail(Payment, { id: orphan.id });
      expect(payment).toMatchObject({ status: 'PENDING', providerReference: references[i] });
      const [event] = await em.find(WebhookEvent, { eventKey: `${references[i]}:0`, status: 'ACCEPTED' });
      expect(event).toMatchObject({ paymentId: orphan.id });
      adopted++;
    }
    for (const other of others) {
      const payment = await em.findOneOrFail(Payment, { id: other.id });
      expect(payment.providerReference).toBe(`ws_CO_meanwhile_${run}_${other.id}`);
    }
    return sandbox
      .deliveries()
      .filter((d) => references.includes(d.checkoutRequestId))
      .map((d) => d.status ?? d.error);
  }

  it('adopts each orphan push by its own payment and answers every delivery 200, while other pushes are recorded', async () => {
    const plan = await aPlan(orm.em, { amount: PRICE, currency: 'KES', trialDays: 0 });
    const statuses: (number | string | undefined)[] = [];
    for (let i = 0; i < ROUNDS; i++) statuses.push(...(await round(plan.id)));
    console.log(`${statuses.length} concurrent orphan callback deliveries: ${JSON.stringify(countBy(statuses))}`);
    // A 500 would be retried by Daraja (same body): the first attempt of each must already succeed.
    expect(statuses).toEqual(Array.from({ length: ROUNDS * ORPHANS }, () => 200));
  }, 240_000);

  it('does not guess between two payments waiting with the same phone and amount', async () => {
    const plan = await aPlan(orm.em, { amount: PRICE, currency: 'KES', trialDays: 0 });
    const phone = aPhone();
    const waiting = [await waitingPayment(plan.id, phone), await waitingPayment(plan.id, phone)];
    const reference = await lostPush(waiting[0]!, phone);
    await sandbox.deliverPendingCallbacks();

    const [event] = await orm.em.fork().find(WebhookEvent, { eventKey: `${reference}:0` });
    expect(event).toMatchObject({ status: 'ACCEPTED', paymentId: null });
    const after = await orm.em.fork().find(Payment, { id: { $in: waiting.map((p) => p.id) } });
    expect(after.map((p) => p.providerReference)).toEqual([null, null]);
  });

  it('still adopts for a payment written before phone digests existed', async () => {
    const plan = await aPlan(orm.em, { amount: PRICE, currency: 'KES', trialDays: 0 });
    const phone = aPhone();
    const legacy = await waitingPayment(plan.id, phone);
    expect(legacy.phoneDigest).toMatch(/^dev\./);
    await orm.em.getConnection().execute(`update payments set phone_digest = null where id = ?`, [legacy.id]);
    const reference = await lostPush(legacy, phone);
    await sandbox.deliverPendingCallbacks();
    expect(await orm.em.fork().findOneOrFail(Payment, { id: legacy.id })).toMatchObject({
      providerReference: reference,
    });
    adopted++;
  });
});

function countBy(values: unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
