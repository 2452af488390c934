// Checks shared by STK Push and STK Query, and choosing a push's outcome.
import {
  type ScriptedOutcome,
  BUILT_IN_OUTCOMES,
  ApiError,
  badRequest,
  eatParts,
  stkPassword,
  isCalendarTimestamp,
  sameSecret,
  asDigits,
} from './protocol.js';
import type { MpesaSandboxState } from './state.js';

/** BusinessShortCode, Timestamp and Password formats, common to push and query; returns the Timestamp. */
export function checkMerchantFormat(state: MpesaSandboxState, body: Record<string, unknown>): string {
  const code = asDigits(body.BusinessShortCode);
  if (code === undefined || code !== state.shortcode) throw badRequest('BusinessShortCode');
  const timestamp = typeof body.Timestamp === 'string' ? body.Timestamp : asDigits(body.Timestamp);
  if (timestamp === undefined || !isCalendarTimestamp(timestamp)) throw badRequest('Timestamp');
  if (typeof body.Password !== 'string' || body.Password.length === 0) throw badRequest('Password');
  return timestamp;
}

/** Checked after every format rule: a well-formed request with the wrong Password is a 500 "Wrong credentials". */
export function checkPassword(state: MpesaSandboxState, body: Record<string, unknown>, timestamp: string): void {
  const expected = stkPassword(state.shortcode, state.options.passkey, timestamp);
  if (typeof body.Password !== 'string' || !sameSecret(body.Password, expected)) {
    throw new ApiError(500, '500.001.1001', 'Wrong credentials');
  }
}

export function resolveOutcome(state: MpesaSandboxState, phone: string, amount: number): ScriptedOutcome {
  for (let i = state.scripts.length - 1; i >= 0; i--) {
    const { rule, outcome } = state.scripts[i]!;
    if (rule.phone !== undefined && rule.phone !== phone) continue;
    if (rule.amount !== undefined && rule.amount !== amount) continue;
    return outcome;
  }
  return BUILT_IN_OUTCOMES[phone] ?? { kind: 'result', resultCode: 0 };
}

export function newCheckoutRequestId(state: MpesaSandboxState, phone: string): string {
  const p = eatParts(state.now());
  const base = `ws_CO_${p.dd}${p.MM}${p.yyyy}${p.HH}${p.mm}${p.ss}${p.SSS}${phone.slice(-9)}`;
  let id = base;
  for (let n = 1; state.transactions.has(id); n++) id = `${base}${n}`;
  return id;
}
