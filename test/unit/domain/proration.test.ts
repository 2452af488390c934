import { describe, expect, it, jest } from '@jest/globals';
import { billingPeriod, type BillingPeriod } from '../../../src/domain/billingPeriod.js';
import { tieredAmount, type PriceTier } from '../../../src/domain/pricing.js';
import { prorate, type ProrationInput } from '../../../src/domain/proration.js';

const MONTHLY = { interval: 'MONTH', intervalCount: 1 } as const;
// Calendar periods from the real billing calendar rather than hand-typed pairs of dates.
const JANUARY_2025 = billingPeriod(new Date('2025-01-01T00:00:00.000Z'), MONTHLY, 0); // 31 days
const FEBRUARY_2025 = billingPeriod(new Date('2025-01-01T00:00:00.000Z'), MONTHLY, 1); // 28 days
const APRIL_2025 = billingPeriod(new Date('2025-01-01T00:00:00.000Z'), MONTHLY, 3); // 30 days
const FEBRUARY_2024 = billingPeriod(new Date('2024-02-01T00:00:00.000Z'), MONTHLY, 0); // 29 days, leap year

const at = (iso: string) => new Date(iso);
const msBefore = (date: Date, ms: number) => new Date(date.getTime() - ms);

interface Case {
  name: string;
  currency: string;
  period: BillingPeriod;
  changeAt: Date;
  from: number;
  to: number;
  /** Expected line amounts; 0 means "no line". */
  credit: number;
  charge: number;
  fraction: [number, number];
}

function run(c: Pick<Case, 'currency' | 'period' | 'changeAt' | 'from' | 'to'>) {
  return prorate({
    periodStart: c.period.start,
    periodEnd: c.period.end,
    changeAt: c.changeAt,
    currency: c.currency,
    from: { amount: c.from, description: 'Old plan' },
    to: { amount: c.to, description: 'New plan' },
  });
}

function expectedLines(c: Case) {
  const span = { periodStart: c.changeAt, periodEnd: c.period.end };
  return [
    ...(c.credit === 0
      ? []
      : [{ kind: 'PRORATION_CREDIT', amount: c.credit, description: 'Unused time on Old plan', ...span }]),
    ...(c.charge === 0
      ? []
      : [{ kind: 'PRORATION_CHARGE', amount: c.charge, description: 'Remaining time on New plan', ...span }]),
  ];
}

const HALF_WAY_THROUGH_APRIL = at('2025-04-16T00:00:00.000Z'); // 15 of 30 days left
const TWO_THIRDS_LEFT_OF_APRIL = at('2025-04-11T00:00:00.000Z'); // 20 of 30 days left
const ONE_MS_LEFT_OF_APRIL: [number, number] = [1, 30 * 86_400_000];

