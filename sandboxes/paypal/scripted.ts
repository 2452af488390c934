// Scripted behaviour: outcomes by amount, the PayPal-Mock-Response codes honoured, and the token's scopes.
/**
 * Scripted outcomes, by the amount being charged (a merchant-initiated renewal, or the capture of an approved
 * order). Every other amount is captured at once.
 */
export const SCRIPTED_AMOUNTS: Readonly<
  Record<
    string,
    | { outcome: 'decline'; issue: string }
    | { outcome: 'pending'; settle: 'COMPLETED' | 'DECLINED' }
    | { outcome: 'unavailable' | 'lost-response' }
  >
> = {
  '4.22': { outcome: 'decline', issue: 'INSTRUMENT_DECLINED' },
  '4.23': { outcome: 'decline', issue: 'PAYER_CANNOT_PAY' },
  '4.24': { outcome: 'decline', issue: 'TRANSACTION_REFUSED' },
  '5.00': { outcome: 'pending', settle: 'COMPLETED' },
  '5.01': { outcome: 'pending', settle: 'DECLINED' },
  '5.03': { outcome: 'unavailable' },
  '5.04': { outcome: 'lost-response' },
};

/** Codes accepted in `PayPal-Mock-Response: {"mock_application_codes": "..."}` on order create and capture. */
export const MOCK_CODES: Readonly<Record<string, number>> = {
  INSTRUMENT_DECLINED: 422,
  PAYER_CANNOT_PAY: 422,
  TRANSACTION_REFUSED: 422,
  DUPLICATE_INVOICE_ID: 422,
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: 422,
  AGREEMENT_ALREADY_CANCELLED: 422,
  INTERNAL_SERVER_ERROR: 500,
};

export const SCOPE = [
  'https://uri.paypal.com/services/invoicing',
  'https://uri.paypal.com/services/vault/payment-tokens/read',
  'https://uri.paypal.com/services/vault/payment-tokens/readwrite',
  'https://uri.paypal.com/services/payments/payment/authcapture',
  'https://uri.paypal.com/services/payments/refund',
  'https://uri.paypal.com/services/applications/webhooks',
  'openid',
].join(' ');
