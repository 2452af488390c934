// The charge path (chargeInvoice -> advancePayment -> PaypalProvider) against the PayPal sandbox and Postgres when the
// answer to a first payment's create-order is lost: the payment row stays without a reference, and the retried
// activity creates the order again with the same PayPal-Request-Id. PayPal answers that with the order as it is now.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Payment, Subscription } from '../../../src/entities/index.js';
import { chargeInvoice } from '../../../src/payments/chargeInvoice.js';
import type { PaymentContext } from '../../../src/payments/paymentContext.js';
import { openMethod, sealingContext, sealMethod } from '../../../src/payments/paymentMethods.js';
import { PaypalProvider } from '../../../src/payments/paypal/PaypalProvider.js';
import { captureRequestId } from '../../../src/payments/paypal/requestIds.js';
import { ProviderUnavailableError } from '../../../src/payments/recordChargeOutcome.js';
import { createPaypalSandbox, type PaypalSandbox } from '../../../sandboxes/paypal/server.js';
import { testCipher } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, aPlan, aSubscriptionRow } from '../../support/fixtures.js';

describe('a first PayPal charge retried after its create-order answer was lost', () => {
  const cipher = testCipher();
  let orm: Orm;
  let sandbox: PaypalSandbox;
  let baseUrl: string;

  beforeAll(async () => {
    orm = await testOrm();
    sandbox = createPaypalSandbox({ clientId: 'client', clientSecret: 'secret', webhookDelayMs: 60_000 });
    baseUrl = `http://127.0.0.1:${await sandbox.listen(0)}`;
  });
  afterAll(async () => {
    await sandbox?.close();
    await orm?.close();
  });

  const context = (fetchImpl: typeof fetch): PaymentContext => ({
    em: orm.em,
    providers: {
      MPESA: null,
      PAYPAL: new PaypalProvider({ baseUrl, clientId: 'client', clientSecret: 'secret', fetch: fetchImpl }),
    },
    cipher,
    publicUrl: 'https://billing.example.com',
  });

  /** A subscription paying by PayPal for the first time (no saved account yet), with its first invoice issued. */
  async function firstInvoice(): Promise<{ subscriptionId: string; invoiceId: string }> {
    const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, { amount: 1_200, currency: 'USD' })]);
    const id = randomUUID();
    const subscription = await aSubscriptionRow(orm.em, {
      id,
      customer: customer.id,
      plan: plan.id,
      status: 'INCOMPLETE',
      paymentProvider: 'PAYPAL',
      paymentMethodLabel: 'PayPal (approval at first payment)',
      paymentMethodSealed: sealMethod(cipher, { kind: 'paypal', vaultId: null }, sealingContext.subscription(id)),
    });
    const invoice = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    return { subscriptionId: subscription.id, invoiceId: invoice.invoiceId };
  }

  it('captures the order the buyer approved meanwhile once, pays the invoice and saves the account', async () => {
    const { subscriptionId, invoiceId } = await firstInvoice();
    // PayPal creates the order, and the answer is lost on its way back.
    let lostOrder: { id: string } | undefined;
    const losingCreate: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && new URL(String(input)).pathname === '/v2/checkout/orders') {
        lostOrder = (await response.json()) as { id: string };
        throw new TypeError('fetch failed');
      }
      return response;
    };
    await expect(chargeInvoice(context(losingCreate), { invoiceId, attempt: 1 })).rejects.toThrow(
      ProviderUnavailableError,
    );
    const waiting = await orm.em.fork().findOneOrFail(Payment, { invoice: invoiceId });
    expect(waiting).toMatchObject({ status: 'PENDING', providerReference: null, failureCode: 'NETWORK_ERROR' });

    sandbox.approve(lostOrder!.id);
    // Temporal retries the activity: same attempt, same row, same PayPal-Request-Id; PayPal answers 200 APPROVED.
    const result = await chargeInvoice(context(fetch), { invoiceId, attempt: 1 });
    expect(result).toMatchObject({ status: 'SUCCEEDED', subscriptionStatus: 'ACTIVE' });

    const em = orm.em.fork();
    const payment = await em.findOneOrFail(Payment, { invoice: invoiceId });
    const charged = sandbox.ledger().filter((entry) => entry.orderId === lostOrder!.id);
    expect(charged).toEqual([
      expect.objectContaining({
        captureId: payment.providerReference,
        amount: '12.00',
        requestId: captureRequestId(payment.idempotencyKey),
      }),
    ]);
    expect(payment.status).toBe('SUCCEEDED');
    const subscription = await em.findOneOrFail(Subscription, subscriptionId, { populate: ['paymentMethodSealed'] });
    expect(subscription.paymentMethodLabel).toBe('PayPal (saved account)');
    expect(openMethod(cipher, subscription.paymentMethodSealed!, sealingContext.subscription(subscriptionId))).toEqual({
      kind: 'paypal',
      vaultId: charged[0]!.vaultId,
    });

    // Asked again, nothing more happens: the payment is final and PayPal charged once.
    expect(await chargeInvoice(context(fetch), { invoiceId, attempt: 1 })).toMatchObject({ status: 'NOTHING_DUE' });
    expect(sandbox.ledger().filter((entry) => entry.orderId === lostOrder!.id)).toHaveLength(1);
  });
});
