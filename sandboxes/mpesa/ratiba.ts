// M-Pesa Ratiba (standing orders): a business asks Daraja to put a recurring payment to its paybill on a customer's
// phone (`createStandingOrderExternal`); Daraja answers at once that the request is accepted, the customer approves
// or declines with their PIN, and the result goes to the request's CallBackURL (the samples in samples/ratiba-*.json
// and ../../shared/psp-samples/mpesa-ratiba-*.json; Daraja writes that callback's keys in either casing). Each
// collection then pays the paybill like a customer would: a C2B confirmation naming the order's AccountReference.
//
// Collections follow the order's calendar at Safaricom; here they happen when a test says so
// (`POST /__sandbox/ratiba/collect`), and a customer cancels an order from their phone with
// `POST /__sandbox/ratiba/cancel`: later collections then pay nothing, and nothing tells the business.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { c2bPayload, payIntoPaybill } from './c2b.js';
import { post, sleep, track } from './callbacks.js';
import { requireBearer } from './oauth.js';
import { badRequest, PHONE, randomString, readJsonObject, sendJson, UPPER, UPPER_ALNUM } from './protocol.js';
import type { MpesaSandboxState } from './state.js';

export interface StandingOrder {
  /** The create answer's responseRefID, which the result callback carries back. */
  refId: string;
  name: string;
  phone: string;
  amount: number;
  frequency: number;
  startDate: string;
  endDate: string;
  accountReference: string;
  callbackUrl: string;
  status: 'awaiting-customer' | 'active' | 'declined' | 'cancelled';
  collections: { transId: string; collectedAt: string }[];
  callbacks: { attempt: number; status?: number; error?: string }[];
}

/** How a customer answers an order put on their phone: approve (the default), decline with a code, or never. */
export type RatibaAnswer = { kind: 'approve' } | { kind: 'decline'; responseCode: string } | { kind: 'silent' };

