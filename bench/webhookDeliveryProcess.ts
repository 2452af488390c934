// The worker's delivery side alone, as its own process for the webhook benchmark: the same loop, pool and settings
// as worker.ts builds (webhookDeliveryFor), without a Temporal connection the benchmark does not need.
import { loadConfigOrExit } from '../src/config.js';
import { webhookDeliveryFor } from '../src/webhooks/webhookDeliveryFor.js';

const config = loadConfigOrExit();
const delivery = webhookDeliveryFor(config, { warn: (message) => console.warn(message) });
if (!delivery) throw new Error('WEBHOOK_DELIVERY is off');
console.log('delivering');
process.on('SIGTERM', () => void delivery.stop().then(() => process.exit(0)));
