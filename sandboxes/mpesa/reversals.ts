// Transaction Reversal and Transaction Status, Daraja's asynchronous result APIs: the request is acknowledged at once
// ({OriginatorConversationID, ConversationID, ResponseCode "0"}); the Result is POSTed to ResultURL later. A
// reversal gives back a whole C2B transaction of the ledger, once (Daraja's Reversals API reverses C2B
// transactions; see samples/README.md). Controls for tests: how results are delivered (once, twice, never, late).
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout } from 'node:timers';
import {
  badRequest,
  darajaTimestamp,
  digits,
  newRequestId,
  randomString,
  sendJson,
  readJsonObject,
  UPPER,
  UPPER_ALNUM,
  hex,
} from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { post, sleep, track } from './callbacks.js';
import { requireBearer } from './oauth.js';

/** How the results of the next reversals are delivered (and what they say). */
export interface ReversalScript {
  /** once (default), twice (the same Result body delivered two times), never (decided, but no Result is sent). */
  delivery?: 'once' | 'twice' | 'never';
  /** The Result leaves this long after the reversal is decided. */
  lateMs?: number;
  /** A failing result instead of a reversal (nothing reversed), e.g. "R000002". */
  resultCode?: string;
  resultDesc?: string;
}

export interface Reversal {
  originatorConversationId: string;
  conversationId: string;
  receipt: string;
  amount: number;
  resultUrl: string;
  state: 'queued' | 'completed' | 'failed';
  /** The reversal's own receipt, once completed. */
  reversalReceipt?: string;
  resultCode?: string;
}

export interface ResultDelivery {
  url: string;
  status?: number;
  error?: string;
  body: unknown;
}

const ACCEPTED = 'Accept the service request successfully.';
export const REVERSAL_CODES = {
  ALREADY_REVERSED: { code: 'R000001', desc: 'The transaction has already been reversed.' },
  INVALID_TRANSACTION: { code: 'R000002', desc: 'The OriginalTransactionID is invalid.' },
  AMOUNT: { code: 'R000003', desc: 'The amount must be the whole transaction amount.' },
} as const;

function requireFields(body: Record<string, unknown>, command: string, state: MpesaSandboxState): void {
  if (typeof body.Initiator !== 'string' || !body.Initiator) throw badRequest('Initiator');
  if (typeof body.SecurityCredential !== 'string' || !body.SecurityCredential) throw badRequest('SecurityCredential');
  if (state.options.securityCredential && body.SecurityCredential !== state.options.securityCredential) {
    throw badRequest('SecurityCredential');
  }
  if (body.CommandID !== command) throw badRequest('CommandID');
  for (const field of ['ResultURL', 'QueueTimeOutURL']) {
    const url = body[field];
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/?#]+/i.test(url) || !URL.canParse(url)) throw badRequest(field);
  }
  // Transaction Status may name the transaction by its receipt or, for one whose receipt is not known yet (a B2C
  // payment asked about before its Result came), by the request's OriginalConversationID.
  const byConversation = command === 'TransactionStatusQuery' && typeof body.OriginalConversationID === 'string';
  if ((typeof body.TransactionID !== 'string' || !body.TransactionID) && !byConversation) {
    throw badRequest('TransactionID');
  }
}

function conversationIds() {
  const now = new Date();
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { originatorConversationId: newRequestId(), conversationId: `AG_${day}_${hex(10)}` };
}

export async function reverse(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  requireFields(body, 'TransactionReversal', state);
  const amount = Number(body.Amount);
  if (!Number.isFinite(amount) || amount <= 0) throw badRequest('Amount');
  if (String(body.ReceiverParty ?? '') !== state.shortcode) throw badRequest('ReceiverParty');
  const ids = conversationIds();
  const reversal: Reversal = {
    ...ids,
    receipt: body.TransactionID as string,
    amount,
    resultUrl: body.ResultURL as string,
    state: 'queued',
  };
  state.reversals.set(reversal.conversationId, reversal);
  const script = state.reversalScript;
  setTimeout(() => decideReversal(state, reversal, script), state.callbackDelayMs);
  sendJson(res, 200, {
    OriginatorConversationID: ids.originatorConversationId,
    ConversationID: ids.conversationId,
    ResponseCode: '0',
    ResponseDescription: ACCEPTED,
  });
}

