// `npm run mpesa:register-paybill [-- --cancel-when-unreachable]`: registers the paybill's validation and confirmation
// URLs with M-Pesa (docs/paybill.md). The URLs carry MPESA_CALLBACK_SECRET: they are never printed in full.
import { loadConfigOrExit } from '../src/config.js';
import { registerPaybillUrls } from '../src/payments/paybill/registerPaybillUrls.js';

const config = loadConfigOrExit();
const responseType = process.argv.includes('--cancel-when-unreachable') ? 'Cancelled' : 'Completed';
const registration = await registerPaybillUrls(config.payments, responseType);
if (registration.ok) {
  const shown = registration.urls.confirmationUrl.replace(
    /\/webhooks\/paybill\/[^/]+\//,
    '/webhooks/paybill/<secret>/',
  );
  console.log(
    `paybill ${registration.shortCode}: payments now reach ${shown.replace(/confirmation$/, '{validation,confirmation}')}` +
      ` (when validation does not answer: ${responseType})`,
  );
} else {
  console.error(registration.message);
  process.exitCode = 1;
}
