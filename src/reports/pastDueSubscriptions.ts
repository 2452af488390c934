// The past-due list: PAST_DUE subscriptions with the invoice being collected, its attempts, and how many retries the
// workflow has left. Retries are counted as the workflow counts them (src/workflows/collection.ts): after a soft
// decline of attempt n (the collection's first being 1), attempt n+1 comes retryDelaysMs[n-1] later, so an invoice
// has one retry per entry of the schedule; a hard decline waits for the customer (no retry); dunning gives up
// the sum of the schedule after the first failure. The schedule is the one new workflows get (PAYMENT_RETRY_DAYS,
// scaled for MINUTE plans as their workflows are): one source of truth with the workflow's input.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Money } from '../domain/money.js';
import { requireAdmin } from '../kernel/policy.js';
import type { Caller } from '../kernel/caller.js';
import { parseInput } from '../kernel/validate.js';
import { collectionPolicyFor } from '../temporal/subscriptionLifecycle.js';
import { DEFAULT_COLLECTION_POLICY, type CollectionPolicy } from '../workflows/types.js';
import { customerScope } from './reportSql.js';

const pastDueInputSchema = z.object({
  first: z.number().int().min(1).max(200, 'must be at most 200').default(50),
  apiClientId: z.uuid('must be an app id').nullish(),
});
export type PastDueInput = z.input<typeof pastDueInputSchema>;

export interface PastDueSubscription {
  subscriptionId: string;
  invoiceId: string;
  amountDue: Money;
  dueAt: Date;
  attempts: number;
  failedAttempts: number;
  retriesLeft: number;
  /** When the workflow charges again by itself; null after a hard decline or when retries are used up. */
  nextRetryAt: Date | null;
  /** When dunning gives up (CANCELED or UNPAID by AFTER_LAST_RETRY) if nothing is paid. */
  dunningEndsAt: Date | null;
  lastFailureCode: string | null;
  lastFailureMessage: string | null;
  hardDecline: boolean;
}

interface Row {
  subscription_id: string;
  invoice_id: string;
  amount_due: string;
  currency: string;
  due_at: Date;
  interval: string;
  attempts: number;
  failed: number;
  first_failed_at: Date | null;
  last_status: string | null;
  last_completed_at: Date | null;
  last_failure_code: string | null;
  last_failure_message: string | null;
  last_hard_decline: boolean | null;
}

/** Oldest due first; one statement. */
export async function pastDueSubscriptions(
  em: EntityManager,
  caller: Caller,
  policy: CollectionPolicy | undefined,
  input: PastDueInput,
): Promise<PastDueSubscription[]> {
  requireAdmin(caller);
  const { first, apiClientId } = parseInput(pastDueInputSchema, input, '');
  const scope = customerScope(apiClientId ?? null);
  const rows = await em.execute<Row[]>(
    `select s.id as subscription_id, i.id as invoice_id, i.amount_due::text as amount_due, i.currency, i.due_at,
            pl.interval, coalesce(a.attempts, 0)::int as attempts, coalesce(a.failed, 0)::int as failed,
            a.first_failed_at, last.status as last_status, last.completed_at as last_completed_at,
            last.failure_code as last_failure_code, last.failure_message as last_failure_message,
            last.hard_decline as last_hard_decline
     from subscriptions s
     join customers c on c.id = s.customer_id
     join plans pl on pl.id = s.plan_id
     join lateral (select * from invoices i where i.subscription_id = s.id and i.status = 'OPEN'
                   order by i.period_start desc limit 1) i on true
     left join lateral (select count(*) as attempts, count(*) filter (where p.status = 'FAILED') as failed,
                               min(p.completed_at) filter (where p.status = 'FAILED') as first_failed_at
                        from payments p where p.invoice_id = i.id) a on true
     left join lateral (select * from payments p where p.invoice_id = i.id order by p.attempt desc limit 1) last on true
     where ${scope.where(`s.status = 'PAST_DUE'`)}
     order by i.due_at, s.id
     limit ?`,
    [...scope.params(), first],
  );
  return rows.map((row) => pastDueOf(row, collectionPolicyFor(row.interval, policy ?? DEFAULT_COLLECTION_POLICY)));
}

function pastDueOf(row: Row, policy: CollectionPolicy): PastDueSubscription {
  const delays = policy.retryDelaysMs;
  const hardDecline = row.last_status === 'FAILED' && row.last_hard_decline === true;
  // Attempt n (1-based) is followed, after a soft decline, by a retry delays[n - 1] later: retries used = attempts - 1.
  const retriesLeft = hardDecline ? 0 : Math.max(0, delays.length - Math.max(0, row.attempts - 1));
  const delay = delays[row.attempts - 1];
  const nextRetryAt =
    row.last_status === 'FAILED' && !hardDecline && delay !== undefined && row.last_completed_at
      ? new Date(new Date(row.last_completed_at).getTime() + delay)
      : null;
  const schedule = delays.reduce((sum, ms) => sum + ms, 0);
  return {
    subscriptionId: row.subscription_id,
    invoiceId: row.invoice_id,
    amountDue: { amount: Number(row.amount_due), currency: row.currency.trim() },
    dueAt: new Date(row.due_at),
    attempts: row.attempts,
    failedAttempts: row.failed,
    retriesLeft,
    nextRetryAt,
    dunningEndsAt: row.first_failed_at ? new Date(new Date(row.first_failed_at).getTime() + schedule) : null,
    lastFailureCode: row.last_failure_code,
    lastFailureMessage: row.last_failure_message,
    hardDecline,
  };
}
