/**
 * A local stand-in for Safaricom's M-Pesa Daraja API (OAuth, M-Pesa Express / STK Push, STK Push Query).
 *
 * It is an independent reading of the provider's documented wire protocol (see /work/shared/psp-samples and
 * README.md next to this file): it imports nothing from the application under `src/`, and uses node built-ins only.
 *
 * Endpoints (paths as on https://sandbox.safaricom.co.ke):
 *   GET  /oauth/v1/generate?grant_type=client_credentials   Basic key:secret -> {access_token, expires_in: "3599"}
 *   POST /mpesa/stkpush/v1/processrequest                     Bearer; acknowledged at once, result by callback
 *   POST /mpesa/stkpushquery/v1/query                         Bearer; ResultCode as a STRING once decided
 *   GET  /__sandbox/ledger          every charge that completed successfully (at most one per CheckoutRequestID)
 *   GET  /__sandbox/callbacks       every callback delivery attempt
 *   POST /__sandbox/reset           forget tokens, transactions, ledger, deliveries and scripted outcomes
 *   POST /__sandbox/expire-tokens   every token issued so far is expired (as if its 3599 s had passed)
 *   POST /__sandbox/script          {phone?, amount?, outcome|null}: same as script() for out-of-process tests
 *   POST /__sandbox/deliver         same as deliverPendingCallbacks()
 *
 * Scripted outcomes, chosen by the PhoneNumber of the push (a rule set with script() wins over this table;
 * script() rules may match a phone, an amount, or both):
 *
 *   PhoneNumber    outcome
 *   -------------  -----------------------------------------------------------------------------------------
 *   (any other)    success: ResultCode 0, CallbackMetadata {Amount, MpesaReceiptNumber, TransactionDate,
 *                  PhoneNumber[, Balance without Value]} in shuffled order; one ledger entry
 *   254700000032   ResultCode 1032  "Request cancelled by user"
 *   254700000037   ResultCode 1037  "DS timeout user cannot be reached"
 *   254700002001   ResultCode 2001  "The initiator information is invalid." (wrong PIN)
 *   254700000001   ResultCode 1     "The balance is insufficient for the transaction."
 *   254700000019   ResultCode 1019  "Transaction has expired"
 *   254700008006   ResultCode 8006  "The security credential is locked" (PIN locked)
 *   254700000404   success and charged, but the callback is never sent (STK Query still answers ResultCode "0")
 *   254700000500   processrequest answers HTTP 500 {errorCode "500.001.1001", errorMessage "Internal Server Error"}
 *
 * Rules that apply whatever the script says:
 *   - a push to a phone that has an unfinished prompt answers HTTP 500 / 500.001.1001 "Unable to lock subscriber...";
 *   - a push with the same PhoneNumber and Amount as a charge completed less than 2 minutes earlier is accepted
 *     but ends with ResultCode 17 "Rule limited." and charges nothing (the window is duplicateWindowSeconds);
 *   - a CheckoutRequestID is decided exactly once: it is charged at most once, however many times its callback is
 *     retried or deliverPendingCallbacks() is called.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { clearTimeout, setTimeout } from 'node:timers';

// ---------------------------------------------------------------------------------------------------------------
// Public types

export interface MpesaSandboxOptions {
  consumerKey: string;
  consumerSecret: string;
  passkey: string;
  /** The paybill the sandbox accepts as BusinessShortCode and PartyB. Default '174379' (Daraja's test paybill). */
  shortcode?: string;
  /** Lifetime of an access token, also sent (as a string) in `expires_in`. Default 3599. */
  tokenTtlSeconds?: number;
  /** How long the customer "takes" to answer the prompt: the outcome is decided (and the callback sent) after it. */
  callbackDelayMs?: number;
  /** Waits between callback delivery attempts; one retry per entry. Default [500, 2000, 5000]. */
  callbackRetryDelaysMs?: number[];
  /** Per-attempt timeout of a callback delivery. Default 5000. */
  callbackTimeoutMs?: number;
  /**
   * Daraja's duplicate rule: a push with the PhoneNumber and Amount of a charge completed less than this many seconds
   * earlier ends with ResultCode 17. Default 120 (Daraja's 2 minutes); 0 turns the rule off. Plans billed every
   * minute need it below a minute, or every renewal after the first is refused.
   */
  duplicateWindowSeconds?: number;
  /** Clock for token expiry, timestamps, receipts and the duplicate rule. Default: the wall clock. */
  now?: () => Date;
  /** Random source in [0, 1) for the order of callback items and the optional Balance item. Default Math.random. */
  random?: () => number;
}

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

