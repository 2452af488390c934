// The sandbox's own controls: scripting outcomes and resetting.
import { clearTimeout } from 'node:timers';
import { type ScriptedOutcome, type OutcomeRule, badRequest } from './protocol.js';
import type { MpesaSandboxState } from './state.js';

export function script(state: MpesaSandboxState, rule: OutcomeRule, outcome: ScriptedOutcome | null): void {
  const normalised = typeof rule === 'string' ? { phone: rule } : { phone: rule.phone, amount: rule.amount };
  const key = JSON.stringify([normalised.phone ?? null, normalised.amount ?? null]);
  state.scripts = state.scripts.filter(
    (entry) => JSON.stringify([entry.rule.phone ?? null, entry.rule.amount ?? null]) !== key,
  );
  if (outcome) state.scripts.push({ rule: normalised, outcome });
}

export function reset(state: MpesaSandboxState): void {
  state.generation++;
  for (const tx of state.transactions.values()) if (tx.timer) clearTimeout(tx.timer);
  state.transactions.clear();
  state.tokens.clear();
  state.ledgerEntries = [];
  state.deliveryLog = [];
  state.scripts = [];
  state.reversals.clear();
  state.reversedReceipts.clear();
  state.b2cPayments.clear();
  state.reversalScript = {};
  state.resultLog = [];
  state.c2bTransactions = [];
  state.standingOrders.clear();
  state.ratibaAnswers.clear();
  for (const entry of [...state.sleeps]) entry.wake();
}

export function parseScriptedOutcome(state: MpesaSandboxState, value: unknown): ScriptedOutcome | null {
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
