// One contract for every payment provider. Workflows never see a provider: the charge activity calls one of
// these and records the outcome. Amounts are integer minor units; adapters convert at the edge.
import type { Money } from '../domain/money.js';

export type ProviderName = 'MPESA' | 'PAYPAL';

/** How the customer pays: an M-Pesa phone, a PayPal account already saved in the vault, or a first PayPal payment. */
export type PaymentMethod =
  | { kind: 'mpesa'; phone: string }
  | { kind: 'paypalVault'; vaultId: string }
  | { kind: 'paypalApproval'; returnUrl: string; cancelUrl: string };

export interface ChargeRequest {
  /** Derived from invoice and attempt (never from run or activity ids): a retried call cannot charge twice. */
  idempotencyKey: string;
  invoiceId: string;
  invoiceNumber: string;
  amount: Money;
  /** Shown to the customer (M-Pesa prompt, PayPal order); adapters shorten it to the provider's limits. */
  description: string;
  method: PaymentMethod;
}

export type ChargeOutcome =
  /** Money received. */
  | { kind: 'succeeded'; providerReference: string; completedAt: Date }
  /**
   * Accepted, result later: an M-Pesa prompt on the phone (callback, then STK Query), a PayPal capture under
   * review (webhook), or a first PayPal payment waiting for the buyer (approvalUrl).
   */
  | {
      kind: 'pending';
      providerReference: string;
      awaiting: 'callback' | 'webhook' | 'buyerApproval';
      approvalUrl?: string;
    }
  /** Refused. Hard declines will not succeed on retry (ask for another payment method); soft ones may. */
  | { kind: 'declined'; hard: boolean; code: string; message: string }
  /** The provider could not be reached or failed: try again later; nothing was charged as far as we know. */
  | { kind: 'unavailable'; code: string; message: string };

export interface PaymentProvider {
  readonly name: ProviderName;
  supportsCurrency(currency: string): boolean;
  /** Refuses unsupported currencies before any call (UnsupportedCurrencyError). */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Asks the provider where a pending charge stands (M-Pesa STK Query, PayPal order lookup). */
  status(providerReference: string, request: Pick<ChargeRequest, 'amount' | 'method'>): Promise<ChargeOutcome>;
}

export class UnsupportedCurrencyError extends Error {
  override name = 'UnsupportedCurrencyError';
  constructor(provider: ProviderName, currency: string) {
    super(`${provider} cannot take payments in ${currency}`);
  }
}

export class InvalidPaymentMethodError extends Error {
  override name = 'InvalidPaymentMethodError';
}