const DATE = /^(\d{4})(\d{2})(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The request as Daraja validates it: every field present and in its documented form. */
function readOrder(state: MpesaSandboxState, body: Record<string, unknown>): Omit<StandingOrder, 'refId' | 'status'> {
  const text = (field: string, max = 100) => {
    const value = body[field];
    if (typeof value !== 'string' || value.trim() === '' || value.length > max) throw badRequest(field);
    return value;
  };
  if (text('BusinessShortCode') !== state.shortcode) throw badRequest('BusinessShortCode');
  if (text('TransactionType') !== 'Standing Order Customer Pay Bill') throw badRequest('TransactionType');
  if (text('ReceiverPartyIdentifierType') !== '4') throw badRequest('ReceiverPartyIdentifierType');
  const amount = Number(text('Amount'));
  if (!Number.isInteger(amount) || amount < 1) throw badRequest('Amount');
  const phone = text('PartyA');
  if (!PHONE.test(phone)) throw badRequest('PartyA');
  const frequency = Number(text('Frequency'));
  if (!Number.isInteger(frequency) || frequency < 1 || frequency > 8) throw badRequest('Frequency');
  const startDate = text('StartDate');
  const endDate = text('EndDate');
  if (!isCalendarDate(startDate)) throw badRequest('StartDate');
  if (!isCalendarDate(endDate) || endDate <= startDate) throw badRequest('EndDate');
  const callbackUrl = text('CallBackURL', 2000);
  if (!/^https?:\/\//i.test(callbackUrl) || !URL.canParse(callbackUrl)) throw badRequest('CallBackURL');
  text('TransactionDesc');
  return {
    name: text('StandingOrderName'),
    phone,
    amount,
    frequency,
    startDate,
    endDate,
    accountReference: text('AccountReference', 20),
    callbackUrl,
    collections: [],
    callbacks: [],
  };
}

/** POST /standingorder/v1/createStandingOrderExternal */
export async function createStandingOrder(
  state: MpesaSandboxState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  requireBearer(state, req);
  const order: StandingOrder = {
    ...readOrder(state, await readJsonObject(req)),
    refId: randomUUID(),
    status: 'awaiting-customer',
  };
  state.standingOrders.set(order.refId, order);
  track(state, askCustomer(state, order));
  sendJson(res, 200, {
    ResponseHeader: {
      responseRefID: order.refId,
      responseCode: '200',
      responseDescription: 'Request accepted for processing',
      ResultDesc: 'The service request is processed successfully.',
    },
    ResponseBody: { responseDescription: 'Request accepted for processing', responseCode: '200' },
  });
}

/** The customer's phone shows the order; their answer goes to the CallBackURL, with retries like every callback. */
async function askCustomer(state: MpesaSandboxState, order: StandingOrder): Promise<void> {
  const started = state.generation;
  await sleep(state, state.callbackDelayMs);
  if (state.closed || state.generation !== started) return;
  const answer = state.ratibaAnswers.get(order.phone) ?? { kind: 'approve' };
  if (answer.kind === 'silent') return;
  order.status = answer.kind === 'approve' ? 'active' : 'declined';
  const payload = JSON.stringify(resultCallback(order, answer));
  for (let attempt = 1; attempt <= state.retryDelays.length + 1; attempt++) {
    if (state.closed || state.generation !== started) return;
    const record: StandingOrder['callbacks'][number] = { attempt };
    try {
      record.status = await post(state, order.callbackUrl, payload);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    order.callbacks.push(record);
    if (record.status !== undefined && record.status >= 200 && record.status < 300) return;
    const wait = state.retryDelays[attempt - 1];
    if (wait === undefined) return;
    await sleep(state, wait);
  }
}

/** As the documented samples: the success in camelCase keys, a failure in PascalCase, the phone masked. */
export function resultCallback(order: StandingOrder, answer: RatibaAnswer) {
  const masked = `${order.phone.slice(0, 3)}******${order.phone.slice(-3)}`;
  if (answer.kind === 'approve') {
    return {
      responseHeader: {
        responseRefID: order.refId,
        requestRefID: randomUUID(),
        responseCode: '0',
        responseDescription: 'The service request is processed successfully',
      },
      responseBody: {
        responseData: [
          { name: 'TransactionID', value: randomString(UPPER, 2) + randomString(UPPER_ALNUM, 8) },
          { name: 'responseCode', value: '0' },
          { name: 'Status', value: 'OKAY' },
          { name: 'Msisdn', value: masked },
        ],
      },
    };
  }
  const code = answer.kind === 'decline' ? answer.responseCode : '1037';
  return {
    ResponseHeader: {
      responseRefID: order.refId,
      requestRefID: randomUUID(),
      responseCode: code,
      responseDescription: 'Error',
    },
    ResponseBody: {
      ResponseData: [
        { Name: 'TransactionID', Value: '0000000000' },
        { Name: 'responseCode', Value: code },
        { Name: 'Status', Value: 'ERROR' },
        { Name: 'Msisdn', Value: masked },
      ],
    },
  };
}

/** POST /__sandbox/ratiba/collect {refId}: today's collection, paid into the paybill; an order no longer live pays nothing. */
export function collect(state: MpesaSandboxState, refId: string) {
  const order = state.standingOrders.get(refId);
  if (!order) throw badRequest('refId');
  if (order.status !== 'active') return { collected: false, status: order.status };
  const payload = c2bPayload(state, {
    type: 'Pay Bill',
    amount: order.amount,
    phone: order.phone,
    billRef: order.accountReference,
  });
  const transaction = payIntoPaybill(state, payload);
  if (!transaction) throw badRequest('BusinessShortCode (no URLs registered)');
  order.collections.push({ transId: payload.TransID, collectedAt: state.now().toISOString() });
  return { collected: true, transId: payload.TransID };
}

/** Routes under /__sandbox/ratiba: the orders, collecting, cancelling from the phone, scripting answers. */
export async function ratibaControl(
  state: MpesaSandboxState,
  action: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (action === 'list') return sendJson(res, 200, [...state.standingOrders.values()]);
  const body = await readJsonObject(req);
  if (action === 'collect') return sendJson(res, 200, collect(state, String(body.refId ?? '')));
  if (action === 'cancel') {
    const order = state.standingOrders.get(String(body.refId ?? ''));
    if (!order) throw badRequest('refId');
    order.status = 'cancelled';
    return sendJson(res, 200, { cancelled: true });
  }
  if (action === 'script') {
    const phone = String(body.phone ?? '');
    if (!PHONE.test(phone)) throw badRequest('phone');
    const answer = body.answer as RatibaAnswer | null;
    if (answer === null) state.ratibaAnswers.delete(phone);
    else if (answer?.kind === 'approve' || answer?.kind === 'silent') state.ratibaAnswers.set(phone, answer);
    else if (answer?.kind === 'decline' && typeof answer.responseCode === 'string')
      state.ratibaAnswers.set(phone, answer);
    else throw badRequest('answer');
    return sendJson(res, 200, { scripted: true });
  }
  throw badRequest('action');
}
