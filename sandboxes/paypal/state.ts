// What the PayPal sandbox knows and keeps between requests: its settings, its identity (merchant, signing keys),
// the access tokens it issued, and the orders, captures, refunds and vault tokens it holds; reset() forgets them.
import { signingMaterial } from './certificate.js';
import * as ids from './ids.js';
import type { Capture, Money, Order, Payer, Refund, VaultToken } from './model.js';
import { formatAmount } from './money.js';
import { RequestIdStore } from './requestIds.js';
import type { CaptureEntry, PaypalSandboxOptions } from './server.js';
import { WebhookDispatcher } from './webhooks.js';

export const CERT_PATH = '/__sandbox/certs/webhook.pem';

export class SandboxState {
  readonly now: () => Date;
  readonly tokenTtlSeconds: number;
  readonly webhookDelayMs: number;
  readonly pendingDelayMs: number;
  readonly webhookId: string;
  readonly material = signingMaterial();
  readonly appId = `APP-${ids.resourceId()}`;
  readonly merchant = { email_address: 'merchant@example.com', merchant_id: ids.accountId() };
  readonly defaultPayer: Payer = {
    email_address: 'customer@example.com',
    payer_id: ids.accountId(),
    name: { given_name: 'John', surname: 'Doe' },
    country_code: 'US',
  };
  /** Where the server listens, once it does; links use publicBase(). */
  listeningBase = 'http://127.0.0.1';

  readonly tokens = new Map<string, number>(); // access token -> expiry (ms since epoch, on the `now` clock)
  currentToken: string | undefined;
  orders = new Map<string, Order>();
  captures = new Map<string, Capture>();
  refunds = new Map<string, Refund>();
  vault = new Map<string, VaultToken>();
  readonly replays = new RequestIdStore();
  ledgerEntries: CaptureEntry[] = [];
  readonly pendingTimers = new Map<string, { timer: NodeJS.Timeout; settle: 'COMPLETED' | 'DECLINED' }>();
  /** Scripted PENDING refunds, settled after pendingDelayMs (5.00 completes, 5.01 fails). */
  readonly pendingRefundTimers = new Map<string, NodeJS.Timeout>();
  readonly webhooks: WebhookDispatcher;

  constructor(readonly options: PaypalSandboxOptions) {
    this.now = options.now ?? (() => new Date());
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 32400;
    this.webhookDelayMs = options.webhookDelayMs ?? 200;
    this.pendingDelayMs = options.pendingCaptureDelayMs ?? Math.floor(this.webhookDelayMs / 2);
    this.webhookId = options.webhookId ?? ids.webhookId();
    this.webhooks = new WebhookDispatcher({
      url: options.webhookUrl,
      webhookId: this.webhookId,
      certUrl: () => `${this.publicBase()}${CERT_PATH}`,
      privateKey: this.material.privateKey,
      delayMs: this.webhookDelayMs,
      duplicate: options.duplicateWebhooks ?? false,
      reorder: options.reorderWebhooks ?? false,
      maxAttempts: options.webhookMaxAttempts ?? 8,
      now: this.now,
    });
  }

  publicBase(): string {
    return this.options.publicUrl?.replace(/\/$/, '') ?? this.listeningBase;
  }

  /** PayPal's timestamps: seconds, no fraction. */
  iso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  amountJson(m: Money) {
    return { currency_code: m.currency, value: formatAmount(m.minor, m.currency) };
  }

  amountOf(minor: number, currency: string) {
    return { currency_code: currency, value: formatAmount(minor, currency) };
  }

  ledger(): CaptureEntry[] {
    return this.ledgerEntries.map((entry) => ({ ...entry }));
  }

  /** Forgets everything a test did (what POST /__sandbox/reset does). */
  reset(): void {
    for (const { timer } of this.pendingTimers.values()) clearTimeout(timer);
    this.pendingTimers.clear();
    for (const timer of this.pendingRefundTimers.values()) clearTimeout(timer);
    this.pendingRefundTimers.clear();
    this.orders = new Map();
    this.captures = new Map();
    this.refunds = new Map();
    this.vault = new Map();
    this.replays.reset();
    this.ledgerEntries = [];
    this.webhooks.reset();
  }
}
