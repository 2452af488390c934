import { describe, expect, it } from '@jest/globals';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  initialStatus,
  SUBSCRIPTION_STATUSES,
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
