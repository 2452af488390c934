// Activities carry out what workflows decide. Each one is safe to run twice: its effect is keyed by business identity
// (subscription, period, invoice and attempt), never by run or activity ids. Their names are recorded in workflow
// histories: never rename one (the use cases behind them may be renamed freely).
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UseCaseError } from '../kernel/errors.js';
import { issuePeriodInvoice, type IssuePeriodInvoiceInput } from '../billing/changes/issuePeriodInvoice.js';
import { applyPlanChange, schedulePlanChange, type PlanChangeNow } from '../billing/changes/applyPlanChange.js';
import { endSubscription, type EndSubscriptionInput } from '../billing/changes/endSubscription.js';
import { endTrialWithoutPaymentMethod, type TrialEndAction } from '../billing/changes/endTrial.js';
import { markUnpaid } from '../billing/changes/markUnpaid.js';
import { setCancelAtPeriodEnd } from '../billing/changes/setCancelAtPeriodEnd.js';
import { applyPause, applyResume, type PauseInput } from '../billing/changes/setPaused.js';
import { IllegalTransitionError } from '../domain/subscriptionStatus.js';
import { NO_TAX, type TaxSettings } from '../domain/tax.js';
import { queueNotice, type Notice } from '../notices/queueNotice.js';
import { advancePayment } from '../payments/advancePayment.js';
import { chargeInvoice, nextPaymentAttempt, type ChargeInvoiceInput } from '../payments/chargeInvoice.js';
import { issueAndChargePeriodInvoice, type IssueAndChargeInput } from '../payments/issueAndCharge.js';
import { lapseStandingOrder } from '../payments/ratiba/standingOrderCollections.js';
import type { PaymentContext } from '../payments/paymentContext.js';
import { KeyringError } from '../security/fieldCipher.js';
import { createRefundActivities } from './refunds.js';
import { createStandingOrderActivities } from './standingOrders.js';

/** Refusals will not change on retry: fail the activity for good instead of retrying forever. */
async function nonRetryableOnRefusal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UseCaseError || error instanceof IllegalTransitionError || error instanceof KeyringError) {
      throw ApplicationFailure.nonRetryable(error.message, error.name);
    }
    throw error;
  }
}

/** How often a running activity tells Temporal it is alive (the workflow's heartbeatTimeout is a few times this). */
export const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Each activity heartbeats while it runs, so one lost with a killed worker is retried after the workflow's
 * heartbeatTimeout (seconds) instead of its startToCloseTimeout. Outside a worker (called directly) nothing is sent.
 */
function heartbeating<T extends Record<string, (input: never) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (input) => {
      let context: Context | null = null;
      try {
        context = Context.current();
      } catch {
        return activity(input);
      }
      context.heartbeat();
      const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await activity(input);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}

export interface ActivityDependencies {
  em: EntityManager;
  payments: Omit<PaymentContext, 'em'>;
  /** Tax added to invoices; none when absent. */
  tax?: TaxSettings;
}

export function createActivities({ em, payments, tax = NO_TAX }: ActivityDependencies) {
  const ctx: PaymentContext = { em, ...payments };
  return heartbeating({
    async issuePeriodInvoice(input: IssuePeriodInvoiceInput) {
      return nonRetryableOnRefusal(() => issuePeriodInvoice(em, input, tax));
    },
    /** issuePeriodInvoice then chargeInvoice attempt 1 when the invoice is collected at once: one activity, not two. */
    async issueAndChargePeriodInvoice(input: IssueAndChargeInput) {
      return nonRetryableOnRefusal(() => issueAndChargePeriodInvoice(ctx, input, tax));
    },
    /** Charges attempt N of an invoice, or picks up that attempt where a crash left it. */
    async chargeInvoice(input: ChargeInvoiceInput) {
      return nonRetryableOnRefusal(() => chargeInvoice(ctx, input));
    },
    /** Asks the provider where a pending payment stands (after a callback, a webhook, or a wait with neither). */
    async confirmPayment(input: { paymentId: string }) {
      return nonRetryableOnRefusal(() => advancePayment(ctx, input.paymentId));
    },
    async nextPaymentAttempt(input: { invoiceId: string }) {
      return nextPaymentAttempt(ctx, input.invoiceId);
    },
    async endSubscription(input: EndSubscriptionInput) {
      return nonRetryableOnRefusal(() => endSubscription(em, input));
    },
    async markUnpaid(input: { subscriptionId: string; invoiceId: string }) {
      return nonRetryableOnRefusal(() => markUnpaid(em, input));
    },
    async setCancelAtPeriodEnd(input: Parameters<typeof setCancelAtPeriodEnd>[1]) {
      return nonRetryableOnRefusal(() => setCancelAtPeriodEnd(em, input));
    },
    async pauseSubscription(input: PauseInput) {
      return nonRetryableOnRefusal(() => applyPause(em, input));
    },
    async resumeSubscription(input: Parameters<typeof applyResume>[1]) {
      return nonRetryableOnRefusal(() => applyResume(em, input));
    },
    async applyPlanChange(input: PlanChangeNow) {
      return nonRetryableOnRefusal(() => applyPlanChange(em, input, tax));
    },
    async schedulePlanChange(input: Parameters<typeof schedulePlanChange>[1]) {
      return nonRetryableOnRefusal(() => schedulePlanChange(em, input));
    },
    async endTrialWithoutPaymentMethod(input: { subscriptionId: string; action: TrialEndAction; at: string }) {
      return nonRetryableOnRefusal(() => endTrialWithoutPaymentMethod(em, input));
    },
    /** A renewal's wait for its standing order's collection ran out: the order LAPSES unless the invoice got paid. */
    async lapseStandingOrder(input: { subscriptionId: string; invoiceId: string }) {
      return lapseStandingOrder(em, input);
    },
    /** Queues a notice once per dedupe key (the emails issue delivers it). */
    async queueNotice(notice: Notice) {
      return em.fork().transactional((tx) => queueNotice(tx, notice));
    },
    ...createRefundActivities(em, payments.providers, payments.cipher),
    ...createStandingOrderActivities(ctx),
  });
}

export type BillingActivities = ReturnType<typeof createActivities>;
