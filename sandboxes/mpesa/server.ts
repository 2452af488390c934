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
import { createServer, type Server } from 'node:http';
import { clearTimeout } from 'node:timers';
import {
  ApiError,
  sendError,
  type CallbackDelivery,
  type LedgerEntry,
  type OutcomeRule,
  type ScriptedOutcome,
} from './protocol.js';
import { MpesaSandboxState } from './state.js';
import { deliverPendingCallbacks } from './callbacks.js';
import { reset, script } from './controls.js';
import { route } from './routes.js';
import type { B2cPayment, ResultDelivery, ReversalScript } from './reversals.js';
import { redeliverConfirmation, type C2bTransaction } from './c2b.js';
import { collect, type RatibaAnswer, type StandingOrder } from './ratiba.js';

export type { B2cPayment, ResultDelivery, ReversalScript } from './reversals.js';
export type { C2bPayload, C2bTransaction } from './c2b.js';

export {
  BUILT_IN_OUTCOMES,
  darajaTimestamp,
  RESULT_DESCRIPTIONS,
  stkPassword,
  type CallbackDelivery,
  type LedgerEntry,
  type OutcomeRule,
  type ScriptedOutcome,
  type StkCallbackEnvelope,
  type StkCallbackItem,
} from './protocol.js';

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
  /**
   * Whether the paybill has external validation on (Safaricom turns it on per shortcode on request): payments are
   * then POSTed to the registered ValidationURL first. Default false, as Daraja's. POST /__sandbox/c2b/validation.
   */
  c2bExternalValidation?: boolean;
  /** The SecurityCredential reversals and status queries must carry; unset: any non-empty one. */
  securityCredential?: string;
  /** Clock for token expiry, timestamps, receipts and the duplicate rule. Default: the wall clock. */
  now?: () => Date;
  /** Random source in [0, 1) for the order of callback items and the optional Balance item. Default Math.random. */
  random?: () => number;
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
  /** How the next reversals' Results go out (once, twice, never, late) or fail (POST /__sandbox/script-reversals). */
  scriptReversals(script: ReversalScript): void;
  /** Every reversal and status Result sent (GET /__sandbox/results). */
  results(): ResultDelivery[];
  /** Receipts reversed so far. */
  reversed(): string[];
  /** B2C payments made so far (money sent to phones: partial refunds). */
  b2cPayments(): B2cPayment[];
  /** Every C2B payment simulated so far: its payload, validation answer, outcome and confirmation attempts. */
  c2bTransactions(): C2bTransaction[];
  /** Turns the paybill's external validation on or off. */
  setC2bValidation(enabled: boolean): void;
  /** Delivers a completed payment's confirmation once more and waits for it. */
  redeliverC2bConfirmation(transId: string): Promise<void>;
  /** Ratiba standing orders put on phones so far, with their collections and result callbacks. */
  standingOrders(): StandingOrder[];
  /** How `phone` answers the next standing order put on it (null: approve, the default). */
  scriptRatiba(phone: string, answer: RatibaAnswer | null): void;
  /** A standing order's collection today: a C2B payment into the paybill, or nothing once it is not live. */
  collectStandingOrder(refId: string): { collected: boolean; transId?: string; status?: string };
  /** The customer cancels the order from their phone: later collections pay nothing, and nobody is told. */
  cancelStandingOrderFromPhone(refId: string): void;
}

export function createMpesaSandbox(options: MpesaSandboxOptions): MpesaSandbox {
  const state = new MpesaSandboxState(options);
  const server = createServer((req, res) => {
    route(state, req, res).catch((error: unknown) => {
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
      state.closed = true;
      for (const tx of state.transactions.values()) if (tx.timer) clearTimeout(tx.timer);
      for (const entry of [...state.sleeps]) entry.wake();
      for (const handle of [...state.outgoing]) handle.destroy();
      await Promise.allSettled([...state.inFlight]);
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    ledger: () => state.ledgerEntries.map((entry) => ({ ...entry })),
    script: (rule, outcome) => script(state, rule, outcome),
    deliverPendingCallbacks: () => deliverPendingCallbacks(state),
    deliveries: () => state.deliveryLog.map((entry) => ({ ...entry })),
    reset: () => reset(state),
    expireTokens: () => state.tokens.clear(),
    scriptReversals: (script) => {
      state.reversalScript = { ...script };
    },
    results: () => [...state.resultLog],
    reversed: () => [...state.reversedReceipts],
    b2cPayments: () => [...state.b2cPayments.values()].map((payment) => ({ ...payment })),
    c2bTransactions: () => state.c2bTransactions.map((t) => ({ ...t, confirmations: [...t.confirmations] })),
    setC2bValidation: (enabled) => {
      state.c2bExternalValidation = enabled;
    },
    redeliverC2bConfirmation: (transId) => redeliverConfirmation(state, transId),
    standingOrders: () =>
      [...state.standingOrders.values()].map((order) => ({
        ...order,
        collections: [...order.collections],
        callbacks: [...order.callbacks],
      })),
    scriptRatiba: (phone, answer) => {
      if (answer) state.ratibaAnswers.set(phone, answer);
      else state.ratibaAnswers.delete(phone);
    },
    collectStandingOrder: (refId) => collect(state, refId),
    cancelStandingOrderFromPhone: (refId) => {
      const order = state.standingOrders.get(refId);
      if (order) order.status = 'cancelled';
    },
  };
}
