// STK Push: accepting a prompt, then deciding it (charged or not) and recording the ledger.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { clearTimeout, setTimeout } from 'node:timers';
import {
  type StkCallbackItem,
  type StkCallbackEnvelope,
  RESULT_DESCRIPTIONS,
  PHONE,
  type ResolvedOutcome,
  type Transaction,
  ApiError,
  badRequest,
  newRequestId,
  UPPER,
  UPPER_ALNUM,
  randomString,
  darajaTimestamp,
  asDigits,
  readJsonObject,
  sendJson,
  shuffle,
} from './protocol.js';
import type { MpesaSandboxState } from './state.js';
import { deliver, track } from './callbacks.js';
import { requireBearer } from './oauth.js';
import { checkMerchantFormat, checkPassword, newCheckoutRequestId, resolveOutcome } from './stkChecks.js';

export async function processRequest(
  state: MpesaSandboxState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  requireBearer(state, req);
  const body = await readJsonObject(req);
  const timestamp = checkMerchantFormat(state, body);
  if (body.TransactionType !== 'CustomerPayBillOnline') throw badRequest('TransactionType');
  const amountText = asDigits(body.Amount);
  const amount = amountText === undefined ? NaN : Number(amountText);
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > 250000) throw badRequest('Amount');
  // PhoneNumber first: clients send the same number in both, and live traffic reports "Invalid PhoneNumber".
  const phone = asDigits(body.PhoneNumber);
  if (phone === undefined || !PHONE.test(phone)) throw badRequest('PhoneNumber');
  const partyA = asDigits(body.PartyA);
  if (partyA === undefined || !PHONE.test(partyA)) throw badRequest('PartyA');
  if (asDigits(body.PartyB) !== state.shortcode) throw badRequest('PartyB');
  const callbackUrl = typeof body.CallBackURL === 'string' ? body.CallBackURL : '';
  if (!/^https?:\/\/[^\s/?#]+/i.test(callbackUrl) || !URL.canParse(callbackUrl)) throw badRequest('CallBackURL');
  const accountReference = body.AccountReference;
  if (typeof accountReference !== 'string' || accountReference.length < 1 || accountReference.length > 12) {
    throw badRequest('AccountReference');
  }
  const transactionDesc = body.TransactionDesc;
  if (typeof transactionDesc !== 'string' || transactionDesc.length < 1 || transactionDesc.length > 13) {
    throw badRequest('TransactionDesc');
  }
  checkPassword(state, body, timestamp);

  const scripted = resolveOutcome(state, phone, amount);
  if (scripted.kind === 'reject') throw new ApiError(scripted.status, scripted.errorCode, scripted.errorMessage);

  for (const tx of state.transactions.values()) {
    if (tx.state === 'pending' && tx.phone === phone) {
      throw new ApiError(
        500,
        '500.001.1001',
        'Unable to lock subscriber, a transaction is already in process for the current subscriber',
      );
    }
  }

  const nowMs = state.now().getTime();
  const recentSameCharge = state.ledgerEntries.some(
    (entry) =>
      entry.phone === phone &&
      entry.amount === amount &&
      nowMs - Date.parse(entry.completedAt) < state.duplicateWindowMs,
  );
  const resultCode = recentSameCharge ? 17 : scripted.resultCode;
  const outcome: ResolvedOutcome = {
    resultCode,
    resultDesc: recentSameCharge
      ? (RESULT_DESCRIPTIONS[17] as string)
      : (scripted.resultDesc ?? RESULT_DESCRIPTIONS[resultCode] ?? 'The transaction failed.'),
    callback: scripted.callback ?? true,
    balance: scripted.balance,
    delayMs: scripted.delayMs ?? state.callbackDelayMs,
    callbackLateMs: scripted.callbackLateMs ?? 0,
  };

  const tx: Transaction = {
    checkoutRequestId: newCheckoutRequestId(state, phone),
    merchantRequestId: newRequestId(),
    phone,
    amount,
    accountReference,
    transactionDesc,
    callbackUrl,
    outcome,
    state: 'pending',
  };
  state.transactions.set(tx.checkoutRequestId, tx);
  tx.timer = setTimeout(() => decide(state, tx), outcome.delayMs);

  sendJson(res, 200, {
    MerchantRequestID: tx.merchantRequestId,
    CheckoutRequestID: tx.checkoutRequestId,
    ResponseCode: '0',
    ResponseDescription: 'Success. Request accepted for processing',
    CustomerMessage: 'Success. Request accepted for processing',
  });
}

/** Ends a prompt exactly once: charges (success only), then sends the callback if the outcome says so. */
export function decide(state: MpesaSandboxState, tx: Transaction): void {
  if (tx.state !== 'pending') return;
  tx.state = 'decided';
  if (tx.timer) clearTimeout(tx.timer);
  tx.timer = undefined;
  const completedAt = state.now();
  const { outcome } = tx;
  const stkCallback: StkCallbackEnvelope['Body']['stkCallback'] = {
    MerchantRequestID: tx.merchantRequestId,
    CheckoutRequestID: tx.checkoutRequestId,
    ResultCode: outcome.resultCode,
    ResultDesc: outcome.resultDesc,
  };
  if (outcome.resultCode === 0) {
    const receipt = newReceipt(state);
    state.ledgerEntries.push({
      checkoutRequestId: tx.checkoutRequestId,
      merchantRequestId: tx.merchantRequestId,
      phone: tx.phone,
      amount: tx.amount,
      accountReference: tx.accountReference,
      transactionDesc: tx.transactionDesc,
      receipt,
      completedAt: completedAt.toISOString(),
    });
    const items: StkCallbackItem[] = [
      { Name: 'Amount', Value: tx.amount },
      { Name: 'MpesaReceiptNumber', Value: receipt },
      { Name: 'TransactionDate', Value: Number(darajaTimestamp(completedAt)) },
      { Name: 'PhoneNumber', Value: Number(tx.phone) },
    ];
    if (outcome.balance ?? state.random() < 0.5) items.push({ Name: 'Balance' });
    stkCallback.CallbackMetadata = { Item: shuffle(items, state.random) };
  }
  if (outcome.callback && !state.closed) track(state, deliver(state, tx, { Body: { stkCallback } }));
}

export function newReceipt(state: MpesaSandboxState): string {
  const taken = new Set(state.ledgerEntries.map((entry) => entry.receipt));
  for (;;) {
    const receipt = randomString(UPPER, 1) + randomString(UPPER_ALNUM, 9);
    if (!taken.has(receipt)) return receipt;
  }
}
