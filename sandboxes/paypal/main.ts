// Runs the PayPal sandbox on its own: `node dist/sandboxes/paypal/main.js` (or through tsx / ts-node).
//   PAYPAL_SANDBOX_PORT        port to listen on (default 4020; 0 picks a free one)
//   PAYPAL_SANDBOX_HOST        interface (default 127.0.0.1)
//   PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET   credentials the sandbox accepts (default sandbox-client-id / sandbox-client-secret)
//   PAYPAL_WEBHOOK_ID          webhook id that signs deliveries (default: generated, printed)
//   PAYPAL_SANDBOX_WEBHOOK_URL where to deliver webhooks (default: none are sent)
// Closes cleanly on SIGINT / SIGTERM.
import { createPaypalSandbox } from './server.js';
import { closeOnSignals } from '../lib/closeOnSignals.js';

const port = Number(process.env.PAYPAL_SANDBOX_PORT ?? 4020);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PAYPAL_SANDBOX_PORT must be a port number, got ${process.env.PAYPAL_SANDBOX_PORT}`);
  process.exit(1);
}
const host = process.env.PAYPAL_SANDBOX_HOST ?? '127.0.0.1';
const clientId = process.env.PAYPAL_CLIENT_ID || 'sandbox-client-id';
const sandbox = createPaypalSandbox({
  clientId,
  clientSecret: process.env.PAYPAL_CLIENT_SECRET || 'sandbox-client-secret',
  webhookUrl: process.env.PAYPAL_SANDBOX_WEBHOOK_URL || undefined,
  webhookId: process.env.PAYPAL_WEBHOOK_ID || undefined,
});

const bound = await sandbox.listen(port, host);
console.log(`PayPal sandbox listening on ${sandbox.url()} (port ${bound})`);
console.log(`  client id ${clientId}; webhook id ${sandbox.webhookId}`);
console.log(
  `  webhooks: ${process.env.PAYPAL_SANDBOX_WEBHOOK_URL || 'none (set PAYPAL_SANDBOX_WEBHOOK_URL)'}; certificate ${sandbox.url()}/__sandbox/certs/webhook.pem`,
);

closeOnSignals('PayPal sandbox', () => sandbox.close());