export interface MpesaSandbox {
  server: Server;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
  ledger(): LedgerEntry[];
  /** Sets (or with null removes) the outcome for pushes matching the rule. The latest matching rule wins. */
  script(rule: OutcomeRule, outcome: ScriptedOutcome | null): void;
  /** Decides every open prompt now and waits until every callback delivery (retries included) has finished. */
  deliverPendingCallbacks(): Promise<void>;
  /** Every callback delivery attempt so far. */
  deliveries(): CallbackDelivery[];
  /** Forgets tokens, transactions, ledger, deliveries and scripted outcomes (what POST /__sandbox/reset does). */
  reset(): void;
  /** Expires every token issued so far, as if its lifetime had passed (what POST /__sandbox/expire-tokens does). */
  expireTokens(): void;
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

const MAX_BODY_BYTES = 1024 * 1024;
const PHONE = /^254(7|1)\d{8}$/;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Internals

interface ResolvedOutcome {
  resultCode: number;
  resultDesc: string;
  callback: boolean;
  balance: boolean | undefined;
  delayMs: number;
  callbackLateMs: number;
}

interface Transaction {
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

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorMessage: string,
    readonly requestId?: string,
  ) {
    super(`${errorCode} ${errorMessage}`);
  }
}

const badRequest = (field: string) => new ApiError(400, '400.002.02', `Bad Request - Invalid ${field}`);

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** Daraja-style request id, e.g. "1c5b-4ba8-815c-ac45c57a3db01495926". */
function newRequestId(): string {
  return `${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}${digits(7)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The wall-clock fields of `date` in East Africa Time (UTC+3, no daylight saving). */
function eatParts(date: Date) {
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

function isCalendarTimestamp(value: string): boolean {
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
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** Numbers and strings of digits are both accepted where Daraja's examples send either. */
function asDigits(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
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

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, {
    requestId: error.requestId ?? newRequestId(),
    errorCode: error.errorCode,
    errorMessage: error.errorMessage,
  });
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The sandbox

export function createMpesaSandbox(options: MpesaSandboxOptions): MpesaSandbox {
  const shortcode = options.shortcode ?? '174379';
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3599;
  const duplicateWindowMs = (options.duplicateWindowSeconds ?? 120) * 1000;
  const callbackDelayMs = options.callbackDelayMs ?? 300;
  const retryDelays = options.callbackRetryDelaysMs ?? [500, 2000, 5000];
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  /** Every live token and when it expires. Daraja documents a lifetime, nothing else: a new token ends no other. */
  const tokens = new Map<string, number>();
  const transactions = new Map<string, Transaction>();
  let ledgerEntries: LedgerEntry[] = [];
  let deliveryLog: CallbackDelivery[] = [];
  let scripts: { rule: { phone?: string; amount?: number }; outcome: ScriptedOutcome }[] = [];
  const inFlight = new Set<Promise<void>>();
  const sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  /** The waits of late callbacks (callbackLateMs), which deliverPendingCallbacks() ends at once. */
  const lateStarts = new Set<() => void>();
  const outgoing = new Set<{ destroy: () => void }>();
  let closed = false;
  /** Bumped by reset(), so that deliveries begun before a reset stop retrying. */
  let generation = 0;

  // ----- OAuth

  function generateToken(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (url.searchParams.get('grant_type') !== 'client_credentials') {
      throw new ApiError(400, '400.008.02', 'Invalid grant type passed', '');
    }
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const key = colon >= 0 ? decoded.slice(0, colon) : '';
    const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
    const keyOk = sameSecret(key, options.consumerKey);
    const secretOk = sameSecret(secret, options.consumerSecret);
    if (colon < 0 || !keyOk || !secretOk) {
      throw new ApiError(400, '400.008.01', 'Invalid Authentication passed', '');
    }
    // Each token stays valid for its whole lifetime, whoever asks for another meanwhile (several workers each hold
    // one). Expired ones are dropped here so the map stays small.
    const nowMs = now().getTime();
    for (const [value, expiresAt] of tokens) if (nowMs >= expiresAt) tokens.delete(value);
    const value = randomString(ALNUM, 28);
    tokens.set(value, nowMs + tokenTtlSeconds * 1000);
    sendJson(res, 200, { access_token: value, expires_in: String(tokenTtlSeconds) });
  }

  function requireBearer(req: IncomingMessage): void {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new ApiError(404, '404.001.04', 'Invalid Authentication Header');
    const presented = match[1] as string;
    const expiresAt = tokens.get(presented);
    if (expiresAt === undefined || now().getTime() >= expiresAt) {
      throw new ApiError(404, '404.001.03', 'Invalid Access Token');
    }
  }

  // ----- Shared STK validation

  /** BusinessShortCode, Timestamp and Password formats, common to push and query; returns the Timestamp. */
  function checkMerchantFormat(body: Record<string, unknown>): string {
    const code = asDigits(body.BusinessShortCode);
    if (code === undefined || code !== shortcode) throw badRequest('BusinessShortCode');
    const timestamp = typeof body.Timestamp === 'string' ? body.Timestamp : asDigits(body.Timestamp);
    if (timestamp === undefined || !isCalendarTimestamp(timestamp)) throw badRequest('Timestamp');
    if (typeof body.Password !== 'string' || body.Password.length === 0) throw badRequest('Password');
    return timestamp;
  }

  /** Checked after every format rule: a well-formed request with the wrong Password is a 500 "Wrong credentials". */
  function checkPassword(body: Record<string, unknown>, timestamp: string): void {
    const expected = stkPassword(shortcode, options.passkey, timestamp);
    if (typeof body.Password !== 'string' || !sameSecret(body.Password, expected)) {
      throw new ApiError(500, '500.001.1001', 'Wrong credentials');
    }
  }

  function resolveOutcome(phone: string, amount: number): ScriptedOutcome {
    for (let i = scripts.length - 1; i >= 0; i--) {
      const { rule, outcome } = scripts[i]!;
      if (rule.phone !== undefined && rule.phone !== phone) continue;
      if (rule.amount !== undefined && rule.amount !== amount) continue;
      return outcome;
    }
    return BUILT_IN_OUTCOMES[phone] ?? { kind: 'result', resultCode: 0 };
  }

  function newCheckoutRequestId(phone: string): string {
    const p = eatParts(now());
    const base = `ws_CO_${p.dd}${p.MM}${p.yyyy}${p.HH}${p.mm}${p.ss}${p.SSS}${phone.slice(-9)}`;
    let id = base;
    for (let n = 1; transactions.has(id); n++) id = `${base}${n}`;
    return id;
  }

  // ----- STK Push

  async function processRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireBearer(req);
    const body = await readJsonObject(req);
    const timestamp = checkMerchantFormat(body);
    if (body.TransactionType !== 'CustomerPayBillOnline') throw badRequest('TransactionType');
    const amountText = asDigits(body.Amount);
    const amount = amountText === undefined ? NaN : Number(amountText);
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > 250000) throw badRequest('Amount');
    // PhoneNumber first: clients send the same number in both, and live traffic reports "Invalid PhoneNumber".
    const phone = asDigits(body.PhoneNumber);
    if (phone === undefined || !PHONE.test(phone)) throw badRequest('PhoneNumber');
    const partyA = asDigits(body.PartyA);
    if (partyA === undefined || !PHONE.test(partyA)) throw badRequest('PartyA');
    if (asDigits(body.PartyB) !== shortcode) throw badRequest('PartyB');
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
    checkPassword(body, timestamp);

    const scripted = resolveOutcome(phone, amount);
    if (scripted.kind === 'reject') throw new ApiError(scripted.status, scripted.errorCode, scripted.errorMessage);

    for (const tx of transactions.values()) {
      if (tx.state === 'pending' && tx.phone === phone) {
        throw new ApiError(
          500,
          '500.001.1001',
          'Unable to lock subscriber, a transaction is already in process for the current subscriber',
        );
      }
    }

    const nowMs = now().getTime();
    const recentSameCharge = ledgerEntries.some(
      (entry) =>
        entry.phone === phone && entry.amount === amount && nowMs - Date.parse(entry.completedAt) < duplicateWindowMs,
    );
    const resultCode = recentSameCharge ? 17 : scripted.resultCode;
    const outcome: ResolvedOutcome = {
      resultCode,
      resultDesc: recentSameCharge
        ? (RESULT_DESCRIPTIONS[17] as string)
        : (scripted.resultDesc ?? RESULT_DESCRIPTIONS[resultCode] ?? 'The transaction failed.'),
      callback: scripted.callback ?? true,
      balance: scripted.balance,
      delayMs: scripted.delayMs ?? callbackDelayMs,
      callbackLateMs: scripted.callbackLateMs ?? 0,
    };

    const tx: Transaction = {
      checkoutRequestId: newCheckoutRequestId(phone),
      merchantRequestId: newRequestId(),
      phone,
      amount,
      accountReference,
      transactionDesc,
      callbackUrl,
      outcome,
      state: 'pending',
    };
    transactions.set(tx.checkoutRequestId, tx);
    tx.timer = setTimeout(() => decide(tx), outcome.delayMs);

    sendJson(res, 200, {
      MerchantRequestID: tx.merchantRequestId,
      CheckoutRequestID: tx.checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    });
  }

  /** Ends a prompt exactly once: charges (success only), then sends the callback if the outcome says so. */
  function decide(tx: Transaction): void {
    if (tx.state !== 'pending') return;
    tx.state = 'decided';
    if (tx.timer) clearTimeout(tx.timer);
    tx.timer = undefined;
    const completedAt = now();
    const { outcome } = tx;
    const stkCallback: StkCallbackEnvelope['Body']['stkCallback'] = {
      MerchantRequestID: tx.merchantRequestId,
      CheckoutRequestID: tx.checkoutRequestId,
      ResultCode: outcome.resultCode,
      ResultDesc: outcome.resultDesc,
    };
    if (outcome.resultCode === 0) {
      const receipt = newReceipt();
      ledgerEntries.push({
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
      if (outcome.balance ?? random() < 0.5) items.push({ Name: 'Balance' });
      stkCallback.CallbackMetadata = { Item: shuffle(items, random) };
    }
    if (outcome.callback && !closed) track(deliver(tx, { Body: { stkCallback } }));
  }

  function newReceipt(): string {
    const taken = new Set(ledgerEntries.map((entry) => entry.receipt));
    for (;;) {
      const receipt = randomString(UPPER, 1) + randomString(UPPER_ALNUM, 9);
      if (!taken.has(receipt)) return receipt;
    }
  }

  // ----- STK Query

  async function query(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireBearer(req);
    const body = await readJsonObject(req);
    const timestamp = checkMerchantFormat(body);
    const id = body.CheckoutRequestID;
    if (typeof id !== 'string' || id.length === 0) throw badRequest('CheckoutRequestID');
    checkPassword(body, timestamp);
    const tx = transactions.get(id);
    if (!tx) throw badRequest('CheckoutRequestID');
    if (tx.state === 'pending') {
      throw new ApiError(500, '500.001.1001', 'The transaction is being processed', tx.checkoutRequestId);
    }
    sendJson(res, 200, {
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successsfully',
      MerchantRequestID: tx.merchantRequestId,
      CheckoutRequestID: tx.checkoutRequestId,
      ResultCode: String(tx.outcome.resultCode),
      ResultDesc: tx.outcome.resultDesc,
    });
  }

  // ----- Callback delivery

  function track(promise: Promise<void>): void {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  }

  /** A wait that close() and reset() end early; so do the owners of `wakers`, if given. */
  function sleep(ms: number, wakers?: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        sleeps.delete(entry);
        wakers?.delete(entry.wake);
        resolve();
      };
      const entry = {
        timer: setTimeout(done, ms),
        wake: () => {
          clearTimeout(entry.timer);
          done();
        },
      };
      sleeps.add(entry);
      wakers?.add(entry.wake);
    });
  }

  function post(url: string, payload: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers: OutgoingHttpHeaders = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      };
      const request = send(target, { method: 'POST', headers, timeout: callbackTimeoutMs }, (response) => {
        response.resume();
        response.on('end', () => {
          outgoing.delete(handle);
          resolve(response.statusCode ?? 0);
        });
        response.on('error', (error) => {
          outgoing.delete(handle);
          reject(error);
        });
      });
      const handle = { destroy: () => request.destroy(new Error('sandbox closed')) };
      outgoing.add(handle);
      request.on('timeout', () => request.destroy(new Error(`no answer within ${callbackTimeoutMs} ms`)));
      request.on('error', (error) => {
        outgoing.delete(handle);
        reject(error);
      });
      request.end(payload);
    });
  }

  async function deliver(tx: Transaction, body: StkCallbackEnvelope): Promise<void> {
    const started = generation;
    const payload = JSON.stringify(body);
    if (tx.outcome.callbackLateMs > 0) await sleep(tx.outcome.callbackLateMs, lateStarts);
    for (let attempt = 1; attempt <= retryDelays.length + 1; attempt++) {
      if (closed || generation !== started) return;
      const record: CallbackDelivery = { checkoutRequestId: tx.checkoutRequestId, url: tx.callbackUrl, attempt, body };
      try {
        record.status = await post(tx.callbackUrl, payload);
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
      if (generation !== started) return;
      deliveryLog.push(record);
      if (record.status !== undefined && record.status >= 200 && record.status < 300) return;
      const wait = retryDelays[attempt - 1];
      if (wait === undefined) return;
      await sleep(wait);
    }
  }

  async function deliverPendingCallbacks(): Promise<void> {
    for (const tx of [...transactions.values()]) decide(tx);
    for (const wake of [...lateStarts]) wake();
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  // ----- Sandbox controls

  function script(rule: OutcomeRule, outcome: ScriptedOutcome | null): void {
    const normalised = typeof rule === 'string' ? { phone: rule } : { phone: rule.phone, amount: rule.amount };
    const key = JSON.stringify([normalised.phone ?? null, normalised.amount ?? null]);
    scripts = scripts.filter((entry) => JSON.stringify([entry.rule.phone ?? null, entry.rule.amount ?? null]) !== key);
    if (outcome) scripts.push({ rule: normalised, outcome });
  }

  function reset(): void {
    generation++;
    for (const tx of transactions.values()) if (tx.timer) clearTimeout(tx.timer);
    transactions.clear();
    tokens.clear();
    ledgerEntries = [];
    deliveryLog = [];
    scripts = [];
    for (const entry of [...sleeps]) entry.wake();
  }

  function parseScriptedOutcome(value: unknown): ScriptedOutcome | null {
    if (value === null) return null;
    if (typeof value !== 'object') throw badRequest('outcome');
    const o = value as Record<string, unknown>;
    if (o.kind === 'result' && typeof o.resultCode === 'number') {
      return {
        kind: 'result',
        resultCode: o.resultCode,
        resultDesc: typeof o.resultDesc === 'string' ? o.resultDesc : undefined,
        callback: typeof o.callback === 'boolean' ? o.callback : undefined,
        balance: typeof o.balance === 'boolean' ? o.balance : undefined,
        delayMs: typeof o.delayMs === 'number' ? o.delayMs : undefined,
        callbackLateMs: typeof o.callbackLateMs === 'number' ? o.callbackLateMs : undefined,
      };
    }
    if (
      o.kind === 'reject' &&
      typeof o.status === 'number' &&
      typeof o.errorCode === 'string' &&
      typeof o.errorMessage === 'string'
    ) {
      return { kind: 'reject', status: o.status, errorCode: o.errorCode, errorMessage: o.errorMessage };
    }
    throw badRequest('outcome');
  }

  // ----- Routing

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (key) {
      case 'GET /oauth/v1/generate':
        return generateToken(req, url, res);
      case 'POST /mpesa/stkpush/v1/processrequest':
        return processRequest(req, res);
      case 'POST /mpesa/stkpushquery/v1/query':
        return query(req, res);
      case 'GET /__sandbox/ledger':
        return sendJson(res, 200, ledgerEntries);
      case 'GET /__sandbox/callbacks':
        return sendJson(res, 200, deliveryLog);
      case 'POST /__sandbox/reset':
        reset();
        return sendJson(res, 200, { reset: true });
      case 'POST /__sandbox/script': {
        const body = await readJsonObject(req);
        const phone = body.phone === undefined ? undefined : asDigits(body.phone);
        const amount = typeof body.amount === 'number' ? body.amount : undefined;
        script({ phone, amount }, parseScriptedOutcome(body.outcome));
        return sendJson(res, 200, { scripted: true });
      }
      case 'POST /__sandbox/expire-tokens':
        tokens.clear();
        return sendJson(res, 200, { expired: true });
      case 'POST /__sandbox/deliver':
        await deliverPendingCallbacks();
        return sendJson(res, 200, { delivered: true });
      default:
        throw new ApiError(404, '404.001.01', 'Resource not found');
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof ApiError) return sendError(res, error);
      sendError(res, new ApiError(500, '500.001.1001', 'Internal Server Error'));
    });
  });

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close() {
      closed = true;
      for (const tx of transactions.values()) if (tx.timer) clearTimeout(tx.timer);
      for (const entry of [...sleeps]) entry.wake();
      for (const handle of [...outgoing]) handle.destroy();
      await Promise.allSettled([...inFlight]);
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    ledger: () => ledgerEntries.map((entry) => ({ ...entry })),
    script,
    deliverPendingCallbacks,
    deliveries: () => deliveryLog.map((entry) => ({ ...entry })),
    reset,
    expireTokens: () => tokens.clear(),
  };
}
