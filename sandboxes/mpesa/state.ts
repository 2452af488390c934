// What the M-Pesa sandbox keeps between requests: its settings, the tokens it issued, the prompts it holds and how they
// were decided, the ledger of charges, the callback deliveries, the scripted outcomes, and what is still in flight.
import type { CallbackDelivery, LedgerEntry, ScriptedOutcome, Transaction } from './protocol.js';
import type { MpesaSandboxOptions } from './server.js';
import type { B2cPayment, Reversal, ReversalScript, ResultDelivery } from './reversals.js';
import type { C2bRegistration, C2bTransaction } from './c2b.js';
import type { RatibaAnswer, StandingOrder } from './ratiba.js';

export class MpesaSandboxState {
  readonly shortcode: string;
  readonly tokenTtlSeconds: number;
  readonly duplicateWindowMs: number;
  readonly callbackDelayMs: number;
  readonly retryDelays: number[];
  readonly callbackTimeoutMs: number;
  readonly now: () => Date;
  readonly random: () => number;

  /** Every live token and when it expires. Daraja documents a lifetime, nothing else: a new token ends no other. */
  readonly tokens = new Map<string, number>();
  readonly transactions = new Map<string, Transaction>();
  ledgerEntries: LedgerEntry[] = [];
  deliveryLog: CallbackDelivery[] = [];
  scripts: { rule: { phone?: string; amount?: number }; outcome: ScriptedOutcome }[] = [];
  readonly inFlight = new Set<Promise<void>>();
  readonly sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  /** The waits of late callbacks (callbackLateMs), which deliverPendingCallbacks() ends at once. */
  readonly lateStarts = new Set<() => void>();
  readonly outgoing = new Set<{ destroy: () => void }>();
  /** Reversals by ConversationID, the receipts reversed, how the next results go out, and every Result sent. */
  readonly reversals = new Map<string, Reversal>();
  readonly reversedReceipts = new Set<string>();
  /** B2C payments (money sent to phones, e.g. partial refunds) by ConversationID. */
  readonly b2cPayments = new Map<string, B2cPayment>();
  reversalScript: ReversalScript = {};
  resultLog: ResultDelivery[] = [];
  /** C2B: the URLs registered per shortcode, whether external validation is on, and every payment simulated. */
  readonly c2bRegistrations = new Map<string, C2bRegistration>();
  c2bExternalValidation: boolean;
  c2bTransactions: C2bTransaction[] = [];
  /** Ratiba: standing orders by their responseRefID, and how customers' phones answer new ones. */
  readonly standingOrders = new Map<string, StandingOrder>();
  readonly ratibaAnswers = new Map<string, RatibaAnswer>();
  closed = false;
  /** Bumped by reset(), so that deliveries begun before a reset stop retrying. */
  generation = 0;

  constructor(readonly options: MpesaSandboxOptions) {
    this.shortcode = options.shortcode ?? '174379';
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3599;
    this.duplicateWindowMs = (options.duplicateWindowSeconds ?? 120) * 1000;
    this.callbackDelayMs = options.callbackDelayMs ?? 300;
    this.retryDelays = options.callbackRetryDelaysMs ?? [500, 2000, 5000];
    this.callbackTimeoutMs = options.callbackTimeoutMs ?? 5000;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.c2bExternalValidation = options.c2bExternalValidation ?? false;
  }
}
