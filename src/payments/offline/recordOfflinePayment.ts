// An administrator records money received outside the providers: a bank transfer, cash, a cheque. It settles what
// the invoice still owes, partly or fully; what it pays beyond that becomes the customer's balance credit. A paid
// invoice ends the subscription's arrears like a charge would, and the workflow is told so its collection stops.
//
// The reference is the payment's business identity: the same (customer, method, reference) is recorded once. Sending
// the same request again returns the first record; the same reference for another amount or invoice is refused.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockInvoice } from '../../billing/changes/lockInvoice.js';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { settleInvoice } from '../../billing/changes/settleInvoice.js';
import { minorUnitAmount } from '../../catalog/createPlan.js';
import { isCurrencyCode } from '../../domain/money.js';
import { OfflinePayment, type Invoice } from '../../entities/index.js';
import { OFFLINE_PAYMENT_METHODS } from '../../entities/OfflinePayment.js';
import { actorOf, type Caller } from '../../kernel/caller.js';
import { ConflictError, ValidationError } from '../../kernel/errors.js';
import { requireAdmin } from '../../kernel/policy.js';
import { parseInput } from '../../kernel/validate.js';
import { queueNotice } from '../../notices/queueNotice.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';

/** A clock skew allowance: "received now" typed on a machine a little ahead is not "in the future". */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export const recordOfflinePaymentSchema = z.object({
  invoiceId: z.string().uuid('must be an invoice id (UUID)'),
  amount: minorUnitAmount
    .min(1, 'must be above 0')
    .describe('What was received, in minor units (e.g. 150000 for KES 1,500.00).'),
  currency: z
    .string()
    .refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. KES or USD')
    .describe("The received money's currency: it must be the invoice's."),
  method: z.enum(OFFLINE_PAYMENT_METHODS),
  reference: z
    .string()
    .trim()
    .min(1, 'must name the transfer, cheque or receipt')
    .max(200, 'must be at most 200 characters')
    .describe("The bank's transfer reference, the cheque number or the cash receipt number."),
  receivedAt: z.date().describe('When the money arrived.'),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').nullish(),
});

export type RecordOfflinePaymentInput = z.input<typeof recordOfflinePaymentSchema>;

export async function recordOfflinePayment(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: Pick<SubscriptionLifecycle, 'invoiceClosed'>,
  input: RecordOfflinePaymentInput,
  now: Date = new Date(),
): Promise<OfflinePayment> {
  requireAdmin(caller);
  const parsed = parseInput(recordOfflinePaymentSchema, input);
  if (parsed.receivedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError({ 'input.receivedAt': 'must not be in the future' });
  }
  const { payment, paidNow, subscriptionId } = await rootEm.fork().transactional(async (em) => {
    const { subscription, invoice } = await lockInvoice(em, parsed.invoiceId);
    const earlier = await sameReference(em, invoice.customer.id, parsed.method, parsed.reference);
    if (earlier)
      return {
        payment: sameRequestOrConflict(earlier, invoice, parsed),
        paidNow: false,
        subscriptionId: subscription?.id ?? null,
      };
    refuseUnpayable(invoice, parsed.currency);

    const id = randomUUID();
    const settled = await settleInvoice(em, {
      subscription,
      invoice,
      amount: parsed.amount,
      receivedAt: parsed.receivedAt,
      source: `offline-payment:${id}`,
      description: `Paid beyond invoice ${invoice.number} (${describeMethod(parsed.method)} ${parsed.reference})`,
    });
    const payment = em.create(OfflinePayment, {
      id,
      invoice,
      customer: invoice.customer,
      method: parsed.method,
      amount: parsed.amount,
      currency: invoice.currency,
      appliedToInvoice: settled.applied,
      creditedToBalance: settled.overpaid,
      reference: parsed.reference,
      note: parsed.note ?? null,
      receivedAt: parsed.receivedAt,
      recordedBy: `${actorOf(caller).actorType.toLowerCase()}:${actorOf(caller).actorId}`,
    });
    recordAudit(em, caller, 'invoice.offline_payment_recorded', 'Invoice', invoice.id, {
      offlinePaymentId: payment.id,
      method: parsed.method,
      reference: parsed.reference,
      amount: parsed.amount,
      currency: invoice.currency,
      appliedToInvoice: settled.applied,
      creditedToBalance: settled.overpaid,
      invoiceStatus: invoice.status,
    });
    await em.flush();
    await queueNotice(em, {
      kind: 'payment_receipt',
      dedupeKey: `payment_receipt:offline:${payment.id}`,
      subscriptionId: subscription?.id ?? null,
      customerId: invoice.customer.id,
      payload: {
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        offlinePaymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        provider: parsed.method,
        reference: parsed.reference,
      },
    });
    return { payment, paidNow: settled.paidNow, subscriptionId: subscription?.id ?? null };
  });
  // After the commit: a collection waiting to retry the invoice looks again, finds nothing due and ends.
  if (paidNow) await lifecycle.invoiceClosed(subscriptionId, payment.invoice.id);
  return payment;
}

async function sameReference(
  em: EntityManager,
  customerId: string,
  method: string,
  reference: string,
): Promise<OfflinePayment | null> {
  // The unique index's own expression, so this finds exactly what the index would refuse.
  const [row] = await em.execute<{ id: string }[]>(
    `select id from offline_payments where customer_id = ? and method = ? and lower(btrim(reference)) = lower(btrim(?))`,
    [customerId, method, reference],
  );
  return row ? em.findOneOrFail(OfflinePayment, { id: row.id }) : null;
}

function sameRequestOrConflict(
  earlier: OfflinePayment,
  invoice: Invoice,
  parsed: z.output<typeof recordOfflinePaymentSchema>,
): OfflinePayment {
  if (earlier.invoice.id === invoice.id && earlier.amount === parsed.amount) return earlier;
  throw new ConflictError(
    `${describeMethod(parsed.method)} ${parsed.reference} was already recorded for this customer ` +
      `(${earlier.amount} minor units on another request): a reference is recorded once`,
    'input.reference',
  );
}

function refuseUnpayable(invoice: Invoice, currency: string): void {
  if (currency !== invoice.currency) {
    throw new ValidationError({ 'input.currency': `must be the invoice's currency, ${invoice.currency}` });
  }
  if (invoice.status === 'VOID' || invoice.status === 'DRAFT') {
    throw new ConflictError(
      `a payment cannot be recorded on a ${invoice.status} invoice: it owes nothing`,
      'input.invoiceId',
    );
  }
  if (invoice.amountRemaining === 0) {
    throw new ConflictError(
      `invoice ${invoice.number} owes nothing (${invoice.status}); money received beyond it belongs on the customer's balance`,
      'input.invoiceId',
    );
  }
}

function describeMethod(method: string): string {
  return method.toLowerCase().replace('_', ' ');
}
