// Customer to Business (C2B): a customer pays the paybill from their phone, naming an account (BillRefNumber). The
// business registers two URLs once (Register URL, v2); for every payment M-Pesa then POSTs the payment's details to
// the ValidationURL when external validation is on for the shortcode (the answer decides: "0" goes on, a C2B000xx
// code cancels; no answer in time applies the registered ResponseType), and, once the money has moved, to the
// ConfirmationURL. Daraja's sandbox starts payments with C2B Simulate; so does this one. A completed payment joins the
// ledger, so Transaction Reversal and Transaction Status find it like a Pay Bill Online one.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  badRequest,
  darajaTimestamp,
  newRequestId,
  PHONE,
  randomString,
  readJsonObject,
  sendJson,
  UPPER,
  UPPER_ALNUM,
} from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { post, postReading, sleep, track } from './callbacks.js';
import { requireBearer } from './oauth.js';

export interface C2bRegistration {
  shortCode: string;
  responseType: 'Completed' | 'Cancelled';
  confirmationUrl: string;
  validationUrl: string;
}

/** What M-Pesa POSTs to both URLs (Register URL v2: MSISDN masked, no middle or last name unless given). */
export interface C2bPayload {
  TransactionType: 'Pay Bill' | 'Buy Goods';
  TransID: string;
  TransTime: string;
  TransAmount: string;
  BusinessShortCode: string;
  BillRefNumber: string;
  InvoiceNumber: string;
  OrgAccountBalance: string;
  ThirdPartyTransID: string;
  MSISDN: string;
  FirstName: string;
  MiddleName: string;
  LastName: string;
}

export interface C2bTransaction {
  payload: C2bPayload;
  /** What the validation URL answered (its ResultCode), 'unreachable', or 'off' when validation is not enabled. */
  validation: string;
  outcome: 'completed' | 'cancelled';
  confirmations: { attempt: number; status?: number; error?: string }[];
}

const ACCEPTED = 'Accept the service request successfully.';
const COMMANDS: Record<string, C2bPayload['TransactionType']> = {
  CustomerPayBillOnline: 'Pay Bill',
  CustomerBuyGoodsOnline: 'Buy Goods',
};

function isCallbackUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/[^\s/?#]+/i.test(value) && URL.canParse(value);
}

/** POST /mpesa/c2b/v2/registerurl (and v1): the URLs of one shortcode; registering again replaces them. */
export async function registerUrl(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  if (String(body.ShortCode ?? '') !== state.shortcode) throw badRequest('ShortCode');
  if (body.ResponseType !== 'Completed' && body.ResponseType !== 'Cancelled') throw badRequest('ResponseType');
  // Daraja refuses URLs naming M-Pesa or Safaricom (and, outside its sandbox, plain http).
  for (const field of ['ConfirmationURL', 'ValidationURL']) {
    const url = body[field];
    if (!isCallbackUrl(url) || /mpesa|m-pesa|safaricom/i.test(url)) throw badRequest(field);
  }
  state.c2bRegistrations.set(state.shortcode, {
    shortCode: state.shortcode,
    responseType: body.ResponseType,
    confirmationUrl: body.ConfirmationURL as string,
    validationUrl: body.ValidationURL as string,
  });
  sendJson(res, 200, { OriginatorCoversationID: newRequestId(), ResponseCode: '0', ResponseDescription: 'Success' });
}

/** POST /mpesa/c2b/v1/simulate: a customer's payment to the paybill, as if typed on the phone. */
export async function simulate(state: MpesaSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  if (String(body.ShortCode ?? '') !== state.shortcode) throw badRequest('ShortCode');
  const type = COMMANDS[String(body.CommandID)];
  if (!type) throw badRequest('CommandID');
  const amount = Number(body.Amount);
  if (!Number.isInteger(amount) || amount < 1) throw badRequest('Amount');
  const phone = String(body.Msisdn ?? '');
  if (!PHONE.test(phone)) throw badRequest('Msisdn');
  const billRef = typeof body.BillRefNumber === 'string' ? body.BillRefNumber : '';
  if (type === 'Pay Bill' && (!billRef || billRef.length > 20)) throw badRequest('BillRefNumber');
  const registration = state.c2bRegistrations.get(state.shortcode);
  if (!registration) throw badRequest('ShortCode (no URLs registered)');
  const payload = c2bPayload(state, { type, amount, phone, billRef });
  track(state, pay(state, registration, payload));
  sendJson(res, 200, { OriginatorCoversationID: newRequestId(), ResponseCode: '0', ResponseDescription: ACCEPTED });
}

