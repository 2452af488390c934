// Which handler answers which method and path.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, asDigits, readJsonObject, sendJson } from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { deliverPendingCallbacks } from './callbacks.js';
import { parseScriptedOutcome, reset, script } from './controls.js';
import { generateToken } from './oauth.js';
import { processRequest } from './stkPush.js';
import { query } from './stkQuery.js';
import { b2cPayment, reverse, transactionStatus } from './reversals.js';
import { redeliverConfirmation, registerUrl, simulate } from './c2b.js';
import { createStandingOrder, ratibaControl } from './ratiba.js';

export async function route(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const key = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (key) {
    case 'GET /oauth/v1/generate':
      return generateToken(state, req, url, res);
    case 'POST /mpesa/stkpush/v1/processrequest':
      return processRequest(state, req, res);
    case 'POST /mpesa/stkpushquery/v1/query':
      return query(state, req, res);
    case 'POST /mpesa/reversal/v1/request':
      return reverse(state, req, res);
    case 'POST /mpesa/b2c/v1/paymentrequest':
    case 'POST /mpesa/b2c/v3/paymentrequest':
      return b2cPayment(state, req, res);
    case 'POST /mpesa/transactionstatus/v1/query':
      return transactionStatus(state, req, res);
    case 'POST /mpesa/c2b/v1/registerurl':
    case 'POST /mpesa/c2b/v2/registerurl':
      return registerUrl(state, req, res);
    case 'POST /mpesa/c2b/v1/simulate':
    case 'POST /mpesa/c2b/v2/simulate':
      return simulate(state, req, res);
    case 'POST /standingorder/v1/createStandingOrderExternal':
      return createStandingOrder(state, req, res);
    case 'GET /__sandbox/ratiba':
      return ratibaControl(state, 'list', req, res);
    case 'POST /__sandbox/ratiba/collect':
    case 'POST /__sandbox/ratiba/cancel':
    case 'POST /__sandbox/ratiba/script':
      return ratibaControl(state, url.pathname.split('/').pop()!, req, res);
    case 'GET /__sandbox/c2b':
      return sendJson(res, 200, state.c2bTransactions);
    case 'POST /__sandbox/c2b/validation': {
      const body = await readJsonObject(req);
      state.c2bExternalValidation = body.enabled === true;
      return sendJson(res, 200, { externalValidation: state.c2bExternalValidation });
    }
    case 'POST /__sandbox/c2b/redeliver': {
      const body = await readJsonObject(req);
      await redeliverConfirmation(state, String(body.TransID ?? ''));
      return sendJson(res, 200, { redelivered: true });
    }
    case 'POST /__sandbox/script-reversals': {
      const body = await readJsonObject(req);
      state.reversalScript = body as never;
      return sendJson(res, 200, { scripted: true });
    }
    case 'GET /__sandbox/results':
      return sendJson(res, 200, state.resultLog);
    case 'GET /__sandbox/ledger':
      return sendJson(res, 200, state.ledgerEntries);
    case 'GET /__sandbox/callbacks':
      return sendJson(res, 200, state.deliveryLog);
    case 'POST /__sandbox/reset':
      reset(state);
      return sendJson(res, 200, { reset: true });
    case 'POST /__sandbox/script': {
      const body = await readJsonObject(req);
      const phone = body.phone === undefined ? undefined : asDigits(body.phone);
      const amount = typeof body.amount === 'number' ? body.amount : undefined;
      script(state, { phone, amount }, parseScriptedOutcome(state, body.outcome));
      return sendJson(res, 200, { scripted: true });
    }
    case 'POST /__sandbox/expire-tokens':
      state.tokens.clear();
      return sendJson(res, 200, { expired: true });
    case 'POST /__sandbox/deliver':
      await deliverPendingCallbacks(state);
      return sendJson(res, 200, { delivered: true });
    default:
      throw new ApiError(404, '404.001.01', 'Resource not found');
  }
}
