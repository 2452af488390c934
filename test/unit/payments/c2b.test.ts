// Reading M-Pesa's paybill (C2B) payload: the documented sample, amounts to cents exactly, EAT times, and every
// malformed field named with its rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseC2bPayment, parseTransTime, shillingsToCents } from '../../../src/payments/mpesa/c2b.js';

const SAMPLE = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'sandboxes', 'mpesa', 'samples', 'c2b-confirmation.json'),
  'utf8',
);

describe('parseC2bPayment', () => {
  it('reads the documented confirmation', () => {
    expect(parseC2bPayment(SAMPLE)).toEqual({
      ok: true,
      payment: {
        transactionType: 'Pay Bill',
        transId: 'RKTQDM7W6S',
        paidAt: new Date('2026-12-04T07:15:30Z'),
        amount: 50_000,
        shortCode: '174379',
        billRefNumber: 'inv26000042',
        msisdn: '2547*****149',
        payerName: 'John',
      },
    });
  });

  it.each([
    ['[]', 'body', 'must be a JSON object'],
    ['{"TransID": 5', 'body', 'must be a JSON object'],
    [
      JSON.stringify({ ...JSON.parse(SAMPLE), TransID: 'rk tq' }),
      'TransID',
      'must be an M-Pesa receipt (6 to 20 capital letters and digits)',
    ],
    [
      JSON.stringify({ ...JSON.parse(SAMPLE), TransAmount: '0.00' }),
      'TransAmount',
      'must be a positive amount of shillings, e.g. "1500.00"',
    ],
    [
      JSON.stringify({ ...JSON.parse(SAMPLE), TransAmount: '1e3' }),
      'TransAmount',
      'must be a positive amount of shillings, e.g. "1500.00"',
    ],
    [
      JSON.stringify({ ...JSON.parse(SAMPLE), TransTime: '20260231101530' }),
      'TransTime',
      'must be YYYYMMDDHHmmss (East Africa Time)',
    ],
    [
      JSON.stringify({ ...JSON.parse(SAMPLE), BusinessShortCode: 'abc' }),
      'BusinessShortCode',
      'must be a paybill or till number',
    ],
  ])('refuses %s naming %s', (raw, field, rule) => {
    expect(parseC2bPayment(raw)).toEqual({ ok: false, field, rule });
  });
});

describe('amounts and times', () => {
  it('turns shillings into cents without floating point', () => {
    expect(shillingsToCents('1500')).toBe(150_000);
    expect(shillingsToCents('1500.5')).toBe(150_050);
    expect(shillingsToCents('0.07')).toBe(7);
    expect(shillingsToCents('999999999999.99')).toBe(99_999_999_999_999);
    expect(shillingsToCents('-1')).toBeNull();
    expect(shillingsToCents('1.234')).toBeNull();
  });

  it('reads TransTime as East Africa Time', () => {
    expect(parseTransTime('20261231235959')).toEqual(new Date('2026-12-31T20:59:59Z'));
    expect(parseTransTime('20261301000000')).toBeNull();
    expect(parseTransTime('2026123123595')).toBeNull();
  });
});
