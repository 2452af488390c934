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
