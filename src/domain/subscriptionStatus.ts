// The subscription state machine (Stripe-aligned). docs/states.md shows every state and transition from here;
// anything not listed here is refused.
import { StateMachine } from './stateMachine.js';

export { IllegalTransitionError } from './stateMachine.js';

export const SUBSCRIPTION_STATUSES = [
  'INCOMPLETE',
  'INCOMPLETE_EXPIRED',
  'TRIALING',
  'ACTIVE',
  'PAST_DUE',
  'PAUSED',
  'CANCELED',
  'UNPAID',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Every transition and its cause; docs/states.md shows this diagram (a test holds the two together). */
export const subscriptionMachine = new StateMachine<SubscriptionStatus>('subscription', SUBSCRIPTION_STATUSES, [
  { from: '[*]', to: 'TRIALING', when: 'subscribe, trial ends in the future' },
  { from: '[*]', to: 'INCOMPLETE', when: 'subscribe, no trial' },
  {
    from: 'INCOMPLETE',
    to: 'ACTIVE',
    when: 'first payment succeeds, or first invoice issued without a payment method',
  },
  {
    from: 'INCOMPLETE',
    to: 'INCOMPLETE_EXPIRED',
    when: 'first invoice unpaid INCOMPLETE_EXPIRY_HOURS (23) after it was issued',
  },
  { from: 'INCOMPLETE', to: 'CANCELED', when: 'cancelSubscription', by: 'cancel' },
  { from: 'TRIALING', to: 'ACTIVE', when: 'trial ends, first invoice issued' },
  { from: 'TRIALING', to: 'PAST_DUE', when: 'a payment fails while trialing (not reached, see below)' },
  {
    from: 'TRIALING',
    to: 'PAUSED',
    when: 'trial ends without a payment method, TRIAL_END_WITHOUT_PAYMENT_METHOD=PAUSE',
  },
  {
    from: 'TRIALING',
    to: 'CANCELED',
    when: 'cancelSubscription, or trial ends without a payment method and TRIAL_END_WITHOUT_PAYMENT_METHOD=CANCEL',
    by: 'cancel',
  },
  { from: 'ACTIVE', to: 'PAST_DUE', when: 'a payment fails' },
  { from: 'ACTIVE', to: 'PAUSED', when: 'pauseSubscription', by: 'pause' },
  { from: 'ACTIVE', to: 'CANCELED', when: 'cancelSubscription (now, or at the period end)', by: 'cancel' },
  {
    from: 'PAST_DUE',
    to: 'ACTIVE',
    when: 'a retry or pay-now succeeds, or its last unpaid invoice is voided or written off',
  },
  { from: 'PAST_DUE', to: 'UNPAID', when: 'dunning over, AFTER_LAST_RETRY=UNPAID' },
  {
    from: 'PAST_DUE',
    to: 'CANCELED',
    when: 'dunning over (AFTER_LAST_RETRY=CANCELED, the default), or cancelSubscription',
    by: 'cancel',
  },
  { from: 'PAUSED', to: 'ACTIVE', when: 'resumeSubscription, or automatically at resumesAtPeriod', by: 'resume' },
  { from: 'PAUSED', to: 'CANCELED', when: 'cancelSubscription', by: 'cancel' },
  { from: 'UNPAID', to: 'ACTIVE', when: 'paid, or its last unpaid invoice is voided or written off' },
  { from: 'UNPAID', to: 'CANCELED', when: 'cancelSubscription', by: 'cancel' },
  { from: 'INCOMPLETE_EXPIRED', to: '[*]', when: '' },
  { from: 'CANCELED', to: '[*]', when: '' },
]);

/** Subscriptions that have ended for good: they change no more, and their workflows have completed. */
export const ENDED_STATUSES: readonly SubscriptionStatus[] = SUBSCRIPTION_STATUSES.filter(
  (status) => subscriptionMachine.next(status).length === 0,
);

export function isEnded(status: SubscriptionStatus): boolean {
  return ENDED_STATUSES.includes(status);
}

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return subscriptionMachine.can(from, to);
}

export function allowedTransitions(from: SubscriptionStatus): readonly SubscriptionStatus[] {
  return subscriptionMachine.next(from);
}

export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  subscriptionMachine.assert(from, to);
}

/**
 * Why a plan change cannot be made in this status now, or null. The workflow's Update validator and the API's
 * preview both ask, so a preview never promises what the change then refuses. `periodInvoiced`: the current
 * period's invoice exists (a change now prorates against it).
 */
export function planChangeRefusal(
  status: SubscriptionStatus,
  timing: 'NOW' | 'PERIOD_END',
  periodInvoiced: boolean,
): string | null {
  if (status === 'PAUSED') return 'a paused subscription cannot change plan: resume it first';
  if (timing === 'NOW' && !periodInvoiced && status !== 'TRIALING') {
    return 'this period’s invoice is being issued: change at the period end, or try again in a moment';
  }
  return null;
}

/** The status a new subscription starts in: trialing when its trial ends in the future. */
export function initialStatus(trialEnd: Date | null, now: Date): SubscriptionStatus {
  return trialEnd && trialEnd.getTime() > now.getTime() ? 'TRIALING' : 'INCOMPLETE';
}

/**
 * Where a payment's outcome takes a subscription. Paying brings an unpaid subscription back to ACTIVE; a failed
 * charge makes a running one PAST_DUE, while a first payment that fails leaves it INCOMPLETE. Paused and ended
 * subscriptions keep their status: settling an old invoice does not restart them.
 */
/**
 * An operator closed an unpaid invoice (voided or written off): nothing more is collected for it, so a subscription
 * that was behind only on that invoice is in good standing again.
 */
export function statusAfterInvoiceClosed(current: SubscriptionStatus, otherOpenInvoices: number): SubscriptionStatus {
  if ((current === 'PAST_DUE' || current === 'UNPAID') && otherOpenInvoices === 0) return 'ACTIVE';
  return current;
}

export function statusAfterPayment(current: SubscriptionStatus, paid: boolean): SubscriptionStatus {
  if (paid) return ['INCOMPLETE', 'TRIALING', 'PAST_DUE', 'UNPAID'].includes(current) ? 'ACTIVE' : current;
  return current === 'TRIALING' || current === 'ACTIVE' ? 'PAST_DUE' : current;
}

/**
 * The status a newly issued period invoice leaves behind. When the subscription is charged automatically, a first
 * invoice keeps it INCOMPLETE and an unpaid past one keeps it PAST_DUE until payment; when invoices are sent for
 * the customer to pay (no payment method), issuing one starts the period (Stripe's send_invoice). UNPAID stays
 * UNPAID either way until something is paid.
 */
export function statusAfterInvoice(current: SubscriptionStatus, chargedAutomatically: boolean): SubscriptionStatus {
  if (current === 'UNPAID') return current; // only a payment brings it back
  if (chargedAutomatically && (current === 'INCOMPLETE' || current === 'PAST_DUE')) return current;
  return 'ACTIVE';
}

/**
 * Whether a period invoice just issued is collected at once: it is open, and the subscription neither ended nor
 * waits UNPAID for its customer. The workflow decides by it, and so does the activity that issues and charges in
 * one go, so the two cannot disagree.
 */
export function collectsOnIssue(invoiceStatus: string, subscriptionStatus: SubscriptionStatus): boolean {
  return invoiceStatus === 'OPEN' && subscriptionStatus !== 'UNPAID' && !isEnded(subscriptionStatus);
}
