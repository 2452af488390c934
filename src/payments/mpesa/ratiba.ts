// Daraja's M-Pesa Ratiba (standing orders), as its documentation and samples have it: the request that puts a
// recurring payment to our paybill on a customer's phone, and the result callback once the customer answered.
// Daraja writes that callback's keys in either casing (`responseHeader`/`ResponseHeader`, `name`/`Name`): both are
// read. Pure: MpesaProvider sends the request, src/payments/ratiba/ records the result.

export interface StandingOrderRequest {
  /** Ours, shown to the customer in the M-Pesa app (Daraja allows short names). */
  name: string;
  /** 2547XXXXXXXX */
  phone: string;
  /** Whole shillings. */
  shillings: number;
  /** Daraja's Frequency code (src/domain/standingOrders.ts). */
  frequency: number;
  /** First and last collection days, UTC calendar dates. */
  startDate: Date;
  endDate: Date;
  /** What each collection names as its account: the customer's account number, so collections match like paybill payments. */
  accountReference: string;
  description: string;
  callbackUrl: string;
}

const yyyymmdd = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, '');

export function standingOrderBody(shortcode: string, request: StandingOrderRequest): Record<string, string> {
  return {
    StandingOrderName: request.name.slice(0, 60),
    StartDate: yyyymmdd(request.startDate),
    EndDate: yyyymmdd(request.endDate),
    BusinessShortCode: shortcode,
    TransactionType: 'Standing Order Customer Pay Bill',
    ReceiverPartyIdentifierType: '4',
    Amount: String(request.shillings),
    PartyA: request.phone,
    CallBackURL: request.callbackUrl,
    AccountReference: request.accountReference.slice(0, 12),
    TransactionDesc: request.description.slice(0, 100),
    Frequency: String(request.frequency),
  };
}

/** What the create request's synchronous answer says: accepted with its reference, or refused. */
export function acceptedStandingOrder(status: number, body: unknown): { refId: string } | null {
  const header = recordAt(body, 'ResponseHeader', 'responseHeader');
  const refId = header ? textAt(header, 'responseRefID') : null;
  const code = header ? textAt(header, 'responseCode') : null;
  return status === 200 && refId && (code === '200' || code === '0') ? { refId } : null;
}

export interface StandingOrderResult {
  /** The create answer's responseRefID: which order this is about. */
  refId: string;
  /** "0" approved; anything else declined or failed (e.g. 1037: the phone could not be reached). */
  responseCode: string;
  description: string;
  transactionId: string | null;
  status: string | null;
}

/** The result callback, or null when the body is not one. */
export function parseStandingOrderResult(body: unknown): StandingOrderResult | null {
  const header = recordAt(body, 'ResponseHeader', 'responseHeader');
  const responseBody = recordAt(body, 'ResponseBody', 'responseBody');
  if (!header || !responseBody) return null;
  const refId = textAt(header, 'responseRefID');
  const headerCode = textAt(header, 'responseCode');
  if (!refId || headerCode === null) return null;
  const data = responseBody.ResponseData ?? responseBody.responseData;
  const items = new Map<string, string>();
  if (Array.isArray(data)) {
    for (const item of data) {
      if (typeof item !== 'object' || item === null) continue;
      const entry = item as Record<string, unknown>;
      const name = entry.Name ?? entry.name;
      const value = entry.Value ?? entry.value;
      if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number')) {
        items.set(name, String(value));
      }
    }
  }
  return {
    refId,
    responseCode: items.get('responseCode') ?? headerCode,
    description: textAt(header, 'responseDescription') ?? '',
    transactionId: items.get('TransactionID') ?? null,
    status: items.get('Status') ?? null,
  };
}

function recordAt(value: unknown, ...keys: string[]): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const key of keys) {
    const found = (value as Record<string, unknown>)[key];
    if (typeof found === 'object' && found !== null && !Array.isArray(found)) return found as Record<string, unknown>;
  }
  return null;
}

function textAt(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}
