// The worker's eTIMS side (docs/tax.md): every finalized invoice issued since eTIMS was turned on is offered to the
// control unit until it is signed. Invoices are written by many paths (renewals, plan changes, one-off invoices) in
// their own transactions; rather than each path calling KRA after its commit, this loop finds what is still
// unsigned and adds only the receipts that are missing, the way the webhook delivery loop treats events.
//
// A claim leases rows (`etims_next_attempt_at` moved past the attempt) instead of holding locks through the HTTP
// call: two workers never offer the same invoice at once, and a worker that dies mid-call leaves a lease that runs
// out. Offering twice is harmless anyway: `submitInvoiceToEtims` signs an invoice once, and the control unit answers
// a repeated invoice number with its first receipt.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EtimsSubmission } from './submitInvoiceToEtims.js';
import { submitInvoiceToEtims } from './submitInvoiceToEtims.js';

export interface EtimsSubmissionLoopOptions {
  em: EntityManager;
  submission: EtimsSubmission;
  /** Invoices issued before this were reported another way (ETIMS_SUBMIT_FROM). */
  submitFrom: Date;
  /** Invoices offered per round. */
  batchSize?: number;
  pollMs?: number;
  /** Longer than an attempt can take: the HTTP call's timeout and recording its answer. */
  leaseSeconds?: number;
  onError?: (error: unknown) => void;
}

export interface EtimsSubmissionLoop {
  /** Offers what is due now; the loop calls it every `pollMs`, tests call it to run a round to its end. */
  runOnce(): Promise<{ signed: number; failed: number }>;
  stop(): Promise<void>;
}

/** Minutes before an unsigned invoice is offered again after the n-th failed attempt (1-based); the last repeats. */
export const ETIMS_RETRY_MINUTES = [0.5, 2, 10, 30, 60, 180, 360];

async function claimUnsigned(
  em: EntityManager,
  options: { submitFrom: Date; limit: number; leaseSeconds: number },
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `update invoices set etims_next_attempt_at = clock_timestamp() + make_interval(secs => ?)
     where id in (
       select id from invoices
       where etims_receipt_number is null and status in ('OPEN', 'PAID') and issued_at >= ?
         and (etims_next_attempt_at is null or etims_next_attempt_at <= now())
       order by issued_at
       limit ?
       for update skip locked)
     returning id`,
    [options.leaseSeconds, options.submitFrom, options.limit],
  );
  return rows.map((row) => row.id);
}

/** A failed offer: counted, its reason kept for operators, and the invoice left alone until its next turn. */
async function recordFailure(em: EntityManager, invoiceId: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await em.execute(
    `update invoices
     set etims_attempts = etims_attempts + 1, etims_last_error = ?,
         etims_next_attempt_at = clock_timestamp() + make_interval(secs =>
           (array[${ETIMS_RETRY_MINUTES.map((minutes) => minutes * 60).join(', ')}])[least(etims_attempts + 1, ${ETIMS_RETRY_MINUTES.length})])
     where id = ? and etims_receipt_number is null`,
    [message, invoiceId],
  );
}

export function startEtimsSubmissionLoop(options: EtimsSubmissionLoopOptions): EtimsSubmissionLoop {
  const { em, submission, submitFrom } = options;
  const batchSize = options.batchSize ?? 20;
  const pollMs = options.pollMs ?? 5_000;
  const leaseSeconds = options.leaseSeconds ?? 60;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<{ signed: number; failed: number }> | null = null;

  const offer = async () => {
    const totals = { signed: 0, failed: 0 };
    for (;;) {
      const ids = await claimUnsigned(em.fork(), { submitFrom, limit: batchSize, leaseSeconds });
      // One at a time: a control unit is one device answering in order, and KRA numbers its receipts that way.
      for (const id of ids) {
        try {
          await submitInvoiceToEtims(em, id, submission);
          totals.signed += 1;
        } catch (error) {
          totals.failed += 1;
          await recordFailure(em.fork(), id, error);
        }
      }
      if (ids.length < batchSize || stopped) return totals;
    }
  };

  const runOnce = () => {
    // A round already running is joined, not doubled: its claims would only skip each other's rows.
    round ??= offer().finally(() => {
      round = null;
    });
    return round;
  };

  const tick = () => {
    if (stopped) return;
    runOnce()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round?.catch(() => undefined);
    },
  };
}
