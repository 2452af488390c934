// The configured providers, built once per process from configuration (src/config.ts decides between real
// credentials, the local sandboxes and "off").
import type { Config } from '../config.js';
import { FieldCipher } from '../security/fieldCipher.js';
import { MpesaProvider } from './mpesa/MpesaProvider.js';
import { PaypalProvider } from './paypal/PaypalProvider.js';
import type { ProviderName } from './provider.js';

export interface PaymentProviders {
  MPESA: MpesaProvider | null;
  PAYPAL: PaypalProvider | null;
}

export function createPaymentProviders(payments: Config['payments']): PaymentProviders {
  const { mpesa, paypal } = payments;
  return {
    MPESA:
      mpesa && mpesa.callbackUrl
        ? new MpesaProvider({
            baseUrl: mpesa.baseUrl,
            consumerKey: mpesa.consumerKey,
            consumerSecret: mpesa.consumerSecret,
            shortcode: mpesa.shortcode,
            passkey: mpesa.passkey,
            callbackUrl: mpesa.callbackUrl,
            reversal: mpesa.reversal,
          })
        : null,
    PAYPAL: paypal
      ? new PaypalProvider({ baseUrl: paypal.baseUrl, clientId: paypal.clientId, clientSecret: paypal.clientSecret })
      : null,
  };
}

export class ProviderNotConfiguredError extends Error {
  override name = 'ProviderNotConfiguredError';
  constructor(provider: ProviderName) {
    super(`${provider} is not configured on this worker (set its credentials, see README)`);
  }
}

/** Providers, the cipher for stored payment methods, and the public address: what payment use cases share. */
export function paymentServices(payments: Config['payments']) {
  return {
    providers: createPaymentProviders(payments),
    cipher: new FieldCipher(payments.keyring),
    publicUrl: payments.publicUrl,
  };
}