function decideReversal(state: MpesaSandboxState, reversal: Reversal, script: ReversalScript): void {
  if (state.closed || reversal.state !== 'queued') return;
  const entry = state.ledgerEntries.find((e) => e.receipt === reversal.receipt);
  let failure: { code: string; desc: string } | null = null;
  if (script.resultCode) failure = { code: script.resultCode, desc: script.resultDesc ?? 'The reversal failed.' };
  else if (!entry) failure = REVERSAL_CODES.INVALID_TRANSACTION;
  else if (state.reversedReceipts.has(entry.receipt)) failure = REVERSAL_CODES.ALREADY_REVERSED;
  else if (entry.amount !== reversal.amount) failure = REVERSAL_CODES.AMOUNT;
  const result: Record<string, unknown> = {
    ResultType: 0,
    ResultCode: failure ? failure.code : 0,
    ResultDesc: failure ? failure.desc : 'The service request is processed successfully.',
    OriginatorConversationID: reversal.originatorConversationId,
    ConversationID: reversal.conversationId,
    TransactionID: '',
  };
  if (failure) {
    reversal.state = 'failed';
    reversal.resultCode = failure.code;
  } else {
    reversal.state = 'completed';
    reversal.reversalReceipt = randomString(UPPER, 1) + randomString(UPPER_ALNUM, 9);
    state.reversedReceipts.add(reversal.receipt);
    result.TransactionID = reversal.reversalReceipt;
    result.ResultParameters = {
      ResultParameter: [
        { Key: 'Amount', Value: reversal.amount },
        { Key: 'OriginalTransactionID', Value: reversal.receipt },
        { Key: 'TransCompletedTime', Value: Number(`2026${digits(10)}`) },
      ],
    };
  }
  result.ReferenceData = {
    ReferenceItem: {
      Key: 'QueueTimeoutURL',
      Value: 'https://internalsandbox.safaricom.co.ke/mpesa/reversalresults/v1/submit',
    },
  };
  const times = script.delivery === 'never' ? 0 : script.delivery === 'twice' ? 2 : 1;
  if (times > 0) track(state, sendResult(state, reversal.resultUrl, { Result: result }, times, script.lateMs ?? 0));
}

/** Transaction Status of a reversal (OriginalConversationID) or of a transaction (TransactionID). */
export async function transactionStatus(
  state: MpesaSandboxState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  requireFields(body, 'TransactionStatusQuery', state);
  const ids = conversationIds();
  const asked = typeof body.OriginalConversationID === 'string' ? body.OriginalConversationID : null;
  const reversal = [...state.reversals.values(), ...state.b2cPayments.values()].find(
    (r) => r.originatorConversationId === asked || r.conversationId === asked,
  );
  const entry = state.ledgerEntries.find((e) => e.receipt === body.TransactionID);
  const result: Record<string, unknown> = {
    ResultType: 0,
    ResultCode: 0,
    ResultDesc: 'The service request is processed successfully.',
    OriginatorConversationID: ids.originatorConversationId,
    ConversationID: ids.conversationId,
    TransactionID: '',
  };
  if (reversal && reversal.state !== 'failed') {
    const receipt =
      'reversalReceipt' in reversal ? reversal.reversalReceipt : 'receipt' in reversal ? reversal.receipt : '';
    result.ResultParameters = {
      ResultParameter: [
        { Key: 'ReceiptNo', Value: receipt ?? '' },
        { Key: 'Conversation ID', Value: reversal.conversationId },
        { Key: 'Originator Conversation ID', Value: reversal.originatorConversationId },
        { Key: 'Amount', Value: reversal.amount },
        { Key: 'TransactionStatus', Value: reversal.state === 'completed' ? 'Completed' : 'Pending' },
        { Key: 'ReasonType', Value: 'phone' in reversal ? 'Business Payment' : 'Reversal' },
      ],
    };
  } else if (!reversal && asked === null && entry) {
    result.ResultParameters = {
      ResultParameter: [
        { Key: 'ReceiptNo', Value: entry.receipt },
        { Key: 'Amount', Value: entry.amount },
        { Key: 'TransactionStatus', Value: 'Completed' },
        { Key: 'ReasonType', Value: 'Pay Bill Online' },
      ],
    };
  } else {
    result.ResultCode = REVERSAL_CODES.INVALID_TRANSACTION.code;
    result.ResultDesc = REVERSAL_CODES.INVALID_TRANSACTION.desc;
  }
  track(state, sendResult(state, body.ResultURL as string, { Result: result }, 1, 0));
  sendJson(res, 200, {
    OriginatorConversationID: ids.originatorConversationId,
    ConversationID: ids.conversationId,
    ResponseCode: '0',
    ResponseDescription: ACCEPTED,
  });
}

