import { describe, expect, it } from '@jest/globals';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  initialStatus,
  statusAfterInvoice,
  statusAfterPayment,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
} from '../../../src/domain/subscriptionStatus.js';

describe('subscription state machine', () => {
  it('lets a trial become active and an active subscription fall past due', () => {
    expect(canTransition('TRIALING', 'ACTIVE')).toBe(true);
    expect(canTransition('ACTIVE', 'PAST_DUE')).toBe(true);
    expect(canTransition('PAST_DUE', 'ACTIVE')).toBe(true);
  });

  it('treats CANCELED and INCOMPLETE_EXPIRED as terminal', () => {
    for (const terminal of ['CANCELED', 'INCOMPLETE_EXPIRED'] as const) {
      expect(allowedTransitions(terminal)).toEqual([]);
      for (const to of SUBSCRIPTION_STATUSES.filter((s) => s !== terminal))
        expect(canTransition(terminal, to)).toBe(false);
    }
  });

  it('refuses undocumented transitions with a message naming both states', () => {
    expect(() => assertTransition('CANCELED', 'ACTIVE')).toThrow('subscription cannot go from CANCELED to ACTIVE');
    expect(() => assertTransition('TRIALING', 'UNPAID')).toThrow(/TRIALING to UNPAID/);
  });

  it('starts trialing only when the trial ends in the future', () => {
    const now = new Date('2026-11-21T00:00:00Z');
    expect(initialStatus(new Date('2026-12-05T00:00:00Z'), now)).toBe('TRIALING');
    expect(initialStatus(now, now)).toBe('INCOMPLETE');
    expect(initialStatus(null, now)).toBe('INCOMPLETE');
  });
});

describe('statusAfterPayment', () => {
  // Records over every status: a status added to the machine without a row here does not compile.
  const afterSuccess: Record<SubscriptionStatus, SubscriptionStatus> = {
    INCOMPLETE: 'ACTIVE',
    INCOMPLETE_EXPIRED: 'INCOMPLETE_EXPIRED',
    TRIALING: 'ACTIVE',
    ACTIVE: 'ACTIVE',
    PAST_DUE: 'ACTIVE',
    PAUSED: 'PAUSED',
    CANCELED: 'CANCELED',
    UNPAID: 'ACTIVE',
  };
  const afterFailure: Record<SubscriptionStatus, SubscriptionStatus> = {
    INCOMPLETE: 'INCOMPLETE',
    INCOMPLETE_EXPIRED: 'INCOMPLETE_EXPIRED',
    TRIALING: 'PAST_DUE',
    ACTIVE: 'PAST_DUE',
    PAST_DUE: 'PAST_DUE',
    PAUSED: 'PAUSED',
    CANCELED: 'CANCELED',
    UNPAID: 'UNPAID',
  };

  it.each(SUBSCRIPTION_STATUSES)('takes %s where a successful payment should, by an allowed transition', (status) => {
    const next = statusAfterPayment(status, true);
    expect(next).toBe(afterSuccess[status]);
    expect(canTransition(status, next)).toBe(true);
  });

  it.each(SUBSCRIPTION_STATUSES)('takes %s where a failed payment should, by an allowed transition', (status) => {
    const next = statusAfterPayment(status, false);
    expect(next).toBe(afterFailure[status]);
    expect(canTransition(status, next)).toBe(true);
  });
});

describe('statusAfterInvoice', () => {
  const ended: readonly SubscriptionStatus[] = ['CANCELED', 'INCOMPLETE_EXPIRED'];
  const running = SUBSCRIPTION_STATUSES.filter((status) => !ended.includes(status));

  it.each(running.flatMap((status) => [true, false].map((charged) => [status, charged] as const)))(
    'moves %s (charged automatically: %s) only by an allowed transition',
    (status, charged) => {
      expect(canTransition(status, statusAfterInvoice(status, charged))).toBe(true);
    },
  );

  it('keeps an automatically charged subscription INCOMPLETE or PAST_DUE until it is paid', () => {
    expect(statusAfterInvoice('INCOMPLETE', true)).toBe('INCOMPLETE');
    expect(statusAfterInvoice('PAST_DUE', true)).toBe('PAST_DUE');
    expect(statusAfterInvoice('TRIALING', true)).toBe('ACTIVE');
    expect(statusAfterInvoice('ACTIVE', true)).toBe('ACTIVE');
  });

  it('keeps UNPAID until something is paid, however it collects', () => {
    expect(statusAfterInvoice('UNPAID', true)).toBe('UNPAID');
    expect(statusAfterInvoice('UNPAID', false)).toBe('UNPAID');
  });

  it('starts the period when the invoice is sent for the customer to pay', () => {
    for (const status of ['INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE'] as const)
      expect(statusAfterInvoice(status, false)).toBe('ACTIVE');
  });

  // issuePeriodInvoice asserts the transition before writing anything: that refusal is what keeps an ended
  // subscription from being invoiced (test/integration/billing/issuePeriodInvoice.test.ts).
  it.each(ended.flatMap((status) => [true, false].map((charged) => [status, charged] as const)))(
    'gives ended %s (charged automatically: %s) a status the machine refuses, so it is not invoiced',
    (status, charged) => {
      const next = statusAfterInvoice(status, charged);
      expect(canTransition(status, next)).toBe(false);
      expect(() => assertTransition(status, next)).toThrow(`subscription cannot go from ${status} to ${next}`);
    },
  );
});
