// Identifier formats as they appear on PayPal's wire: order and capture ids are 17 upper-case alphanumerics,
// Vault v3 payment tokens are short lower-case alphanumerics, debug ids are 13 hex digits.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = '0123456789abcdefghijklmnopqrstuvwxyz';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Orders, captures, refunds: `5O190127TN364715T`. */
export const resourceId = (): string => pick(UPPER, 17);
/** Vault v3 payment token: `8kk8451t`. */
export const vaultTokenId = (): string => pick(LOWER, 8);
/** PayPal payer / merchant account id: `QYR5Z8XDVJNXQ`. */
export const accountId = (): string => pick(UPPER.slice(10) + '23456789', 13);
/** Vault customer: `customer_4029352050`. */
export const customerId = (): string => `customer_${pick('0123456789', 10)}`;
/** `paypal-debug-id`: 13 lower-case hex digits. */
export const debugId = (): string => randomBytes(7).toString('hex').slice(0, 13);
/** Webhook event: `WH-58D329510W468432D-8HN650336L201105X`. */
export const webhookEventId = (): string => `WH-${pick(UPPER, 17)}-${pick(UPPER, 17)}`;
/** Webhook (subscription) id: `1JE4291016473214C`. */
export const webhookId = (): string => pick(UPPER, 17);
/** OAuth access token: `A21AA…`. */
export const accessToken = (): string => `A21AA${randomBytes(72).toString('base64url')}`;
export const transmissionId = (): string => randomUUID();
export const nonceSuffix = (): string => randomBytes(32).toString('base64url').slice(0, 43);
