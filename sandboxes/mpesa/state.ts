// What the M-Pesa sandbox keeps between requests: its settings, the tokens it issued, the prompts it holds and how they
// were decided, the ledger of charges, the callback deliveries, the scripted outcomes, and what is still in flight.
import type { CallbackDelivery, LedgerEntry, ScriptedOutcome, Transaction } from './protocol.js';
import type { MpesaSandboxOptions } from './server.js';

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
  }
}
