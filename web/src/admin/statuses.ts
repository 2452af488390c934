// The statuses filters offer, in words.
export const SUBSCRIPTION_STATUSES = [
  { value: 'TRIALING', label: 'Trial' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'PAST_DUE', label: 'Past due' },
  { value: 'INCOMPLETE', label: 'Awaiting first payment' },
  { value: 'PAUSED', label: 'Paused' },
  { value: 'UNPAID', label: 'Unpaid' },
  { value: 'CANCELED', label: 'Cancelled' },
  { value: 'INCOMPLETE_EXPIRED', label: 'Expired' },
];

export const INVOICE_STATUSES = [
  { value: 'OPEN', label: 'Open' },
  { value: 'PAID', label: 'Paid' },
  { value: 'VOID', label: 'Void' },
  { value: 'UNCOLLECTIBLE', label: 'Uncollectible' },
  { value: 'DRAFT', label: 'Draft' },
];

export const PAYMENT_STATUSES = [
  { value: 'PENDING', label: 'Pending' },
  { value: 'SUCCEEDED', label: 'Succeeded' },
  { value: 'FAILED', label: 'Failed' },
  { value: 'CANCELED', label: 'Cancelled' },
  { value: 'REFUNDED', label: 'Refunded' },
];

export const PROVIDERS = [
  { value: 'MPESA', label: 'M-Pesa' },
  { value: 'PAYPAL', label: 'PayPal' },
];

/** "M-Pesa", "PayPal". */
export function providerName(provider: string): string {
  return PROVIDERS.find((one) => one.value === provider)?.label ?? provider;
}
