// Daraja's wire protocol as the sandbox speaks it: outcomes and result codes, error bodies, timestamps and passwords,
// reading and answering requests. No state: state.ts holds what the sandbox keeps.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';

// ---------------------------------------------------------------------------------------------------------------
// Public types

/** What happens to a push. */
export type ScriptedOutcome =
  | {
      /** The push is accepted; after the delay the transaction ends with this ResultCode (0 = charged). */
      kind: 'result';
      resultCode: number;
      /** Defaults to the usual description for the code. */
      resultDesc?: string;
      /** false: the callback is never sent (STK Query still answers). Default true. */
      callback?: boolean;
      /** Success only: include `{"Name":"Balance"}` (true), leave it out (false), or decide at random (unset). */
      balance?: boolean;
      /** Overrides callbackDelayMs for this push. */
      delayMs?: number;
      /**
       * The callback leaves this long after the outcome is decided (STK Query already answers it meanwhile): Daraja's
       * callbacks can arrive late. Default 0.
       */
      callbackLateMs?: number;
    }
  | {
      /** processrequest answers this error at once; nothing is created. */
      kind: 'reject';
      status: number;
      errorCode: string;
      errorMessage: string;
    };

/** Which pushes a script() rule applies to: a phone ('2547XXXXXXXX'), or a phone and/or an exact amount. */
export type OutcomeRule = string | { phone?: string; amount?: number };

export interface LedgerEntry {
  /** How the money came: an STK prompt (Pay Bill Online; the default) or a paybill payment (C2B, no prompt ids). */
  kind?: 'stk' | 'c2b';
  checkoutRequestId: string;
  merchantRequestId: string;
  phone: string;
  amount: number;
  accountReference: string;
  transactionDesc: string;
  receipt: string;
  /** ISO 8601, from the sandbox clock. */
  completedAt: string;
}

export interface CallbackDelivery {
  checkoutRequestId: string;
  url: string;
  attempt: number;
  /** HTTP status of the receiver's answer, or undefined when the request failed (see error). */
  status?: number;
  error?: string;
  body: StkCallbackEnvelope;
}

export interface StkCallbackItem {
  Name: string;
  Value?: number | string;
}

export interface StkCallbackEnvelope {
  Body: {
    stkCallback: {
      MerchantRequestID: string;
      CheckoutRequestID: string;
      ResultCode: number;
      ResultDesc: string;
      CallbackMetadata?: { Item: StkCallbackItem[] };
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Documented codes and texts

export const RESULT_DESCRIPTIONS: Readonly<Record<number, string>> = {
  0: 'The service request is processed successfully.',
  1: 'The balance is insufficient for the transaction.',
  17: 'Rule limited.',
  1019: 'Transaction has expired',
  1032: 'Request cancelled by user',
  1037: 'DS timeout user cannot be reached',
  2001: 'The initiator information is invalid.',
  8006: 'The security credential is locked',
};

/** The built-in scripted outcomes, by PhoneNumber (see the table at the top of this file). */
export const BUILT_IN_OUTCOMES: Readonly<Record<string, ScriptedOutcome>> = {
  '254700000032': { kind: 'result', resultCode: 1032 },
  '254700000037': { kind: 'result', resultCode: 1037 },
  '254700002001': { kind: 'result', resultCode: 2001 },
  '254700000001': { kind: 'result', resultCode: 1 },
  '254700000019': { kind: 'result', resultCode: 1019 },
  '254700008006': { kind: 'result', resultCode: 8006 },
  '254700000404': { kind: 'result', resultCode: 0, callback: false },
  '254700000500': { kind: 'reject', status: 500, errorCode: '500.001.1001', errorMessage: 'Internal Server Error' },
};

export const MAX_BODY_BYTES = 1024 * 1024;
export const PHONE = /^254(7|1)\d{8}$/;
export const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
export const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Internals

export interface ResolvedOutcome {
  resultCode: number;
  resultDesc: string;
  callback: boolean;
  balance: boolean | undefined;
  delayMs: number;
  callbackLateMs: number;
}

export interface Transaction {
  checkoutRequestId: string;
  merchantRequestId: string;
  phone: string;
  amount: number;
  accountReference: string;
  transactionDesc: string;
  callbackUrl: string;
  outcome: ResolvedOutcome;
  state: 'pending' | 'decided';
  timer?: NodeJS.Timeout;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorMessage: string,
    readonly requestId?: string,
  ) {
    super(`${errorCode} ${errorMessage}`);
  }
}

export const badRequest = (field: string) => new ApiError(400, '400.002.02', `Bad Request - Invalid ${field}`);

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** Daraja-style request id, e.g. "1c5b-4ba8-815c-ac45c57a3db01495926". */
export function newRequestId(): string {
  return `${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}${digits(7)}`;
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The wall-clock fields of `date` in East Africa Time (UTC+3, no daylight saving). */
export function eatParts(date: Date) {
  const d = new Date(date.getTime() + EAT_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    yyyy: pad(d.getUTCFullYear(), 4),
    MM: pad(d.getUTCMonth() + 1),
    dd: pad(d.getUTCDate()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
    SSS: pad(d.getUTCMilliseconds(), 3),
  };
}

/** YYYYMMDDHHmmss in East Africa Time, the format of Timestamp and TransactionDate. */
export function darajaTimestamp(date: Date): string {
  const p = eatParts(date);
  return `${p.yyyy}${p.MM}${p.dd}${p.HH}${p.mm}${p.ss}`;
}

/** base64(Shortcode + Passkey + Timestamp), the Password of STK Push and STK Query. */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString('base64');
}

export function isCalendarTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

/** Constant-time string comparison (through digests, so lengths may differ). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** Numbers and strings of digits are both accepted where Daraja's examples send either. */
export function asDigits(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
  return undefined;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(400, '400.002.05', 'Invalid Request Payload'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, '400.002.05', 'Invalid Request Payload');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError(400, '400.002.05', 'Invalid Request Payload');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, {
    requestId: error.requestId ?? newRequestId(),
    errorCode: error.errorCode,
    errorMessage: error.errorMessage,
  });
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The sandbox
