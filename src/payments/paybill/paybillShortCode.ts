import type { Config } from '../../config.js';

/**
 * The paybill customers can pay from their phones, or null when paybill payments cannot reach us (M-Pesa off, or no
 * callback secret for the URLs): then no document, email or page tells anyone to use it.
 */
export function paybillShortCode(payments: Config['payments']): string | null {
  return payments.mpesa && payments.mpesaCallbackSecret ? payments.mpesa.shortcode : null;
}
