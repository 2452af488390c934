// A provider's "pending" answer is recorded by one statement (recordPendingOutcome, through recordChargeOutcome): the
// reference and what the payment waits for are kept, an earlier outage's error is cleared, and a payment a callback
// settled first is never moved back to PENDING.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment } from '../../../src/entities/index.js';
import type { PaymentContext } from '../../../src/payments/paymentContext.js';
import { recordChargeOutcome, type PaymentKeys } from '../../../src/payments/recordChargeOutcome.js';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, aPlan, aSubscriptionRow } from '../../support/fixtures.js';

describe('recording a pending answer', () => {
  let orm: Orm;
  let ctx: PaymentContext;

  beforeAll(async () => {
    orm = await testOrm();
    ctx = {
      em: orm.em,
      providers: { MPESA: null, PAYPAL: null },
      cipher: testCipher(),
      publicUrl: 'http://127.0.0.1',
    };
  });
  afterAll(async () => {
    await orm?.close();
  });

  /** An ACTIVE subscription's issued invoice and its attempt-1 payment, PENDING without a reference yet. */
  async function aPendingPayment(provider: 'MPESA' | 'PAYPAL'): Promise<PaymentKeys> {
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 150_000, currency: 'KES' }),
    ]);
    const subscription = await aSubscriptionRow(orm.em, {
      customer: customer.id,
      plan: plan.id,
      status: 'ACTIVE',
    });
    const { invoiceId } = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    const em = orm.em.fork();
    const payment = em.create(Payment, {
      invoice: invoiceId,
      customer: customer.id,
      provider,
      status: 'PENDING',
      attempt: 1,
      amount: 150_000,
      currency: 'KES',
      idempotencyKey: `${invoiceId}:1`,
      failureCode: 'UNAVAILABLE',
      failureMessage: 'the provider timed out',
    });
    await em.flush();
    return { paymentId: payment.id, invoiceId, subscriptionId: subscription.id };
  }

  const paymentRow = (id: string) => orm.em.fork().findOneOrFail(Payment, { id });

  it('keeps the M-Pesa CheckoutRequestID, clears the outage it followed, and says it waits for the callback', async () => {
    const keys = await aPendingPayment('MPESA');
    const result = await recordChargeOutcome(ctx, keys, {
      kind: 'pending',
      providerReference: 'ws_CO_041220262231000001',
      awaiting: 'callback',
    });
    expect(result).toEqual({
      paymentId: keys.paymentId,
      status: 'PENDING',
      awaiting: 'callback',
      hardDecline: false,
      failureCode: null,
      subscriptionStatus: 'ACTIVE',
    });
    expect(await paymentRow(keys.paymentId)).toMatchObject({
      status: 'PENDING',
      providerReference: 'ws_CO_041220262231000001',
      failureCode: null,
      failureMessage: null,
      approvalUrl: null,
    });
  });

  it("keeps a PayPal order's approval link while the buyer has not approved, and drops it once captured", async () => {
    const keys = await aPendingPayment('PAYPAL');
    const approval = 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T';
    const waiting = await recordChargeOutcome(ctx, keys, {
      kind: 'pending',
      providerReference: '5O190127TN364715T',
      awaiting: 'buyerApproval',
      approvalUrl: approval,
    });
    expect(waiting).toMatchObject({ status: 'PENDING', awaiting: 'buyerApproval' });
    // Asked again, PayPal's answer need not repeat the link: the one kept stays.
    await recordChargeOutcome(ctx, keys, {
      kind: 'pending',
      providerReference: '5O190127TN364715T',
      awaiting: 'buyerApproval',
    });
    expect((await paymentRow(keys.paymentId)).approvalUrl).toBe(approval);
    const review = await recordChargeOutcome(ctx, keys, {
      kind: 'pending',
      providerReference: '3C679366HH908993F',
      awaiting: 'webhook',
    });
    expect(review).toMatchObject({ status: 'PENDING', awaiting: 'webhook' });
    expect(await paymentRow(keys.paymentId)).toMatchObject({
      providerReference: '3C679366HH908993F',
      approvalUrl: null,
    });
  });

  it('changes nothing when a callback settled the payment first, and reports what it became', async () => {
    const keys = await aPendingPayment('MPESA');
    const completedAt = new Date('2033-05-01T00:00:05Z');
    const paid = await recordChargeOutcome(ctx, keys, {
      kind: 'succeeded',
      providerReference: 'ws_CO_041220262231000002',
      completedAt,
    });
    expect(paid).toMatchObject({ status: 'SUCCEEDED', subscriptionStatus: 'ACTIVE' });
    // The STK push's own answer, recorded late (the callback came first).
    const late = await recordChargeOutcome(ctx, keys, {
      kind: 'pending',
      providerReference: 'ws_CO_041220262231000002',
      awaiting: 'callback',
    });
    expect(late).toEqual(paid);
    expect(await paymentRow(keys.paymentId)).toMatchObject({ status: 'SUCCEEDED', completedAt });
    expect((await orm.em.fork().findOneOrFail(Invoice, { id: keys.invoiceId })).status).toBe('PAID');
  });
});
