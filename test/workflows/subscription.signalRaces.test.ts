// Signals and Updates delivered at every await point of the collection loop, on the time-skipping test server with
// the real activities, Postgres and the M-Pesa sandbox. An activity is held after it has done its work and before
// the workflow hears its result (test/support/activityGate.ts), the signal or Update is delivered, and the result
// is let through. The workflow must act on what it was told wherever it was: a new payment method is charged at
// once, a pay-now is served, a cancel ends the subscription for good. The clock is never advanced here, so a
// workflow that missed a signal would sit on a day-long timer and the assertions would time out.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { Orm } from '../../src/db/orm.js';
import { Invoice, Payment, Subscription } from '../../src/entities/index.js';
import type { Notice } from '../../src/notices/queueNotice.js';
import { payInvoice } from '../../src/payments/payInvoice.js';
import { updatePaymentMethod } from '../../src/payments/updatePaymentMethod.js';
import {
  cancelUpdate,
  paymentNotificationSignal,
  payNowSignal,
  subscriptionStateQuery,
} from '../../src/workflows/signals.js';
import type { MpesaSandbox } from '../../sandboxes/mpesa/server.js';
import { ActivityGate } from '../support/activityGate.js';
import { testCipher } from '../support/config.js';
import { until } from '../support/eventually.js';
import { admin } from '../support/fixtures.js';
import { scenario, type Scenario } from '../support/lifecycleScenario.js';

const PLAN = { amount: 150_000, currency: 'KES', trialDays: 0, interval: 'MONTH' } as const;
/** Long enough to deliver a signal while the workflow waits for the M-Pesa callback; the test then ends the wait. */
const CALLBACK_WAIT_SECONDS = '30';
const SETTLE_MS = 20_000;

let phoneSerial = 0;
/** A Kenyan mobile no other case uses, as the customer types it and as Daraja sees it. */
function aPhone(): { typed: string; daraja: string } {
  const digits = String(1_000_000 + phoneSerial++).slice(1);
  return { typed: `0713${digits}`.slice(0, 10), daraja: `254713${digits}`.slice(0, 12) };
}

/** Where in the collection loop the signal or Update arrives. */
type AwaitPoint = 'chargeInvoice' | 'callback wait' | 'confirmPayment' | 'queueNotice' | 'retry wait';
const AWAIT_POINTS: AwaitPoint[] = ['chargeInvoice', 'callback wait', 'confirmPayment', 'queueNotice', 'retry wait'];

interface Declined {
  subscription: Subscription;
  invoiceId: string;
  paymentId: () => Promise<string>;
}

const attemptsOf = async (orm: Orm, invoiceId: string) =>
  (await orm.em.fork().find(Payment, { invoice: invoiceId }, { orderBy: { attempt: 'asc' } })).map((payment) => [
    payment.attempt,
    payment.status,
  ]);

/**
 * Subscribes a customer whose first prompt is declined (soft: 1032, cancelled by the user), runs the collection
 * loop up to `point`, calls `deliver` there, and lets the loop go on (unless what was delivered `endsLoop`).
 */
async function declineAndDeliverAt(
  s: Scenario,
  gate: ActivityGate,
  point: AwaitPoint,
  phone: { typed: string; daraja: string },
  deliver: (declined: Declined) => Promise<void>,
  endsLoop = false,
): Promise<Declined> {
  const { orm, env, sandbox, subscribeTo } = s;
  sandbox.script(phone.daraja, { kind: 'result', resultCode: 1032 });
  const held = {
    // Attempt 1 is made by the activity that issues the invoice (lean runs: issueAndChargePeriodInvoice).
    chargeInvoice: gate.hold('issueAndChargePeriodInvoice'),
    confirmPayment: gate.hold('confirmPayment'),
    queueNotice: gate.hold('queueNotice', (input) => (input as Notice).kind === 'payment_failed'),
  };
  const { subscription } = await subscribeTo(PLAN, { paymentMethod: { provider: 'MPESA', phone: phone.typed } });
  const handle = env.client.workflow.getHandle(subscription.workflowId);
  const outcome = async () => (await handle.query(subscriptionStateQuery)).collection?.outcome;
  await held.chargeInvoice.reached;
  const invoiceId = (await orm.em.fork().findOneOrFail(Invoice, { subscription: subscription.id })).id;
  const paymentId = async () => (await orm.em.fork().findOneOrFail(Payment, { invoice: invoiceId, attempt: 1 })).id;
  const declined = { subscription, invoiceId, paymentId };
  /** Delivers when the loop is at `here`; true when the case is over (the rest of the loop is not driven). */
  const at = async (here: AwaitPoint, release?: () => void) => {
    if (point === here) await deliver(declined);
    release?.();
    return point === here && endsLoop;
  };
  const steps: (() => Promise<boolean>)[] = [
    () => at('chargeInvoice', held.chargeInvoice.release),
    async () => {
      // The prompt is out; the customer's answer (a decline) is decided now; its callback would wake the workflow.
      await until(async () => expect(await outcome()).toBe('PENDING'));
      await sandbox.deliverPendingCallbacks();
      if (await at('callback wait')) return true;
      await handle.signal(paymentNotificationSignal, { paymentId: await paymentId() });
      await held.confirmPayment.reached;
      return at('confirmPayment', held.confirmPayment.release);
    },
    async () => {
      await held.queueNotice.reached;
      return at('queueNotice', held.queueNotice.release);
    },
    async () => {
      if (point !== 'retry wait') return false;
      await until(async () => expect(await outcome()).toBe('FAILED'));
      return at('retry wait');
    },
  ];
  for (const step of steps) if (await step()) break;
  // Holds the case did not reach must not catch the next case's activities.
  Object.values(held).forEach((hold) => hold.release());
  gate.clear();
  return declined;
}

