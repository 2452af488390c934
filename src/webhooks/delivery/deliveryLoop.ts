// The worker's delivery loop (one per worker process; several share the work through leases). It keeps up to
// `concurrency` deliveries in flight and claims more as they finish, so a slow receiver holds only its own slots:
// one endpoint gets at most a quarter of them, failing endpoints together at most half, and the others keep
// flowing. Billing never waits on it: the events are already committed with their changes, and this loop only reads
// them.
import type pg from 'pg';
import { endpointSecretContext } from '../endpointSecrets.js';
import type { FieldCipher } from '../../security/fieldCipher.js';
import type { AddressPolicy } from '../endpointAddress.js';
import { claimDueDeliveries, type ClaimedDelivery, type Verdict } from './deliveryStore.js';
import { DeliverySlots, type Lane } from './deliverySlots.js';
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
  // Long enough for the attempt and its record; a dead worker's deliveries wait this long before another tries.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 5;
  const slots = new DeliverySlots(options.concurrency);
  const running = new Set<Promise<void>>();
  let stopped = false;
  let claiming = false;
  let timer: NodeJS.Timeout | undefined;
  const recorder = attemptRecorder(options.pool);

  /** Whether the endpoint took it; undefined when the attempt could not be recorded. */
  const deliver = async (delivery: ClaimedDelivery): Promise<boolean | undefined> => {
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
      return outcome.ok;
    } catch (error) {
      // The lease runs out and another round tries it again.
      options.onError?.(error);
      return undefined;
    }
  };

  const track = (delivery: ClaimedDelivery, lane: Lane) => {
    slots.take(delivery.endpointId, lane);
    const task = deliver(delivery).then((delivered) => {
      slots.release(delivery.endpointId, lane, delivered);
      running.delete(task);
      // Claim again once half the slots are free: one claim per batch, not one per finished delivery.
      if (slots.inUse <= options.concurrency / 2) schedule(0);
    });
    running.add(task);
  };

  const claim = async () => {
    if (stopped || claiming || slots.free <= 0) return;
    claiming = true;
    let claimed = 0;
    try {
      // Healthy endpoints first; then the failing ones, within their share (src/webhooks/delivery/deliverySlots.ts).
      for (const next of [() => slots.healthyClaim(), () => slots.failingClaim()]) {
        const request = next();
        if (!request) continue;
        const deliveries = await claimDueDeliveries(options.pool, { ...request, leaseSeconds });
        for (const delivery of deliveries) track(delivery, request.lane);
        claimed += deliveries.length;
      }
    } catch (error) {
      options.onError?.(error);
    } finally {
      claiming = false;
    }
    // A full batch may mean more is due; an empty one means wait for the next poll.
    schedule(claimed > 0 && slots.free > 0 ? 0 : (options.pollMs ?? 250));
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
