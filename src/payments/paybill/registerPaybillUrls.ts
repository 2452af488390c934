// Tells M-Pesa where to send the paybill's payments (Register URL, C2B v2): our validation and confirmation URLs
// under PUBLIC_URL, with the callback secret in the path. Run once per paybill by an operator
// (`npm run mpesa:register-paybill`), and by `npm start` against the local sandbox.
import type { Config } from '../../config.js';
import { paybillUrls, type PaybillUrls } from '../mpesa/c2b.js';
import { createPaymentProviders } from '../providers.js';

export type PaybillRegistration = { ok: true; urls: PaybillUrls; shortCode: string } | { ok: false; message: string };

export async function registerPaybillUrls(
  payments: Config['payments'],
  responseType: PaybillUrls['responseType'] = 'Completed',
): Promise<PaybillRegistration> {
  const provider = createPaymentProviders(payments).MPESA;
  if (!provider || !payments.mpesa || !payments.mpesaCallbackSecret) {
    return { ok: false, message: 'M-Pesa is not configured (MPESA_CONSUMER_KEY, MPESA_CALLBACK_SECRET, PUBLIC_URL)' };
  }
  const urls = paybillUrls(payments.publicUrl, payments.mpesaCallbackSecret, responseType);
  const answer = await provider.registerPaybillUrls(urls);
  if (!answer.ok) return { ok: false, message: `M-Pesa refused the URLs: ${answer.message}` };
  return { ok: true, urls, shortCode: payments.mpesa.shortcode };
}
