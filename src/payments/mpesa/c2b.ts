// Reads what M-Pesa POSTs to the paybill's validation and confirmation URLs (C2B, Register URL v2): a payment a
// customer made from their phone, naming an account. Unsigned, like every Daraja callback: the path secret is what
// tells it came from the URL we registered. Amounts arrive as decimal strings of shillings ("1500.00").

const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

export interface PaybillUrls {
  confirmationUrl: string;
  validationUrl: string;
  /** What M-Pesa does when the validation URL does not answer in time: complete the payment, or cancel it. */
  responseType: 'Completed' | 'Cancelled';
}

/**
 * Our two URLs under the public address, with the callback secret in the path. Not under /webhooks/mpesa: Register
 * URL refuses URLs containing "mpesa", "safaricom" and a few other words.
 */
export function paybillUrls(publicUrl: string, callbackSecret: string, responseType: PaybillUrls['responseType']) {
  const base = `${publicUrl.replace(/\/+$/, '')}/webhooks/paybill/${encodeURIComponent(callbackSecret)}`;
  return { confirmationUrl: `${base}/confirmation`, validationUrl: `${base}/validation`, responseType };
}

export interface C2bPayment {
  transactionType: string;
  /** The M-Pesa receipt, e.g. RKTQDM7W6S. */
  transId: string;
  paidAt: Date;
  /** Minor units of KES (cents): "1500.00" is 150000. */
  amount: number;
  shortCode: string;
  /** The account as the customer typed it; may be empty (Buy Goods has none). */
  billRefNumber: string;
  /** Masked by M-Pesa (2547*****126) since Register URL v2. */
  msisdn: string;
  payerName: string;
}

/** Daraja's result codes for refusing a payment at validation (any other answer than "0" cancels it). */
export const C2B_REFUSALS = {
  INVALID_MSISDN: 'C2B00011',
  INVALID_ACCOUNT: 'C2B00012',
  INVALID_AMOUNT: 'C2B00013',
  INVALID_KYC: 'C2B00014',
  INVALID_SHORTCODE: 'C2B00015',
  OTHER: 'C2B00016',
} as const;

export type C2bRefusal = (typeof C2B_REFUSALS)[keyof typeof C2B_REFUSALS];

export type ParsedC2b = { ok: true; payment: C2bPayment } | { ok: false; field: string; rule: string };

function text(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? value.trim() : undefined;
}

/** "1500", "1500.5" or "1500.00" shillings to cents, exactly (no floating point); null for anything else. */
export function shillingsToCents(value: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** YYYYMMDDHHmmss in East Africa Time, checked to be a real instant. */
export function parseTransTime(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(local);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(local - EAT_OFFSET_MS);
}

/** The payment, or the first field that is not what Daraja documents, named with its rule. Never throws. */
export function parseC2bPayment(raw: string): ParsedC2b {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, field: 'body', rule: 'must be a JSON object' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, field: 'body', rule: 'must be a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  const transId = text(fields, 'TransID');
  if (!transId || !/^[A-Z0-9]{6,20}$/.test(transId)) {
    return { ok: false, field: 'TransID', rule: 'must be an M-Pesa receipt (6 to 20 capital letters and digits)' };
  }
  const amount = shillingsToCents(text(fields, 'TransAmount') ?? '');
  if (amount === null || amount <= 0) {
    return { ok: false, field: 'TransAmount', rule: 'must be a positive amount of shillings, e.g. "1500.00"' };
  }
  const paidAt = parseTransTime(text(fields, 'TransTime') ?? '');
  if (!paidAt) return { ok: false, field: 'TransTime', rule: 'must be YYYYMMDDHHmmss (East Africa Time)' };
  const shortCode = text(fields, 'BusinessShortCode');
  if (!shortCode || !/^\d{5,7}$/.test(shortCode)) {
    return { ok: false, field: 'BusinessShortCode', rule: 'must be a paybill or till number' };
  }
  const billRefNumber = text(fields, 'BillRefNumber') ?? '';
  if (billRefNumber.length > 100) return { ok: false, field: 'BillRefNumber', rule: 'must be at most 100 characters' };
  const names = ['FirstName', 'MiddleName', 'LastName'].map((name) => text(fields, name) ?? '').filter(Boolean);
  return {
    ok: true,
    payment: {
      transactionType: text(fields, 'TransactionType') || 'Pay Bill',
      transId,
      paidAt,
      amount,
      shortCode,
      billRefNumber,
      msisdn: (text(fields, 'MSISDN') ?? '').slice(0, 64),
      payerName: names.join(' ').slice(0, 200),
    },
  };
}
