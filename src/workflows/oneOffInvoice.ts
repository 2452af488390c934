// Collecting a one-off invoice (a charge outside any subscription, or a payment an app asked for): charge its
// payment method; while the provider has not answered, wait for its word (M-Pesa callback, PayPal webhook or the
// buyer's approval) or a timeout, then ask it; after a soft decline, retry on the schedule; after a hard decline,
// stop. Closing or settling the invoice elsewhere (void, an offline payment, a credit note) wakes it: the next charge
// finds nothing due. The history is one invoice's: a few attempts, never long enough to need continue-as-new.
import { setHandler } from '@temporalio/workflow';
import type { ChargeResult } from '../payments/chargeResult.js';
import { activities as act, finishing } from './activities.js';
import { DAY_MS, msUntil, nowMs } from './clock.js';
import { paymentNotificationSignal, payNowSignal } from './signals.js';
import type { CollectionPolicy } from './types.js';
import { waitAtMost } from './waitAtMost.js';

export interface OneOffInvoiceInput {
  invoiceId: string;
  policy: CollectionPolicy;
  /** How long to keep collecting after the first attempt: the invoice's due date, at the latest. */
  collectForMs: number;
}

export type OneOffOutcome = 'PAID' | 'UNPAID';

export async function oneOffInvoiceWorkflow({
  invoiceId,
  policy,
  collectForMs,
}: OneOffInvoiceInput): Promise<OneOffOutcome> {
  const notified = new Set<string>();
  let woken = false;
  setHandler(paymentNotificationSignal, ({ paymentId }) => void notified.add(paymentId));
  setHandler(payNowSignal, () => void (woken = true));

  const deadline = nowMs() + collectForMs;
  // 1 for a first collection; after one that gave up, the next attempt (its keys are the invoice's and attempt's).
  let attempt = await act.nextPaymentAttempt({ invoiceId });
  const firstAttempt = attempt;
  let result: ChargeResult = await act.chargeInvoice({ invoiceId, attempt });
  let confirmWaitMs = policy.confirmAfterMs;
  for (;;) {
    if (result.status === 'SUCCEEDED' || result.status === 'NOTHING_DUE') return 'PAID';
    const remaining = msUntil(deadline);
    if (result.status === 'PENDING') {
      const paymentId = result.paymentId!;
      const patience =
        result.awaiting === 'callback'
          ? confirmWaitMs
          : result.awaiting === 'webhook'
            ? policy.webhookWaitMs
            : remaining;
      if (result.awaiting === 'callback') confirmWaitMs = Math.min(confirmWaitMs * 2, DAY_MS);
      const heard = await waitAtMost(() => notified.has(paymentId) || woken, Math.min(patience, remaining));
      notified.delete(paymentId);
      if (!heard && remaining <= 0) return 'UNPAID';
      woken = false;
      result = await finishing.confirmPayment({ paymentId });
      continue;
    }
    // FAILED or NO_PAYMENT_METHOD: a soft decline waits for the schedule (or a nudge); anything else stops here and
    // the invoice stays OPEN for another way of paying.
    const retries = attempt - firstAttempt;
    const retryIn = result.status === 'FAILED' && !result.hardDecline ? policy.retryDelaysMs[retries] : undefined;
    if (retryIn === undefined || retryIn > remaining) {
      if (!(await waitAtMost(() => woken, remaining))) return 'UNPAID';
    } else {
      await waitAtMost(() => woken, retryIn);
    }
    woken = false;
    attempt += 1;
    confirmWaitMs = policy.confirmAfterMs;
    result = await act.chargeInvoice({ invoiceId, attempt });
  }
}
