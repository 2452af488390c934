// A PAST_DUE subscription's customer pays the invoice being dunned from their phone, to the paybill, typing its
// reference in lower case. M-Pesa's confirmation reaches the API, the invoice is PAID, the subscription ACTIVE again,
// and its workflow, told by the API, stops prompting for it: the retry schedule passes without another STK push.
import { expect, it } from '@jest/globals';
import { Invoice, Payment, PaybillPayment } from '../../src/entities/index.js';
import { accountReference } from '../../src/payments/mpesa/chargeTexts.js';
import { startApi } from '../support/api.js';
import { until } from '../support/eventually.js';
import { scenario } from '../support/lifecycleScenario.js';
import { pastDueSubscription, statusOf } from '../support/pastDueSubscription.js';
import { payFromPhone, registerPaybill } from '../support/paybill.js';

const SECRET = 'lifecycle-callback-secret-01';

it('a paybill payment with a lower-case invoice reference reactivates a PAST_DUE subscription', async () => {
  await scenario({ MPESA_CALLBACK_WAIT_SECONDS: '1', MPESA_CALLBACK_SECRET: SECRET }, async (scene) => {
    const { orm, env, starter, sandbox, sandboxSettings, advance } = scene;
    const { subscription, renewal } = await pastDueSubscription(scene, '0712999081');
    const api = await startApi(orm, {
      temporal: env.client,
      taskQueue: starter.taskQueue,
      env: { ...sandboxSettings, MPESA_CALLBACK_SECRET: SECRET },
    });
    try {
      await registerPaybill(sandboxSettings, api.url, SECRET);
      const attemptsBefore = await orm.em.fork().count(Payment, { invoice: renewal.id });

      const paid = await payFromPhone(sandbox, sandboxSettings, {
        shillings: 100,
        account: accountReference(renewal.number).toLowerCase(),
        phone: '254712999081',
      });
      expect(await orm.em.fork().findOneOrFail(PaybillPayment, { transId: paid.payload.TransID })).toMatchObject({
        status: 'MATCHED',
        appliedToInvoices: 10_000,
        creditedToBalance: 0,
      });
      expect(await orm.em.fork().findOneOrFail(Invoice, { id: renewal.id })).toMatchObject({
        status: 'PAID',
        amountPaid: 10_000,
        amountRemaining: 0,
      });
      expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');
      // The API told the workflow, once the answer had gone back to M-Pesa.
      await until(async () => {
        const { events } = await env.client.workflow.getHandle(`subscription-${subscription.id}`).fetchHistory();
        const signals = events!.filter(
          (event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'payNow',
        );
        expect(signals).toHaveLength(1);
      }, 10_000);

      // The retries the dunning had scheduled pass: the workflow was told, and prompts nobody for a paid invoice.
      await advance(3 * 60_000 + 5_000);
      expect(await orm.em.fork().count(Payment, { invoice: renewal.id })).toBe(attemptsBefore);
      expect(await statusOf(orm, subscription.id)).toBe('ACTIVE');
    } finally {
      await api.stop();
    }
  });
}, 120_000);
