// STK Query: the outcome of a decided prompt.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, badRequest, readJsonObject, sendJson } from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { requireBearer } from './oauth.js';
import { checkMerchantFormat, checkPassword } from './stkChecks.js';

export async function query(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  const timestamp = checkMerchantFormat(state, body);
  const id = body.CheckoutRequestID;
  if (typeof id !== 'string' || id.length === 0) throw badRequest('CheckoutRequestID');
  checkPassword(state, body, timestamp);
  const tx = state.transactions.get(id);
  if (!tx) throw badRequest('CheckoutRequestID');
  if (tx.state === 'pending') {
    throw new ApiError(500, '500.001.1001', 'The transaction is being processed', tx.checkoutRequestId);
  }
  sendJson(res, 200, {
    ResponseCode: '0',
    ResponseDescription: 'The service request has been accepted successsfully',
    MerchantRequestID: tx.merchantRequestId,
    CheckoutRequestID: tx.checkoutRequestId,
    ResultCode: String(tx.outcome.resultCode),
    ResultDesc: tx.outcome.resultDesc,
  });
}
