import { describe, expect, it } from '@jest/globals';
import { accountReference, transactionDescription } from '../../../src/payments/mpesa/chargeTexts.js';

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

describe('M-Pesa TransactionDesc', () => {
  it('keeps a description that fits, and cuts a longer one at a word, never mid-word', () => {
    expect(transactionDescription('Pro monthly')).toBe('Pro monthly');
    expect(transactionDescription('Invoice INV-2026-000042')).toBe('Invoice');
    expect(transactionDescription('Pro plan, June 2026 subscription')).toBe('Pro plan,');
    expect(transactionDescription('Ünïcödé-only-and-much-too-long')).toBe('Payment');
    expect(transactionDescription('  Café  ')).toBe('Caf');
  });
});
