import { describe, expect, it } from '@jest/globals';
import {
  CLOCK_SKEW_SECONDS,
  DEFAULT_TRANSMISSION_TOLERANCE_SECONDS,
  transmissionTimeRefusal,
} from '../../../../src/payments/paypal/transmissionWindow.js';

describe('PayPal transmission window', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const at = (offsetSeconds: number) =>
    new Date(now.getTime() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('takes times from tolerance ago up to the clock-skew allowance ahead, edges included', () => {
    expect(transmissionTimeRefusal(at(-600), now, 600)).toBeNull();
    expect(transmissionTimeRefusal(at(0), now, 600)).toBeNull();
    expect(transmissionTimeRefusal(at(CLOCK_SKEW_SECONDS), now, 600)).toBeNull();
  });

  it('refuses older and further ahead, and what is not a date', () => {
    expect(transmissionTimeRefusal(at(-601), now, 600)).toBe('transmission time is older than 600 seconds');
    expect(transmissionTimeRefusal(at(CLOCK_SKEW_SECONDS + 1), now, 600)).toBe(
      'transmission time is more than 300 seconds ahead',
    );
    expect(transmissionTimeRefusal('yesterday', now, 600)).toBe('transmission time is not a date');
    expect(transmissionTimeRefusal(undefined, now, 600)).toBe('transmission time is not a date');
  });

  it("by default spans PayPal's 3 days of retries", () => {
    expect(transmissionTimeRefusal(at(-3 * 24 * 60 * 60), now, DEFAULT_TRANSMISSION_TOLERANCE_SECONDS)).toBeNull();
  });
});
