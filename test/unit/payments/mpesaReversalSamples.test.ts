// The Daraja samples kept beside the sandbox (sandboxes/mpesa/samples, with where each comes from) read as the refund
// code reads them: a reversal Result, a Transaction Status Result, and what the requests we send look like.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseMpesaResult, reversalBody, statusQueryBody } from '../../../src/payments/mpesa/reversal.js';

const sample = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'sandboxes', 'mpesa', 'samples', name), 'utf8'));

describe("Daraja's reversal and status samples", () => {
  it('reads a reversal Result: code, conversation ids and the reversal receipt', () => {
    expect(parseMpesaResult(sample('reversal-result.json'))).toEqual({
      resultCode: '0',
      resultDesc: 'The service request has been accepted successfully.',
      originatorConversationId: '10819-695089-1',
      conversationId: 'AG_20170727_00004efadacd98a01d15',
      transactionId: 'LGR019G3J2',
      parameters: {},
    });
  });

  it('reads a Transaction Status Result with its keyed parameters (spaces in keys, missing values)', () => {
    const result = parseMpesaResult(sample('transaction-status-result.json'))!;
    expect(result.parameters).toMatchObject({
      ReceiptNo: 'LGR919G2AV',
      'Conversation ID': 'AG_20170727_00004492b1b6d0078fbe',
      'Originator Conversation ID': '19455-773836-1',
      TransactionStatus: 'Completed',
      Amount: 10,
    });
    expect(result.parameters).not.toHaveProperty('TransactionReason');
  });

  it('reads failure codes as Daraja writes them (R000002) and refuses what is no Result', () => {
    const failed = sample('reversal-result.json');
    failed.Result.ResultCode = 'R000002';
    expect(parseMpesaResult(failed)?.resultCode).toBe('R000002');
    expect(parseMpesaResult({ Body: { stkCallback: {} } })).toBeNull();
    expect(
      parseMpesaResult({ Result: { ResultCode: 'zero', ConversationID: 'a', OriginatorConversationID: 'b' } }),
    ).toBeNull();
  });

  it('sends the fields of the documented requests, with the refund in the result paths', () => {
    const settings = { initiator: 'testapi', securityCredential: 'secret' };
    const request = {
      receiptNumber: 'OEI2AK4Q16',
      amount: { amount: 100, currency: 'KES' },
      refundId: 'r-1',
      remarks: 'Test',
    };
    const reversal = reversalBody(settings, '600992', 'https://example.com/webhooks/mpesa/s', request);
    expect(Object.keys(reversal).sort()).toEqual(Object.keys(sample('reversal-request.json')).sort());
    expect(reversal).toMatchObject({
      CommandID: 'TransactionReversal',
      TransactionID: 'OEI2AK4Q16',
      Amount: 1,
      ResultURL: 'https://example.com/webhooks/mpesa/s/refunds/r-1/reversal-result',
      QueueTimeOutURL: 'https://example.com/webhooks/mpesa/s/refunds/r-1/reversal-timeout',
    });
    const status = statusQueryBody(settings, '600992', 'https://example.com/webhooks/mpesa/s', {
      refundId: 'r-1',
      receiptNumber: 'OEI2AK4Q16',
      reversal: '10819-695089-1',
    });
    expect(Object.keys(status).sort()).toEqual(Object.keys(sample('transaction-status-request.json')).sort());
  });
});