const CASES: Case[] = [
  // Upgrade half-way through a 30-day month: exactly half of each price.
  ...[
    { currency: 'KES', from: 150_000, to: 300_000, credit: -75_000, charge: 150_000 },
    { currency: 'USD', from: 2_000, to: 4_900, credit: -1_000, charge: 2_450 },
    { currency: 'JPY', from: 1_500, to: 3_000, credit: -750, charge: 1_500 },
    // 6172.5 and 12345.5 fils: both halves round up, the credit away from zero like the charge.
    { currency: 'KWD', from: 12_345, to: 24_691, credit: -6_173, charge: 12_346 },
  ].map((row) => ({
    name: `${row.currency} upgrade half-way through a 30-day month`,
    period: APRIL_2025,
    changeAt: HALF_WAY_THROUGH_APRIL,
    fraction: [1, 2] as [number, number],
    ...row,
  })),
  // A change at the very start: the whole old price back, the whole new price charged.
  ...[
    { currency: 'KES', from: 150_000, to: 300_000 },
    { currency: 'USD', from: 2_000, to: 4_900 },
    { currency: 'JPY', from: 1_500, to: 3_000 },
    { currency: 'KWD', from: 12_345, to: 24_691 },
  ].map((row) => ({
    name: `${row.currency} change at the very start of the period`,
    period: APRIL_2025,
    changeAt: APRIL_2025.start,
    credit: -row.from,
    charge: row.to,
    fraction: [1, 1] as [number, number],
    ...row,
  })),
  // One millisecond before the end: a 2,592,000,000th of each price, far below half a minor unit.
  ...[
    { currency: 'KES', from: 150_000, to: 300_000 },
    { currency: 'USD', from: 2_000, to: 4_900 },
    { currency: 'JPY', from: 1_500, to: 3_000 },
    { currency: 'KWD', from: 12_345, to: 24_691 },
  ].map((row) => ({
    name: `${row.currency} change one millisecond before the end (no lines)`,
    period: APRIL_2025,
    changeAt: msBefore(APRIL_2025.end, 1),
    credit: 0,
    charge: 0,
    fraction: ONE_MS_LEFT_OF_APRIL,
    ...row,
  })),
  {
    name: 'USD in a 31-day month, 21 days left',
    currency: 'USD',
    period: JANUARY_2025,
    changeAt: at('2025-01-11T00:00:00.000Z'),
    from: 3_100,
    to: 6_200,
    credit: -2_100,
    charge: 4_200,
    fraction: [21, 31],
  },
  {
    name: 'JPY in a 31-day month, 21 days left (677.4 and 1354.8 yen)',
    currency: 'JPY',
    period: JANUARY_2025,
    changeAt: at('2025-01-11T00:00:00.000Z'),
    from: 1_000,
    to: 2_000,
    credit: -677,
    charge: 1_355,
    fraction: [21, 31],
  },
  {
    name: 'KES in a 28-day February, 21 days left',
    currency: 'KES',
    period: FEBRUARY_2025,
    changeAt: at('2025-02-08T00:00:00.000Z'),
    from: 100_000,
    to: 250_000,
    credit: -75_000,
    charge: 187_500,
    fraction: [3, 4],
  },
  {
    name: 'KWD in a 28-day February, 21 days left (749.25 and 1499.25 fils)',
    currency: 'KWD',
    period: FEBRUARY_2025,
    changeAt: at('2025-02-08T00:00:00.000Z'),
    from: 999,
    to: 1_999,
    credit: -749,
    charge: 1_499,
    fraction: [3, 4],
  },
  {
    name: 'KES in a 29-day leap February, 22 days left (75862.07 and 189655.17 cents)',
    currency: 'KES',
    period: FEBRUARY_2024,
    changeAt: at('2024-02-08T00:00:00.000Z'),
    from: 100_000,
    to: 250_000,
    credit: -75_862,
    charge: 189_655,
    fraction: [22, 29],
  },
  {
    name: 'USD downgrade with 20 of 30 days left (3266.67 and 1333.33 cents)',
    currency: 'USD',
    period: APRIL_2025,
    changeAt: TWO_THIRDS_LEFT_OF_APRIL,
    from: 4_900,
    to: 2_000,
    credit: -3_267,
    charge: 1_333,
    fraction: [2, 3],
  },
  {
    name: 'KES downgrade to a free plan half-way (no charge line)',
    currency: 'KES',
    period: APRIL_2025,
    changeAt: HALF_WAY_THROUGH_APRIL,
    from: 150_000,
    to: 0,
    credit: -75_000,
    charge: 0,
    fraction: [1, 2],
  },
  {
    name: 'USD a single cent each way half-way: both half cents round up',
    currency: 'USD',
    period: APRIL_2025,
    changeAt: HALF_WAY_THROUGH_APRIL,
    from: 1,
    to: 1,
    credit: -1,
    charge: 1,
    fraction: [1, 2],
  },
  {
    // 2,592,000,000 minor units over 2,592,000,000 ms: a line of exactly half a minor unit, and one just under it.
    name: 'KES one millisecond before the end, at exactly and just under half a minor unit',
    currency: 'KES',
    period: APRIL_2025,
    changeAt: msBefore(APRIL_2025.end, 1),
    from: 1_296_000_000,
    to: 1_295_999_999,
    credit: -1,
    charge: 0,
    fraction: ONE_MS_LEFT_OF_APRIL,
  },
];