async function expectPaidOnSecondAttempt(orm: Orm, sandbox: MpesaSandbox, declined: Declined, daraja: string) {
  await until(async () => {
    expect(await attemptsOf(orm, declined.invoiceId)).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ]);
    expect((await orm.em.fork().findOneOrFail(Invoice, { id: declined.invoiceId })).status).toBe('PAID');
  }, SETTLE_MS);
  expect((await orm.em.fork().findOneOrFail(Subscription, { id: declined.subscription.id })).status).toBe('ACTIVE');
  expect(sandbox.ledger().filter((entry) => entry.phone === daraja)).toHaveLength(1);
}

/** After a prompt goes out, decide it and wake the workflow as the API would on the callback. */
async function answerPrompts(s: Scenario, declined: Declined, attempt: number) {
  await until(async () => {
    const payment = await s.orm.em.fork().findOne(Payment, { invoice: declined.invoiceId, attempt });
    expect(payment?.providerReference).toBeTruthy();
  }, SETTLE_MS);
  await s.sandbox.deliverPendingCallbacks();
  const payment = await s.orm.em.fork().findOneOrFail(Payment, { invoice: declined.invoiceId, attempt });
  await s.env.client.workflow
    .getHandle(declined.subscription.workflowId)
    .signal(paymentNotificationSignal, { paymentId: payment.id });
}

function raceScenario(run: (s: Scenario, gate: ActivityGate) => Promise<void>) {
  const gate = new ActivityGate();
  return scenario({ MPESA_CALLBACK_WAIT_SECONDS: CALLBACK_WAIT_SECONDS }, (s) => run(s, gate), { gate });
}

describe('signals and Updates delivered at every await point of the collection loop (time-skipping)', () => {
  it('a new payment method is charged at once, wherever the loop was when it arrived', async () => {
    await raceScenario(async (s, gate) => {
      for (const point of AWAIT_POINTS) {
        const [declinedPhone, goodPhone] = [aPhone(), aPhone()];
        const declined = await declineAndDeliverAt(s, gate, point, declinedPhone, async ({ subscription }) => {
          await updatePaymentMethod(s.orm.em, admin, s.starter, testCipher(), {
            subscriptionId: subscription.id,
            paymentMethod: { provider: 'MPESA', phone: goodPhone.typed },
          });
        });
        await answerPrompts(s, declined, 2);
        await expectPaidOnSecondAttempt(s.orm, s.sandbox, declined, goodPhone.daraja).catch((error: Error) => {
          throw new Error(`payment method changed at ${point}: ${error.message}`);
        });
      }
    });
  });

  it('a pay-now is served at once, wherever the loop was when it arrived', async () => {
    await raceScenario(async (s, gate) => {
      for (const point of AWAIT_POINTS) {
        const phone = aPhone();
        const declined = await declineAndDeliverAt(s, gate, point, phone, async ({ invoiceId, subscription }) => {
          s.sandbox.script(phone.daraja, null); // the customer has topped up: the next prompt succeeds
          // The API refuses a pay-now while an attempt is pending (it would only ask the provider again), so at
          // the points before the decline is recorded it is the workflow's own signal, as an operator would send.
          if (point === 'chargeInvoice' || point === 'callback wait') {
            await s.env.client.workflow.getHandle(subscription.workflowId).signal(payNowSignal, { invoiceId });
          } else {
            await payInvoice(s.orm.em, admin, s.starter, { invoiceId });
          }
        });
        await answerPrompts(s, declined, 2);
        await expectPaidOnSecondAttempt(s.orm, s.sandbox, declined, phone.daraja).catch((error: Error) => {
          throw new Error(`pay-now at ${point}: ${error.message}`);
        });
      }
    });
  });

  it('a cancel ends the subscription for good, even when a charge read the subscription before it', async () => {
    await raceScenario(async (s, gate) => {
      for (const point of AWAIT_POINTS) {
        const declined = await declineAndDeliverAt(
          s,
          gate,
          point,
          aPhone(),
          async ({ subscription }) => {
            // Accepted now. Run side by side with the activity whose result is held, it would finish first, and
            // that stale result would reach the workflow after it; taking its turn, it finishes after the release.
            const update = await s.env.client.workflow.getHandle(subscription.workflowId).startUpdate(cancelUpdate, {
              args: [{ atPeriodEnd: false }],
              waitForStage: WorkflowUpdateStage.ACCEPTED,
            });
            await Promise.race([update.result(), delay(1_500)]);
          },
          true,
        );
        const handle = s.env.client.workflow.getHandle(declined.subscription.workflowId);
        await until(async () => {
          expect((await handle.describe()).status.name).toBe('COMPLETED');
        }, SETTLE_MS).catch((error: Error) => {
          throw new Error(`cancel at ${point}: ${error.message}`);
        });
        expect((await handle.query(subscriptionStateQuery)).status).toBe('CANCELED');
        expect((await s.orm.em.fork().findOneOrFail(Subscription, { id: declined.subscription.id })).status).toBe(
          'CANCELED',
        );
        // Nothing was charged after the cancel: the one prompt that was out is the only attempt.
        expect(await attemptsOf(s.orm, declined.invoiceId)).toEqual([[1, expect.any(String)]]);
      }
    });
  });
});
