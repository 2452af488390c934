// The worker's delivery loop (one per worker process; several share the work through leases). It keeps up to
// `concurrency` deliveries in flight and claims more as each finishes, so a slow receiver holds only its own slots:
// one endpoint gets at most a quarter of them, and the others keep flowing. Billing never waits on it: the events
// are already committed with their changes, and this loop only reads them.
import type pg from 'pg';
import { endpointSecretContext } from '../endpointSecrets.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { AddressPolicy } from '../endpointAddress.js';
import { claimDueDeliveries, type ClaimedDelivery, type Verdict } from './deliveryStore.js';
import { attemptRecorder } from './attemptRecorder.js';
import { postEvent, type AttemptOutcome } from './postEvent.js';
import { nextAttemptDelayMs, outOfTime } from './retrySchedule.js';

export interface DeliveryLoopOptions {
  pool: pg.Pool;
  cipher: FieldCipher;
  policy: AddressPolicy;
  concurrency: number;
  timeoutMs: number;
  /** How often to look for due deliveries when there is nothing in flight to wake the loop. */
  pollMs?: number;
  onError?: (error: unknown) => void;
  onGiveUp?: (delivery: ClaimedDelivery, outcome: AttemptOutcome) => void;
}

export interface DeliveryLoop {
  stop(): Promise<void>;
}

/** The secrets a delivery is signed with: the current one, and the previous one while its grace period runs. */
export function signingSecrets(cipher: FieldCipher, delivery: ClaimedDelivery, now: Date): string[] {
  const secrets = [cipher.open(delivery.secretSealed, endpointSecretContext(delivery.endpointId, 'secret'))];
  if (delivery.previousSecretSealed && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt > now) {
    secrets.push(
      cipher.open(delivery.previousSecretSealed, endpointSecretContext(delivery.endpointId, 'previous_secret')),
    );
  }
  return secrets;
}

export function verdictFor(delivery: ClaimedDelivery, outcome: AttemptOutcome, now: Date): Verdict {
  if (outcome.ok) return { kind: 'delivered' };
  if (outOfTime(new Date(delivery.queuedAt), now)) return { kind: 'give-up' };
  return { kind: 'retry', retryAt: new Date(now.getTime() + nextAttemptDelayMs(delivery.attempt)) };
}

/** The exact bytes signed and sent: the event with the fields `events` lists (src/webhooks/eventRows.ts). */
export function deliveryBody(delivery: ClaimedDelivery): string {
  const { event } = delivery;
  return JSON.stringify({
    id: event.id,
    type: event.type,
    apiVersion: event.apiVersion,
    createdAt: new Date(event.createdAt).toISOString(),
    customerId: event.customerId,
    subscriptionId: event.subscriptionId,
    data: event.data,
  });
}

export function startDeliveryLoop(options: DeliveryLoopOptions): DeliveryLoop {
  const perEndpoint = Math.max(1, Math.floor(options.concurrency / 4));
  // Long enough for the attempt and its record; a dead worker's deliveries wait this long before another tries.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 5;
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let total = 0;
  let stopped = false;
  let claiming = false;
  let timer: NodeJS.Timeout | undefined;
  const recorder = attemptRecorder(options.pool);

  const deliver = async (delivery: ClaimedDelivery) => {
    try {
      const outcome = await postEvent(
        {
          url: delivery.url,
          eventId: delivery.eventId,
          eventType: delivery.eventType,
          body: deliveryBody(delivery),
          secrets: signingSecrets(options.cipher, delivery, new Date()),
        },
        { timeoutMs: options.timeoutMs, policy: options.policy },
      );
      const verdict = verdictFor(delivery, outcome, new Date());
      await recorder.record({ delivery, outcome, verdict });
      if (verdict.kind === 'give-up') options.onGiveUp?.(delivery, outcome);
    } catch (error) {
      // The lease runs out and another round tries it again.
      options.onError?.(error);
    }
  };

  const track = (delivery: ClaimedDelivery) => {
    total += 1;
    inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 0) + 1);
    const task = deliver(delivery).finally(() => {
      total -= 1;
      const left = (inFlight.get(delivery.endpointId) ?? 1) - 1;
      if (left > 0) inFlight.set(delivery.endpointId, left);
      else inFlight.delete(delivery.endpointId);
      running.delete(task);
      // Claim again once half the slots are free: one claim per batch, not one per finished delivery.
      if (total <= options.concurrency / 2) schedule(0);
    });
    running.add(task);
  };

  const claim = async () => {
    if (stopped || claiming || total >= options.concurrency) return;
    claiming = true;
    let claimed: ClaimedDelivery[] = [];
    try {
      const busy = [...inFlight].filter(([, count]) => count >= perEndpoint).map(([id]) => id);
      claimed = await claimDueDeliveries(options.pool, {
        limit: options.concurrency - total,
        perEndpoint,
        busyEndpoints: busy,
        leaseSeconds,
      });
      for (const delivery of claimed) track(delivery);
    } catch (error) {
      options.onError?.(error);
    } finally {
      claiming = false;
    }
    // A full batch may mean more is due; an empty one means wait for the next poll.
    schedule(claimed.length > 0 && total < options.concurrency ? 0 : (options.pollMs ?? 250));
  };

  function schedule(delayMs: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void claim(), delayMs);
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
