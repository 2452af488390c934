// Reads the STK Push result callback Daraja POSTs to CallBackURL. Callbacks are not signed and may never arrive:
// a parsed callback is a hint to be confirmed with STK Query (MpesaProvider.status) before granting value, matching
// CheckoutRequestID, amount and phone. Only codes are read, never description texts.

export interface StkCallback {
  checkoutRequestId: string;
  merchantRequestId: string;
  /** A NUMBER in callbacks (a string in STK Query answers). 0 = paid. */
  resultCode: number;
  resultDesc: string;
  /** Whole KES. */
  amount?: number;
  receipt?: string;
  /** 2547XXXXXXXX / 2541XXXXXXXX as digits. */
  phone?: string;
  /** YYYYMMDDHHmmss, East Africa Time. */
  transactionDate?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function digits(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return undefined;
}

/** The callback's fields, or null for anything malformed. Never throws. */
export function parseStkCallback(body: unknown): StkCallback | null {
  try {
    if (!isRecord(body) || !isRecord(body.Body) || !isRecord(body.Body.stkCallback)) return null;
    const cb = body.Body.stkCallback;
    const checkoutRequestId = nonEmptyString(cb.CheckoutRequestID);
    const merchantRequestId = nonEmptyString(cb.MerchantRequestID);
    const resultCode = cb.ResultCode;
    if (!checkoutRequestId || !merchantRequestId) return null;
    if (typeof resultCode !== 'number' || !Number.isSafeInteger(resultCode)) return null;
    if (typeof cb.ResultDesc !== 'string') return null;
    const parsed: StkCallback = { checkoutRequestId, merchantRequestId, resultCode, resultDesc: cb.ResultDesc };
    if (cb.CallbackMetadata === undefined) return parsed;
    if (!isRecord(cb.CallbackMetadata) || !Array.isArray(cb.CallbackMetadata.Item)) return null;
    // Items come in any order; Balance may come without a Value; unknown items are ignored.
    for (const item of cb.CallbackMetadata.Item as unknown[]) {
      if (!isRecord(item) || typeof item.Name !== 'string') return null;
      const value = item.Value;
      switch (item.Name) {
        case 'Amount': {
          const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
          if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
          parsed.amount = amount;
          break;
        }
        case 'MpesaReceiptNumber': {
          const receipt = nonEmptyString(value);
          if (!receipt) return null;
          parsed.receipt = receipt;
          break;
        }
        case 'PhoneNumber': {
          const phone = digits(value);
          if (!phone) return null;
          parsed.phone = phone;
          break;
        }
        case 'TransactionDate': {
          const date = digits(value);
          if (!date) return null;
          parsed.transactionDate = date;
          break;
        }
        default:
          break;
      }
    }
    return parsed;
  } catch {
    return null;
  }
}
