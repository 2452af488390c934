// The worker's webhook side, built from configuration: deliver events to client apps' endpoints while it runs.
import pg from 'pg';
import type { Config } from '../config.js';
import { FieldCipher } from '../security/fieldCipher.js';
import { startDeliveryLoop } from './delivery/deliveryLoop.js';

export function webhookDeliveryFor(config: Config, log: { warn(message: string): void }) {
  if (!config.webhooks.deliver) return null;
  // Its own few connections: deliveries never wait behind activities for the ORM's pool, nor the reverse.
  // JIT compiling the claim (its estimated cost is high, its real cost a millisecond) took 80 ms a round.
  const pool = new pg.Pool({ connectionString: config.database.url, max: 3, options: '-c jit=off' });
  pool.on('error', () => undefined); // an idle connection dropping is not fatal; the next query reconnects
  const loop = startDeliveryLoop({
    pool,
    cipher: new FieldCipher(config.payments.keyring),
    policy: { allowPrivate: config.webhooks.allowPrivate },
    concurrency: config.webhooks.concurrency,
    timeoutMs: config.webhooks.timeoutMs,
    onError: (error) =>
      log.warn(`webhook delivery round failed: ${error instanceof Error ? error.message : String(error)}`),
    onGiveUp: (delivery, outcome) =>
      log.warn(
        `webhook endpoint ${delivery.endpointId} is FAILING: event ${delivery.eventId} undelivered for 3 days (last: ${outcome.error ?? outcome.statusCode})`,
      ),
  });
  return {
    async stop() {
      await loop.stop();
      await pool.end();
    },
  };
}
