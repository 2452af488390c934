import { describe, expect, it } from '@jest/globals';
import { billingPeriod, periodBoundary } from '../../../src/domain/billingPeriod.js';

const utc = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('periodBoundary', () => {
  it('clamps month-end anchors without drifting: Jan 31 -> Feb 29 -> Mar 31 -> Apr 30', () => {
    const anchor = utc('2028-01-31T10:15:00.000Z');
    const monthly = { interval: 'MONTH', intervalCount: 1 } as const;
    expect([1, 2, 3, 4].map((i) => iso(periodBoundary(anchor, monthly, i)))).toEqual([
      '2028-02-29T10:15:00.000Z',
      '2028-03-31T10:15:00.000Z',
      '2028-04-30T10:15:00.000Z',
      '2028-05-31T10:15:00.000Z',
    ]);
  });

  it('uses Feb 28 in common years', () => {
    expect(iso(periodBoundary(utc('2027-01-31T00:00:00Z'), { interval: 'MONTH', intervalCount: 1 }, 1))).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('handles quarters, years from Feb 29, weeks and days', () => {
    const anchor = utc('2028-02-29T00:00:00Z');
    expect(iso(periodBoundary(anchor, { interval: 'YEAR', intervalCount: 1 }, 1))).toBe('2029-02-28T00:00:00.000Z');
    expect(iso(periodBoundary(anchor, { interval: 'YEAR', intervalCount: 1 }, 4))).toBe('2032-02-29T00:00:00.000Z');
    expect(iso(periodBoundary(utc('2026-11-30T00:00:00Z'), { interval: 'QUARTER', intervalCount: 1 }, 1))).toBe(
      '2027-02-28T00:00:00.000Z',
    );
    expect(iso(periodBoundary(utc('2026-12-28T00:00:00Z'), { interval: 'WEEK', intervalCount: 2 }, 1))).toBe(
      '2027-01-11T00:00:00.000Z',
    );
    expect(iso(periodBoundary(utc('2026-12-31T00:00:00Z'), { interval: 'DAY', intervalCount: 1 }, 1))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('makes consecutive periods meet exactly, with no gap or overlap, for years of month-end periods', () => {
    const anchor = utc('2026-08-31T23:59:59.999Z');
    const cadence = { interval: 'MONTH', intervalCount: 1 } as const;
    for (let i = 0; i < 120; i++) {
      const current = billingPeriod(anchor, cadence, i);
      const next = billingPeriod(anchor, cadence, i + 1);
      expect(next.start.getTime()).toBe(current.end.getTime());
      expect(current.end.getTime()).toBeGreaterThan(current.start.getTime());
      const lastDay = new Date(Date.UTC(current.end.getUTCFullYear(), current.end.getUTCMonth() + 1, 0)).getUTCDate();
      expect(current.end.getUTCDate()).toBe(lastDay);
    }
  });

  it('refuses negative indices and non-positive counts', () => {
    const anchor = utc('2026-01-01T00:00:00Z');
    expect(() => periodBoundary(anchor, { interval: 'MONTH', intervalCount: 1 }, -1)).toThrow(/non-negative/);
    expect(() => periodBoundary(anchor, { interval: 'MONTH', intervalCount: 0 }, 1)).toThrow(/positive/);
  });
});
