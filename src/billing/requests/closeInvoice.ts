// An operator closes an unpaid invoice: voided (issued by mistake) or marked uncollectible (written off, kept for
// reports). Either way nothing more is collected for it. The change commits first; then the subscription's workflow
// is woken for that invoice (pay now), its charge finds nothing due, and a collection waiting to retry it ends.
// A charge the provider is already handling may still succeed: the money is then recorded (VOID -> PAID).
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockInvoice } from '../changes/lockInvoice.js';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { invoiceMachine } from '../../domain/invoiceStatus.js';
import { subscriptionMachine, statusAfterInvoiceClosed } from '../../domain/subscriptionStatus.js';
import { Invoice, type Subscription } from '../../entities/index.js';
import type { Caller } from '../../kernel/caller.js';
import { ConflictError } from '../../kernel/errors.js';
import { requireAdmin } from '../../kernel/policy.js';
import { parseInput } from '../../kernel/validate.js';
import type { SubscriptionLifecycle } from '../../temporal/subscriptionLifecycle.js';

export const closeInvoiceSchema = z.object({
  invoiceId: z.string().uuid('must be an invoice id (UUID)'),
  reason: z
    .string()
    .trim()
    .min(1, 'must say why')
    .max(500, 'must be at most 500 characters')
    .describe('Why, for the audit trail: e.g. "issued twice", "customer went out of business".'),
});

type Closing = 'VOID' | 'UNCOLLECTIBLE';

async function closeInvoice(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  to: Closing,
  input: z.input<typeof closeInvoiceSchema>,
): Promise<Invoice> {
  requireAdmin(caller);
  const { invoiceId, reason } = parseInput(closeInvoiceSchema, input);
  const invoice = await rootEm.fork().transactional(async (em) => {
    const { subscription, invoice: locked } = await lockInvoice(em, invoiceId);
    if (locked.status !== 'OPEN') {
      throw new ConflictError(
        `only an OPEN invoice can be ${to === 'VOID' ? 'voided' : 'written off'}; this one is ${locked.status}`,
        'input.invoiceId',
      );
    }
    invoiceMachine.assert(locked.status, to);
    locked.status = to;
    const statusChange = subscription ? await leaveArrears(em, subscription, locked) : null;
    recordAudit(em, caller, to === 'VOID' ? 'invoice.voided' : 'invoice.marked_uncollectible', 'Invoice', invoiceId, {
      reason,
      ...(statusChange ? { subscriptionStatus: statusChange } : {}),
    });
    return locked;
  });
  // After the commit: the workflow's charge must see the invoice closed.
  await lifecycle.invoiceClosed(invoice.subscription?.id ?? null, invoice.id);
  return invoice;
}

/** Voids an OPEN invoice issued by mistake. */
export function voidInvoice(
  em: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof closeInvoiceSchema>,
) {
  return closeInvoice(em, caller, lifecycle, 'VOID', input);
}

/** Writes an OPEN invoice off: no more collection, kept as UNCOLLECTIBLE for the reports. */
export function markInvoiceUncollectible(
  em: EntityManager,
  caller: Caller,
  lifecycle: SubscriptionLifecycle,
  input: z.input<typeof closeInvoiceSchema>,
) {
  return closeInvoice(em, caller, lifecycle, 'UNCOLLECTIBLE', input);
}

/** A subscription behind only on this invoice is in good standing once it is closed. */
async function leaveArrears(em: EntityManager, subscription: Subscription, closed: Invoice) {
  const otherOpen = await em.count(Invoice, { subscription, status: 'OPEN', id: { $ne: closed.id } });
  const next = statusAfterInvoiceClosed(subscription.status, otherOpen);
  subscriptionMachine.assert(subscription.status, next);
  const before = subscription.status;
  subscription.status = next;
  return { from: before, to: next };
}
