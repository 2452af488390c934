// The currencies PayPal's REST API accepts for payments (developer.paypal.com/api/rest/reference/currency-codes).
// PayPal does not settle in KES: M-Pesa takes those.

const PAYPAL_CURRENCIES: ReadonlySet<string> = new Set([
  'AUD',
  'BRL',
  'CAD',
  'CHF',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MXN',
  'MYR',
  'NOK',
  'NZD',
  'PHP',
  'PLN',
  'SEK',
  'SGD',
  'THB',
  'TWD',
  'USD',
]);

export function isPaypalCurrency(currency: string): boolean {
  return PAYPAL_CURRENCIES.has(currency);
}