describe('prorate', () => {
  it.each(CASES)('$name', (c) => {
    const result = run(c);
    expect(result.lines).toEqual(expectedLines(c));
    expect(result.net).toBe(c.credit + c.charge);
    expect(result.unusedFraction).toEqual({ numerator: c.fraction[0], denominator: c.fraction[1] });
    expect(result.currency).toBe(c.currency);
  });

  it('nets an upgrade to a positive amount and a downgrade to a negative one', () => {
    const base = { currency: 'USD', period: APRIL_2025, changeAt: TWO_THIRDS_LEFT_OF_APRIL };
    expect(run({ ...base, from: 2_000, to: 4_900 }).net).toBe(-1_333 + 3_267);
    expect(run({ ...base, from: 4_900, to: 2_000 }).net).toBe(-3_267 + 1_333);
    expect(run({ ...base, from: 4_900, to: 2_000 }).net).toBeLessThan(0);
  });

  it('prorates a seat change from 3 to 5 on a graduated price', () => {
    // Seats 1-3 at KES 1,000.00, 4-10 at KES 800.00, 11+ at KES 500.00 plus a KES 5,000.00 fee.
    const tiers: readonly PriceTier[] = [
      { upTo: 3, unitAmount: 100_000, flatAmount: 0 },
      { upTo: 10, unitAmount: 80_000, flatAmount: 0 },
      { upTo: null, unitAmount: 50_000, flatAmount: 500_000 },
    ];
    const threeSeats = tieredAmount(tiers, 'GRADUATED', 3);
    const fiveSeats = tieredAmount(tiers, 'GRADUATED', 5);
    expect([threeSeats, fiveSeats]).toEqual([300_000, 460_000]);

    const result = prorate({
      periodStart: APRIL_2025.start,
      periodEnd: APRIL_2025.end,
      changeAt: TWO_THIRDS_LEFT_OF_APRIL,
      currency: 'KES',
      from: { amount: threeSeats, description: 'Team (3 seats)' },
      to: { amount: fiveSeats, description: 'Team (5 seats)' },
    });
    // 2/3 of 460,000 is 306,666.67. The net is the sum of the two rounded lines, not 2/3 of the 160,000 the two
    // extra seats cost rounded once: the same 106,667 here, but the two can differ by a minor unit.
    expect(result.lines.map(({ kind, amount, description }) => ({ kind, amount, description }))).toEqual([
      { kind: 'PRORATION_CREDIT', amount: -200_000, description: 'Unused time on Team (3 seats)' },
      { kind: 'PRORATION_CHARGE', amount: 306_667, description: 'Remaining time on Team (5 seats)' },
    ]);
    expect(result.net).toBe(106_667);
  });

  it('keeps the exact value of amounts whose product with the period length is far past 2^53', () => {
    const result = run({
      currency: 'USD',
      period: JANUARY_2025,
      changeAt: at('2025-01-11T00:00:00.000Z'),
      from: 0,
      to: Number.MAX_SAFE_INTEGER, // 9,007,199,254,740,991 x 21 / 31 = 6,101,651,108,050,348.74...
    });
    expect(result.lines.map((line) => line.amount)).toEqual([6_101_651_108_050_349]);
  });

  it('rounds a value just under half a minor unit down where a float division would see exactly half', () => {
    // 98,837,470,007 x 1,952,812,407 / 2,592,000,000 = 74,464,134,917.49999...; in doubles it is .5 and rounds up.
    const result = run({
      currency: 'KES',
      period: APRIL_2025,
      changeAt: at('2025-04-08T09:33:07.593Z'), // 1,952,812,407 ms before May 1
      from: 0,
      to: 98_837_470_007,
    });
    expect(result.lines.map((line) => line.amount)).toEqual([74_464_134_917]);
  });

  it('reads no clock, returns equal results for equal input, and shares no Date with its input', () => {
    const input: ProrationInput = {
      periodStart: new Date(APRIL_2025.start),
      periodEnd: new Date(APRIL_2025.end),
      changeAt: new Date(HALF_WAY_THROUGH_APRIL),
      currency: 'KES',
      from: { amount: 150_000, description: 'Starter' },
      to: { amount: 300_000, description: 'Pro' },
    };
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('prorate read the clock');
    });
    try {
      const first = prorate(input);
      expect(prorate(input)).toEqual(first);
      for (const line of first.lines) {
        expect(line.periodStart).not.toBe(input.changeAt);
        expect(line.periodEnd).not.toBe(input.periodEnd);
      }
      // What workflow history stores: a JSON round trip keeps every field (no BigInt, no undefined).
      expect(JSON.parse(JSON.stringify(first))).toEqual({
        ...first,
        lines: first.lines.map((line) => ({
          ...line,
          periodStart: line.periodStart.toISOString(),
          periodEnd: line.periodEnd.toISOString(),
        })),
      });
    } finally {
      now.mockRestore();
    }
  });

  describe('refuses', () => {
    const valid: ProrationInput = {
      periodStart: APRIL_2025.start,
      periodEnd: APRIL_2025.end,
      changeAt: HALF_WAY_THROUGH_APRIL,
      currency: 'KES',
      from: { amount: 150_000, description: 'Starter' },
      to: { amount: 300_000, description: 'Pro' },
    };
    const APRIL_1 = '2025-04-01T00:00:00.000Z';
    const MAY_1 = '2025-05-01T00:00:00.000Z';
    const inApril = `[${APRIL_1}, ${MAY_1})`;

    it.each<[string, Partial<ProrationInput>, string]>([
      [
        'an empty period',
        { periodEnd: APRIL_2025.start, changeAt: APRIL_2025.start },
        `periodEnd (${APRIL_1}) must be after periodStart (${APRIL_1})`,
      ],
      [
        'a period that ends before it starts',
        { periodStart: APRIL_2025.end, periodEnd: APRIL_2025.start },
        `periodEnd (${APRIL_1}) must be after periodStart (${MAY_1})`,
      ],
      [
        'a period longer than milliseconds count exactly',
        { periodStart: new Date(-8.64e15), periodEnd: new Date(8.64e15), changeAt: new Date(0) },
        'the period is too long to measure exactly in milliseconds',
      ],
      [
        'a change before the period',
        { changeAt: msBefore(APRIL_2025.start, 1) },
        `changeAt (2025-03-31T23:59:59.999Z) must be within the period ${inApril}`,
      ],
      [
        'a change at the (exclusive) end of the period',
        { changeAt: APRIL_2025.end },
        `changeAt (${MAY_1}) must be within the period ${inApril}`,
      ],
      [
        'a change after the period',
        { changeAt: at('2025-06-01T00:00:00.000Z') },
        `changeAt (2025-06-01T00:00:00.000Z) must be within the period ${inApril}`,
      ],
      ['an invalid date', { changeAt: new Date(Number.NaN) }, 'changeAt must be a valid Date, got Invalid Date'],
      [
        'a negative old price',
        { from: { amount: -1, description: 'Starter' } },
        'from.amount must be a non-negative whole number of minor units, got -1',
      ],
      [
        'a fractional new price',
        { to: { amount: 10.5, description: 'Pro' } },
        'to.amount must be a non-negative whole number of minor units, got 10.5',
      ],
      [
        'a price that is not a number',
        { from: { amount: Number.NaN, description: 'Starter' } },
        'from.amount must be a non-negative whole number of minor units, got NaN',
      ],
      [
        'a price past the exactly representable integers',
        { to: { amount: 2 ** 53, description: 'Pro' } },
        'to.amount must be a non-negative whole number of minor units, got 9007199254740992',
      ],
      ['a currency that is not ISO 4217', { currency: 'kes' }, 'currency must be an ISO 4217 code, got kes'],
    ])('%s', (_name, override, message) => {
      let thrown: unknown;
      try {
        prorate({ ...valid, ...override });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RangeError);
      expect((thrown as RangeError).message).toBe(message);
    });
  });
});
