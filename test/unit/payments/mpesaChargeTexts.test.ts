import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  accountReference,
  invoiceNumbersFor,
  transactionDescription,
} from '../../../src/payments/mpesa/chargeTexts.js';

describe('M-Pesa AccountReference', () => {
  it('tells every invoice of a year apart within 12 characters', () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => `INV-2026-${String(i + 1).padStart(6, '0')}`);
    const references = numbers.map(accountReference);
    expect(new Set(references).size).toBe(numbers.length);
    for (const reference of references) expect(reference.length).toBeLessThanOrEqual(12);
    expect(accountReference('INV-2026-000042')).toBe('INV26000042');
    expect(accountReference('INV-2027-000042')).toBe('INV27000042');
  });

  it('stays unique past a million invoices a year', () => {
    expect(accountReference('INV-2026-1000000')).toBe('INV261000000');
    expect(accountReference('INV-2026-12345678')).toBe('2612345678');
    expect(accountReference('INV-2026-12345679')).not.toBe(accountReference('INV-2026-12345678'));
  });

  it('keeps the distinguishing end of a number in another format', () => {
    expect(accountReference('ACME/2026/INVOICE/00017')).toBe('INVOICE00017');
    expect(accountReference('ACME/2026/INVOICE/00018')).toBe('INVOICE00018');
    expect(accountReference('A-1')).toBe('A1');
  });
});

describe('an account reference typed on a phone, back to the invoice', () => {
  it('finds the invoice from its reference or its printed number, in any case and spacing', () => {
    for (const typed of ['INV26000042', 'inv26000042', ' Inv 26 000042', 'INV-2026-000042', 'inv2026000042']) {
      expect(invoiceNumbersFor(typed)).toContain('INV-2026-000042');
    }
    expect(invoiceNumbersFor('ACC000042')).toEqual([]);
    expect(invoiceNumbersFor('')).toEqual([]);
    expect(invoiceNumbersFor('INV42')).toEqual([]);
  });

  it('reads back every reference accountReference writes, in either case', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 9_999_999_999 }),
        fc.boolean(),
        (year, sequence, lower) => {
          const number = `INV-${year}-${String(sequence).padStart(6, '0')}`;
          const reference = accountReference(number);
          expect(invoiceNumbersFor(lower ? reference.toLowerCase() : reference)).toContain(number);
        },
      ),
    );
  });
});

describe('M-Pesa TransactionDesc', () => {
  it('keeps a description that fits, and cuts a longer one at a word, never mid-word', () => {
    expect(transactionDescription('Pro monthly')).toBe('Pro monthly');
    expect(transactionDescription('Invoice INV-2026-000042')).toBe('Invoice');
    expect(transactionDescription('Pro plan, June 2026 subscription')).toBe('Pro plan,');
    expect(transactionDescription('Ünïcödé-only-and-much-too-long')).toBe('Payment');
    expect(transactionDescription('  Café  ')).toBe('Caf');
  });
});
