// Request bodies for Orders v2: the first payment (buyer approval, then vault) and merchant-initiated renewals.
import { toDecimalString } from '../../domain/money.js';
import type { ChargeRequest } from '../provider.js';

/** PayPal's limit for purchase_units[].description, invoice_id and custom_id. */
const MAX_TEXT = 127;

function purchaseUnit(request: ChargeRequest): Record<string, unknown> {
  return {
    invoice_id: request.invoiceNumber.slice(0, MAX_TEXT),
    custom_id: request.invoiceId.slice(0, MAX_TEXT),
    description: Array.from(request.description).slice(0, MAX_TEXT).join(''),
    amount: { currency_code: request.amount.currency, value: toDecimalString(request.amount) },
  };
}

/** First payment: the buyer approves at the payer-action link; the capture then stores the account in the vault. */
export function vaultingOrder(request: ChargeRequest, returnUrl: string, cancelUrl: string): Record<string, unknown> {
  return {
    intent: 'CAPTURE',
    purchase_units: [purchaseUnit(request)],
    payment_source: {
      paypal: {
        attributes: {
          vault: {
            store_in_vault: 'ON_SUCCESS',
            usage_type: 'MERCHANT',
            customer_type: 'CONSUMER',
            usage_pattern: 'SUBSCRIPTION_PREPAID',
          },
        },
        experience_context: {
          return_url: returnUrl,
          cancel_url: cancelUrl,
          user_action: 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
        },
      },
    },
  };
}

/** Renewal charged to a vaulted PayPal account, no buyer present: PayPal captures at once. */
export function renewalOrder(request: ChargeRequest, vaultId: string): Record<string, unknown> {
  return {
    intent: 'CAPTURE',
    purchase_units: [purchaseUnit(request)],
    payment_source: {
      paypal: {
        vault_id: vaultId,
        stored_credential: {
          payment_initiator: 'MERCHANT',
          usage: 'SUBSEQUENT',
          usage_pattern: 'SUBSCRIPTION_PREPAID',
        },
      },
    },
  };
}