async function sendResult(
  state: MpesaSandboxState,
  url: string,
  body: unknown,
  times: number,
  lateMs: number,
): Promise<void> {
  if (lateMs > 0) await sleep(state, lateMs, state.lateStarts);
  const payload = JSON.stringify(body);
  for (let i = 0; i < times && !state.closed; i++) {
    const record: ResultDelivery = { url, body };
    try {
      record.status = await post(state, url, payload);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    state.resultLog.push(record);
  }
}

/** A B2C payment (Business to Customer): money sent to a phone, e.g. a partial refund. */
export interface B2cPayment {
  originatorConversationId: string;
  conversationId: string;
  phone: string;
  amount: number;
  resultUrl: string;
  state: 'queued' | 'completed' | 'failed';
  receipt?: string;
  resultCode?: string;
}

export const B2C_COMMANDS = new Set(['BusinessPayment', 'SalaryPayment', 'PromotionPayment']);

/**
 * POST /mpesa/b2c/v3/paymentrequest (and v1): pays `Amount` from the B2C shortcode (PartyA) to a phone (PartyB). v3
 * takes the caller's OriginatorConversationID; one already used answers with its first request's ids and pays nothing
 * again. The Result goes to ResultURL, as scripted by scriptReversals (once, twice, never, late, or a failure code).
 */
export async function b2cPayment(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  if (typeof body.InitiatorName !== 'string' || !body.InitiatorName) throw badRequest('InitiatorName');
  if (typeof body.SecurityCredential !== 'string' || !body.SecurityCredential) throw badRequest('SecurityCredential');
  if (state.options.securityCredential && body.SecurityCredential !== state.options.securityCredential) {
    throw badRequest('SecurityCredential');
  }
  if (!B2C_COMMANDS.has(String(body.CommandID))) throw badRequest('CommandID');
  const amount = Number(body.Amount);
  if (!Number.isInteger(amount) || amount < 10 || amount > 250_000) throw badRequest('Amount');
  if (String(body.PartyA ?? '') !== state.shortcode) throw badRequest('PartyA');
  const phone = String(body.PartyB ?? '');
  if (!/^254(7|1)\d{8}$/.test(phone)) throw badRequest('PartyB');
  for (const field of ['ResultURL', 'QueueTimeOutURL']) {
    const url = body[field];
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/?#]+/i.test(url) || !URL.canParse(url)) throw badRequest(field);
  }
  const given = typeof body.OriginatorConversationID === 'string' ? body.OriginatorConversationID : '';
  const earlier = given ? [...state.b2cPayments.values()].find((p) => p.originatorConversationId === given) : null;
  const payment: B2cPayment = earlier ?? {
    ...conversationIds(),
    ...(given ? { originatorConversationId: given } : {}),
    phone,
    amount,
    resultUrl: body.ResultURL as string,
    state: 'queued',
  };
  if (!earlier) {
    state.b2cPayments.set(payment.conversationId, payment);
    const script = state.reversalScript;
    setTimeout(() => decideB2c(state, payment, script), state.callbackDelayMs);
  }
  sendJson(res, 200, {
    ConversationID: payment.conversationId,
    OriginatorConversationID: payment.originatorConversationId,
    ResponseCode: '0',
    ResponseDescription: ACCEPTED,
  });
}

function decideB2c(state: MpesaSandboxState, payment: B2cPayment, script: ReversalScript): void {
  if (state.closed || payment.state !== 'queued') return;
  const result: Record<string, unknown> = {
    ResultType: 0,
    ResultCode: script.resultCode ?? 0,
    ResultDesc: script.resultCode
      ? (script.resultDesc ?? 'The payment failed.')
      : 'The service request is processed successfully.',
    OriginatorConversationID: payment.originatorConversationId,
    ConversationID: payment.conversationId,
    TransactionID: '',
  };
  if (script.resultCode) {
    payment.state = 'failed';
    payment.resultCode = script.resultCode;
  } else {
    payment.state = 'completed';
    payment.receipt = randomString(UPPER, 1) + randomString(UPPER_ALNUM, 9);
    result.TransactionID = payment.receipt;
    result.ResultParameters = {
      ResultParameter: [
        { Key: 'TransactionAmount', Value: payment.amount },
        { Key: 'TransactionReceipt', Value: payment.receipt },
        { Key: 'ReceiverPartyPublicName', Value: `${payment.phone} - John Doe` },
        { Key: 'TransactionCompletedDateTime', Value: darajaTimestamp(state.now()) },
        { Key: 'B2CRecipientIsRegisteredCustomer', Value: 'Y' },
      ],
    };
  }
  const times = script.delivery === 'never' ? 0 : script.delivery === 'twice' ? 2 : 1;
  if (times > 0) track(state, sendResult(state, payment.resultUrl, { Result: result }, times, script.lateMs ?? 0));
}
