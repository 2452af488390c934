// Daraja's Ratiba shapes read as its documented samples write them, and the cadences a standing order can collect.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { kenyanDate, ratibaFrequency, standingOrderMachine } from '../../../src/domain/standingOrders.js';
import {
  acceptedStandingOrder,
  parseStandingOrderResult,
  standingOrderBody,
} from '../../../src/payments/mpesa/ratiba.js';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../sandboxes/mpesa/samples/ratiba-${name}.json`, import.meta.url), 'utf8'));

describe('Ratiba on the wire', () => {
  it('writes the request with the sample’s fields and forms', () => {
    const body = standingOrderBody('174379', {
      name: 'Subscription ACC000042',
      phone: '254708374149',
      shillings: 4500,
      frequency: 4,
      startDate: new Date('2024-09-05T00:00:00Z'),
      endDate: new Date('2025-09-05T00:00:00Z'),
      accountReference: 'ACC000042',
      description: 'Subscription',
      callbackUrl: 'https://billing.example.com/webhooks/mpesa/secret/ratiba/id',
    });
    expect(Object.keys(body).sort()).toEqual(Object.keys(sample('request') as object).sort());
    expect(body).toMatchObject({ StartDate: '20240905', EndDate: '20250905', Amount: '4500', Frequency: '4' });
  });

  it('reads the accepted answer’s reference', () => {
    expect(acceptedStandingOrder(200, sample('response'))).toEqual({ refId: '4dd9b5d9-d738-42ba-9326-2cc99e966000' });
    expect(acceptedStandingOrder(400, sample('response'))).toBeNull();
    expect(acceptedStandingOrder(200, { errorCode: '400.002.02' })).toBeNull();
  });

  it('reads both casings of the result callback', () => {
    expect(parseStandingOrderResult(sample('callback-success'))).toEqual({
      refId: '0acc0239-20fa-4a52-8b9d-9bd64c0465c3',
      responseCode: '0',
      description: 'The service request is processed successfully',
      transactionId: 'SC8F2IQMH5',
      status: 'OKAY',
    });
    expect(parseStandingOrderResult(sample('callback-failure'))).toMatchObject({
      refId: '4dd9b5d9-d738-42ba-9326-2cc99e966000',
      responseCode: '1037',
      status: 'ERROR',
    });
    expect(parseStandingOrderResult({ Body: { stkCallback: {} } })).toBeNull();
    expect(parseStandingOrderResult('not an object')).toBeNull();
  });
});

describe('which cadences a standing order collects', () => {
  it.each([
    ['DAY', 1, 2],
    ['WEEK', 1, 3],
    ['MONTH', 1, 4],
    ['MONTH', 2, 5],
    ['QUARTER', 1, 6],
    ['MONTH', 6, 7],
    ['YEAR', 1, 8],
    ['MONTH', 12, 8],
    ['WEEK', 2, null],
    ['DAY', 3, null],
    ['MONTH', 5, null],
    ['MINUTE', 5, null],
    ['YEAR', 2, null],
  ] as const)('%s × %i → %p', (interval, intervalCount, frequency) => {
    expect(ratibaFrequency({ interval, intervalCount })).toBe(frequency);
  });

  it('moves a standing order only as its machine says', () => {
    expect(standingOrderMachine.can('PENDING_APPROVAL', 'ACTIVE')).toBe(true);
    expect(() => standingOrderMachine.assert('DECLINED', 'ACTIVE')).toThrow(
      'standing order cannot go from DECLINED to ACTIVE',
    );
    expect(() => standingOrderMachine.assert('LAPSED', 'ACTIVE')).toThrow();
  });
});

describe('the day a standing order starts', () => {
  it('is the calendar day in East Africa Time, as Safaricom counts days', () => {
    // A period starting at 02:48 EAT on 5 January is still 4 January in UTC.
    expect(kenyanDate(new Date('2027-01-04T23:48:00Z'))).toBe('2027-01-05');
    expect(kenyanDate(new Date('2027-01-04T20:59:59Z'))).toBe('2027-01-04');
    expect(kenyanDate(new Date('2027-01-04T21:00:00Z'))).toBe('2027-01-05');
  });
});
