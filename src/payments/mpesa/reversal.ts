// Daraja's asynchronous Transaction Reversal and Transaction Status APIs, as the refund activities use them. Both
// answer at once only that the request was accepted (OriginatorConversationID, ConversationID); the result comes
// later to ResultURL, or to QueueTimeOutURL when the request expired in Daraja's queue. The refund's id is in those
// URLs' paths, and the result's ConversationID must be the one recorded (src/payments/webhooks/recordMpesaRefundResult.ts).
// The Initiator's SecurityCredential is a secret: never logged or put in messages.
import type { Money } from '../../domain/money.js';

export interface ReversalSettings {
  /** The API operator's user name on the M-Pesa org portal (MPESA_INITIATOR_NAME). */
  initiator: string;
  /** The initiator's password encrypted with Safaricom's certificate, base64 (MPESA_SECURITY_CREDENTIAL). */
  securityCredential: string;
  /** The shortcode B2C payments (partial refunds) are paid from (MPESA_B2C_SHORTCODE); default the paybill. */
  b2cShortCode?: string;
}

/** A partial refund: money sent to the phone that paid (B2C), keyed by the refund's id. */
export interface B2cRefundRequest {
  refundId: string;
  /** 2547XXXXXXXX / 2541XXXXXXXX. */
  phone: string;
  amount: Money;
  remarks: string;
}

export interface ReversalRequest {
  /** The payment's M-Pesa receipt number (TransactionID). */
  receiptNumber: string;
  amount: Money;
  refundId: string;
  remarks: string;
}

/** Where Daraja sends a refund's results: `<callbackUrl>/refunds/<refundId>/<route>`. */
export type RefundResultRoute =
  'reversal-result' | 'reversal-timeout' | 'b2c-result' | 'b2c-timeout' | 'status-result' | 'status-timeout';

export const refundResultUrl = (callbackUrl: string, refundId: string, route: RefundResultRoute) =>
  `${callbackUrl}/refunds/${refundId}/${route}`;

export function reversalBody(
  settings: ReversalSettings,
  shortcode: string,
  callbackUrl: string,
  request: ReversalRequest,
) {
  return {
    Initiator: settings.initiator,
    SecurityCredential: settings.securityCredential,
    CommandID: 'TransactionReversal',
    TransactionID: request.receiptNumber,
    Amount: request.amount.amount / 100,
    ReceiverParty: shortcode,
    RecieverIdentifierType: '11',
    ResultURL: refundResultUrl(callbackUrl, request.refundId, 'reversal-result'),
    QueueTimeOutURL: refundResultUrl(callbackUrl, request.refundId, 'reversal-timeout'),
    Remarks: request.remarks.slice(0, 100),
    Occasion: request.refundId.slice(0, 100),
  };
}

/**
 * B2C v3 (`/mpesa/b2c/v3/paymentrequest`): the refund's id is the OriginatorConversationID, so a request sent again
 * names the same payment, and its Result comes to the refund's own route.
 */
export function b2cBody(settings: ReversalSettings, paybill: string, callbackUrl: string, request: B2cRefundRequest) {
  return {
    OriginatorConversationID: request.refundId,
    InitiatorName: settings.initiator,
    SecurityCredential: settings.securityCredential,
    CommandID: 'BusinessPayment',
    Amount: request.amount.amount / 100,
    PartyA: settings.b2cShortCode ?? paybill,
    PartyB: request.phone,
    Remarks: request.remarks.slice(0, 100),
    QueueTimeOutURL: refundResultUrl(callbackUrl, request.refundId, 'b2c-timeout'),
    ResultURL: refundResultUrl(callbackUrl, request.refundId, 'b2c-result'),
    Occassion: request.refundId.slice(0, 100),
  };
}

/** Transaction Status of the reversal (by its OriginatorConversationID when known) or of the original receipt. */
export function statusQueryBody(
  settings: ReversalSettings,
  shortcode: string,
  callbackUrl: string,
  query: { refundId: string; receiptNumber: string | null; reversal: string | null },
) {
  return {
    Initiator: settings.initiator,
    SecurityCredential: settings.securityCredential,
    CommandID: 'TransactionStatusQuery',
    ...(query.receiptNumber ? { TransactionID: query.receiptNumber } : {}),
    ...(query.reversal ? { OriginalConversationID: query.reversal } : {}),
    PartyA: shortcode,
    IdentifierType: '4',
    ResultURL: refundResultUrl(callbackUrl, query.refundId, 'status-result'),
    QueueTimeOutURL: refundResultUrl(callbackUrl, query.refundId, 'status-timeout'),
    Remarks: 'Refund status',
    Occasion: query.refundId.slice(0, 100),
  };
}

/** A Result callback (reversal or status), the parts we read. */
export interface MpesaResult {
  /** "0" is success; reversal failures are codes like "R000002" (a number in some answers, a string in others). */
  resultCode: string;
  resultDesc: string;
  originatorConversationId: string;
  conversationId: string;
  transactionId: string | null;
  parameters: Record<string, string | number>;
}

export function parseMpesaResult(body: unknown): MpesaResult | null {
  if (!isRecord(body) || !isRecord(body.Result)) return null;
  const r = body.Result;
  const code = typeof r.ResultCode === 'number' ? String(r.ResultCode) : r.ResultCode;
  if (typeof code !== 'string' || !/^[A-Z]?\d+$/.test(code)) return null;
  if (typeof r.ConversationID !== 'string' || typeof r.OriginatorConversationID !== 'string') return null;
  const parameters: Record<string, string | number> = {};
  const list = isRecord(r.ResultParameters) ? r.ResultParameters.ResultParameter : undefined;
  for (const item of Array.isArray(list) ? list : list ? [list] : []) {
    if (
      isRecord(item) &&
      typeof item.Key === 'string' &&
      (typeof item.Value === 'string' || typeof item.Value === 'number')
    ) {
      parameters[item.Key] = item.Value;
    }
  }
  return {
    resultCode: String(Number.isNaN(Number(code)) ? code : Number(code)),
    resultDesc: typeof r.ResultDesc === 'string' ? r.ResultDesc : '',
    originatorConversationId: r.OriginatorConversationID,
    conversationId: r.ConversationID,
    transactionId: typeof r.TransactionID === 'string' && r.TransactionID ? r.TransactionID : null,
    parameters,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
