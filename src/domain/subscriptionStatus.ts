// The subscription state machine (Stripe-aligned). docs/states.md documents every state and transition;
// anything not listed here is refused.

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

const TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  INCOMPLETE: ['ACTIVE', 'INCOMPLETE_EXPIRED', 'CANCELED'],
  INCOMPLETE_EXPIRED: [],
  TRIALING: ['ACTIVE', 'PAST_DUE', 'PAUSED', 'CANCELED'],
  ACTIVE: ['PAST_DUE', 'PAUSED', 'CANCELED'],
  PAST_DUE: ['ACTIVE', 'CANCELED', 'UNPAID'],
  PAUSED: ['ACTIVE', 'CANCELED'],
  CANCELED: [],
  UNPAID: ['ACTIVE', 'CANCELED'],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: SubscriptionStatus): readonly SubscriptionStatus[] {
  return TRANSITIONS[from];
}

export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(
    readonly from: SubscriptionStatus,
    readonly to: SubscriptionStatus,
  ) {
    super(`subscription cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
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