export function c2bPayload(
  state: MpesaSandboxState,
  payment: { type: C2bPayload['TransactionType']; amount: number; phone: string; billRef: string; name?: string },
): C2bPayload {
  return {
    TransactionType: payment.type,
    TransID: randomString(UPPER, 3) + randomString(UPPER_ALNUM, 7),
    TransTime: darajaTimestamp(state.now()),
    TransAmount: payment.amount.toFixed(2),
    BusinessShortCode: state.shortcode,
    BillRefNumber: payment.billRef,
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    // Register URL v2 masks the payer's number.
    MSISDN: `${payment.phone.slice(0, 4)}*****${payment.phone.slice(-3)}`,
    FirstName: payment.name ?? 'John',
    MiddleName: '',
    LastName: '',
  };
}

/**
 * A payment into the paybill by other means than Simulate (a standing order's collection): validation and
 * confirmation go out exactly as for a payment typed on a phone. Null when no URLs are registered.
 */
export function payIntoPaybill(state: MpesaSandboxState, payload: C2bPayload): C2bTransaction | null {
  const registration = state.c2bRegistrations.get(state.shortcode);
  if (!registration) return null;
  const transaction: C2bTransaction = { payload, validation: 'off', outcome: 'completed', confirmations: [] };
  track(state, pay(state, registration, payload, transaction));
  return transaction;
}

/** Validation (when on), then the money moves and the confirmation goes out, with retries. */
async function pay(
  state: MpesaSandboxState,
  registration: C2bRegistration,
  payload: C2bPayload,
  transaction: C2bTransaction = { payload, validation: 'off', outcome: 'completed', confirmations: [] },
): Promise<void> {
  const started = state.generation;
  state.c2bTransactions.push(transaction);
  if (state.c2bExternalValidation) {
    transaction.validation = await validate(state, registration.validationUrl, payload);
    const goesOn =
      transaction.validation === '0' ||
      (transaction.validation === 'unreachable' && registration.responseType === 'Completed');
    if (!goesOn) {
      transaction.outcome = 'cancelled';
      return;
    }
  }
  if (state.closed || state.generation !== started) return;
  state.ledgerEntries.push({
    kind: 'c2b',
    checkoutRequestId: '',
    merchantRequestId: '',
    phone: payload.MSISDN,
    amount: Number(payload.TransAmount),
    accountReference: payload.BillRefNumber,
    transactionDesc: payload.TransactionType,
    receipt: payload.TransID,
    completedAt: state.now().toISOString(),
  });
  await confirm(state, registration.confirmationUrl, transaction, started);
}

async function validate(state: MpesaSandboxState, url: string, payload: C2bPayload): Promise<string> {
  try {
    const answer = await postReading(state, url, JSON.stringify(payload));
    if (answer.status < 200 || answer.status >= 300) return 'unreachable';
    const code = (JSON.parse(answer.body) as { ResultCode?: unknown } | null)?.ResultCode;
    return code === undefined || code === null ? 'unreachable' : String(code);
  } catch {
    return 'unreachable';
  }
}

async function confirm(
  state: MpesaSandboxState,
  url: string,
  transaction: C2bTransaction,
  started: number,
): Promise<void> {
  const payload = JSON.stringify(transaction.payload);
  for (let attempt = 1; attempt <= state.retryDelays.length + 1; attempt++) {
    if (state.closed || state.generation !== started) return;
    const record: C2bTransaction['confirmations'][number] = { attempt };
    try {
      record.status = await post(state, url, payload);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    transaction.confirmations.push(record);
    if (record.status !== undefined && record.status >= 200 && record.status < 300) return;
    const wait = state.retryDelays[attempt - 1];
    if (wait === undefined) return;
    await sleep(state, wait);
  }
}

/** Sends a completed payment's confirmation again, as M-Pesa sometimes does (a test of deduplication). */
export function redeliverConfirmation(state: MpesaSandboxState, transId: string): Promise<void> {
  const transaction = state.c2bTransactions.find((t) => t.payload.TransID === transId && t.outcome === 'completed');
  const registration = state.c2bRegistrations.get(state.shortcode);
  if (!transaction || !registration) throw badRequest('TransID');
  const delivery = confirm(state, registration.confirmationUrl, transaction, state.generation);
  track(state, delivery);
  return delivery;
}
