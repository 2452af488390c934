// A provider's "pending" answer (the STK push was sent, the PayPal order awaits the buyer) changes only the payment's
// own columns, so it is recorded by one statement instead of a transaction locking subscription, invoice and payment:
// 5 round trips fewer per renewal (docs/architecture.md, the billing run). The update takes the payment's
// row lock alone and holds no other while it waits for it, so it cannot deadlock with the writers that lock
// subscription, then invoice, then payment. A payment that is no longer PENDING is left alone: the caller then reads
// what it became.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubscriptionStatus } from '../domain/subscriptionStatus.js';
import { awaitingOf, type ChargeResult } from './chargeResult.js';
import type { PaymentKeys } from './recordChargeOutcome.js';
import type { ChargeOutcome } from './provider.js';

type Pending = Extract<ChargeOutcome, { kind: 'pending' }>;

interface UpdatedRow {
  provider: 'MPESA' | 'PAYPAL';
  created_at: Date;
  approval_url: string | null;
  hard_decline: boolean;
  subscription_status: SubscriptionStatus | null;
}

export interface RecordedPending {
  result: ChargeResult;
  payment: { provider: string; createdAt: Date };
}

/** Null when the payment was not PENDING (a callback settled it first): nothing was written. */
export async function recordPendingOutcome(
  em: EntityManager,
  { paymentId, invoiceId }: PaymentKeys,
  outcome: Pending,
): Promise<RecordedPending | null> {
  const awaitingBuyer = outcome.awaiting === 'buyerApproval';
  const [row] = await em.getConnection().execute<UpdatedRow[]>(
    `update payments p
     set provider_reference = ?, failure_code = null, failure_message = null,
       approval_url = case when ? then coalesce(?, p.approval_url) end, updated_at = now()
     from invoices i left join subscriptions s on s.id = i.subscription_id
     where p.id = ? and p.status = 'PENDING' and i.id = p.invoice_id and i.id = ?
     returning p.provider, p.created_at, p.approval_url, p.hard_decline, s.status as subscription_status`,
    [
      outcome.providerReference,
      awaitingBuyer,
      awaitingBuyer ? (outcome.approvalUrl ?? null) : null,
      paymentId,
      invoiceId,
    ],
  );
  if (!row) return null;
  const payment = {
    status: 'PENDING' as const,
    provider: row.provider,
    providerReference: outcome.providerReference,
    approvalUrl: row.approval_url,
  };
  return {
    result: {
      paymentId,
      status: 'PENDING',
      awaiting: awaitingOf(payment),
      hardDecline: row.hard_decline,
      failureCode: null,
      subscriptionStatus: row.subscription_status,
    },
    payment: { provider: row.provider, createdAt: new Date(row.created_at) },
  };
}
