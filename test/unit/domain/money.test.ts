import { describe, expect, it } from '@jest/globals';
import { addMoney, formatMoney, money, parseDecimalAmount, toDecimalString } from '../../../src/domain/money.js';

describe('money', () => {
  it('writes exact decimals from minor units for 0, 2 and 3 digit currencies', () => {
    expect(toDecimalString(money(150_000, 'KES'))).toBe('1500.00');
    expect(toDecimalString(money(5, 'USD'))).toBe('0.05');
    expect(toDecimalString(money(-1999, 'USD'))).toBe('-19.99');
    expect(toDecimalString(money(1200, 'JPY'))).toBe('1200');
    expect(toDecimalString(money(1_234_567, 'KWD'))).toBe('1234.567');
  });

  it('keeps precision beyond what a float can hold', () => {
    expect(toDecimalString(money(9_007_199_254_740_991, 'USD'))).toBe('90071992547409.91');
  });

  it('formats for a locale', () => {
    expect(formatMoney(money(150_000, 'KES'), 'en-KE')).toMatch(/1,500\.00/);
    expect(formatMoney(money(1999, 'USD'), 'en-US')).toBe('$19.99');
  });

  it('refuses fractional amounts, unknown currencies and mixed-currency sums', () => {
    expect(() => money(10.5, 'KES')).toThrow(/safe integer/);
    expect(() => money(100, 'kes')).toThrow(/ISO 4217/);
    expect(() => money(100, 'XYZ')).toThrow(/ISO 4217/);
    expect(() => addMoney(money(1, 'KES'), money(1, 'USD'))).toThrow(/cannot add/);
    expect(addMoney(money(1, 'KES'), money(2, 'KES'))).toEqual({ amount: 3, currency: 'KES' });
  });

  it('reads a typed decimal into exact minor units by the currency exponent, and refuses what is not one', () => {
    expect(parseDecimalAmount('1,500', 'KES')).toBe(150_000);
    expect(parseDecimalAmount(' 1500.5 ', 'KES')).toBe(150_050);
    expect(parseDecimalAmount('0.07', 'USD')).toBe(7);
    expect(parseDecimalAmount('1200', 'JPY')).toBe(1200);
    expect(parseDecimalAmount('1.234', 'KWD')).toBe(1234);
    expect(parseDecimalAmount('12.5', 'JPY')).toBeNull();
    expect(parseDecimalAmount('1.001', 'USD')).toBeNull();
    for (const bad of ['', '-5', '1e3', 'abc', '1,50', '1.2.3']) expect(parseDecimalAmount(bad, 'KES')).toBeNull();
    for (const amount of [0, 7, 150_050, 9_007_199_254_740_991]) {
      expect(parseDecimalAmount(toDecimalString(money(amount, 'USD')), 'USD')).toBe(amount);
    }
  });
});
