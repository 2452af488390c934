// Which handler answers which method and path.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, asDigits, readJsonObject, sendJson } from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { deliverPendingCallbacks } from './callbacks.js';
import { parseScriptedOutcome, reset, script } from './controls.js';
import { generateToken } from './oauth.js';
import { processRequest } from './stkPush.js';
import { query } from './stkQuery.js';

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
