// An administrator issues a credit note on an invoice: a numbered document with a reason and lines, taking their sum
// off the invoice. It first reduces what the invoice still owes (an OPEN invoice with nothing left is PAID, and the
// workflow stops collecting it); the rest gives money already paid back, as the customer's balance credit and, for
// `refundAmount` of it, as refunds through the provider: planned by refundPlan.ts and written in the note's own
// transaction (so a note never exists without its refunds), their workflows started after the commit.
// The customer is emailed the note with its PDF. The caller's idempotency key issues one note however often it is
// sent.
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockInvoice } from '../billing/changes/lockInvoice.js';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { grantCredit } from '../billing/changes/customerCredit.js';
import { CREDIT_NOTE_NUMBERS, nextDocumentNumber } from '../billing/changes/invoiceNumbers.js';
import { markPaidIfSettled, settlementOf } from '../billing/changes/settleInvoice.js';
import { minorUnitAmount } from '../catalog/createPlan.js';
import { applyCreditNote, SettlementRuleError } from '../domain/invoiceSettlement.js';
import { CreditNote, CreditNoteLine, Invoice, Refund, Subscription } from '../entities/index.js';
import { CREDIT_NOTE_REASONS } from '../entities/CreditNote.js';
import { actorOf, type Caller } from '../kernel/caller.js';
import { ConflictError, ValidationError } from '../kernel/errors.js';
import { requireAdmin } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import { queueNotice } from '../notices/queueNotice.js';
import { writeRefund, type RefundStarter } from '../refunds/requestRefund.js';
import { refundPlan } from './refundPlan.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';

export const creditNoteLineSchema = z.object({
  description: z.string().trim().min(1, 'must say what is credited').max(500, 'must be at most 500 characters'),
  amount: minorUnitAmount.min(1, 'must be above 0').describe('Credited, in minor units (e.g. 50000 for KES 500.00).'),
});

export const issueCreditNoteSchema = z.object({
  invoiceId: z.string().uuid('must be an invoice id (UUID)'),
  reason: z.enum(CREDIT_NOTE_REASONS),
  memo: z.string().trim().max(1000, 'must be at most 1000 characters').nullish(),
  lines: z.array(creditNoteLineSchema).min(1, 'must have at least one line').max(50, 'must have at most 50 lines'),
  refundAmount: minorUnitAmount
    .default(0)
    .describe(
      'Of the money the note gives back (what it credits beyond what the invoice still owes), how much to refund ' +
        "through the provider; the rest goes to the customer's balance. 0 (the default) refunds nothing.",
    ),
  idempotencyKey: z
    .string()
    .trim()
    .min(8, 'must be at least 8 characters')
    .max(200, 'must be at most 200 characters')
    .describe('Chosen by the caller, e.g. a UUID: sending the same request again returns the same note.'),
});

export type IssueCreditNoteInput = z.input<typeof issueCreditNoteSchema>;
type Parsed = z.output<typeof issueCreditNoteSchema>;

export interface IssuedCreditNote {
  creditNote: CreditNote;
  /** It made the invoice PAID: the workflow collecting it must hear of it. */
  paidNow: boolean;
  /** Null for a one-off invoice. */
  subscriptionId: string | null;
  /** The refunds the note asks for, one per payment, written with it; their workflows start after the commit. */
  refunds: Refund[];
}

export async function issueCreditNote(
  rootEm: EntityManager,
  caller: Caller,
  lifecycle: Pick<SubscriptionLifecycle, 'invoiceClosed'>,
  input: IssueCreditNoteInput,
  now: Date = new Date(),
  refundWorkflows: RefundStarter = NO_REFUNDS,
): Promise<IssuedCreditNote> {
  requireAdmin(caller);
  const parsed = parseInput(issueCreditNoteSchema, input);
  const issued = await rootEm.fork().transactional(async (em) => {
    const { subscription, invoice } = await lockInvoice(em, parsed.invoiceId);
    const earlier = await em.findOne(CreditNote, { idempotencyKey: parsed.idempotencyKey });
    if (earlier)
      return {
        creditNote: sameRequestOrConflict(earlier, invoice),
        paidNow: false,
        subscriptionId: subscription?.id ?? null,
        // A repeat starts the refunds' workflows again: a first request that died after its commit left them unstarted.
        refunds: await em.find(Refund, { creditNoteId: earlier.id }),
      };
    return writeCreditNote(em, caller, parsed, invoice, subscription, now);
  });
  if (issued.paidNow) await lifecycle.invoiceClosed(issued.subscriptionId, issued.creditNote.invoice.id);
  // After the commit: each refund is its own durable work (starting one that runs already changes nothing).
  for (const refund of issued.refunds) await refundWorkflows.start(refund.id);
  return issued;
}

async function writeCreditNote(
  em: EntityManager,
  caller: Caller,
  parsed: Parsed,
  invoice: Invoice,
  subscription: Subscription | null,
  now: Date,
): Promise<IssuedCreditNote> {
  if (invoice.status !== 'OPEN' && invoice.status !== 'PAID') {
    throw new ConflictError(
      `only an OPEN or PAID invoice can be credited; this one is ${invoice.status}`,
      'input.invoiceId',
    );
  }
  const amount = parsed.lines.reduce((sum, line) => sum + line.amount, 0);
  const split = splitOrRefuse(invoice, amount, parsed.refundAmount);
  // Checked before anything is written: a note whose refund no payment can carry is refused whole.
  const plan = await refundPlan(em, invoice.id, split.toRefund);
  invoice.amountCredited = split.settlement.amountCredited;
  invoice.amountCreditedAfterPayment = split.settlement.amountCreditedAfterPayment;
  const paidNow = markPaidIfSettled(invoice, subscription, now);
  const actor = actorOf(caller);
  const creditNote = em.create(CreditNote, {
    number: await nextDocumentNumber(em, CREDIT_NOTE_NUMBERS, now),
    invoice,
    customer: invoice.customer,
    currency: invoice.currency,
    amount,
    reducesRemaining: split.reducesRemaining,
    creditedToBalance: split.toBalance,
    refundAmount: split.toRefund,
    reason: parsed.reason,
    memo: parsed.memo ?? null,
    idempotencyKey: parsed.idempotencyKey,
    issuedBy: `${actor.actorType.toLowerCase()}:${actor.actorId}`,
    issuedAt: now,
  });
  parsed.lines.forEach((line, index) => em.create(CreditNoteLine, { creditNote, position: index + 1, ...line }));
  await em.flush();
  if (split.toBalance > 0) {
    await grantCredit(em, {
      customerId: invoice.customer.id,
      subscriptionId: subscription?.id ?? null,
      currency: invoice.currency,
      amount: split.toBalance,
      description: `Credit note ${creditNote.number} on invoice ${invoice.number}`,
      dedupeKey: `credit-note:${creditNote.id}`,
      creditNoteId: creditNote.id,
    });
  }
  recordAudit(em, caller, 'invoice.credit_note_issued', 'Invoice', invoice.id, {
    creditNoteId: creditNote.id,
    number: creditNote.number,
    reason: parsed.reason,
    amount,
    currency: invoice.currency,
    reducesRemaining: split.reducesRemaining,
    creditedToBalance: split.toBalance,
    refundAmount: split.toRefund,
    invoiceStatus: invoice.status,
  });
  await queueNotice(em, {
    kind: 'credit_note_issued',
    dedupeKey: `credit_note_issued:${creditNote.id}`,
    subscriptionId: subscription?.id ?? null,
    customerId: invoice.customer.id,
    payload: {
      creditNoteId: creditNote.id,
      creditNoteNumber: creditNote.number,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount,
      currency: invoice.currency,
      creditedToBalance: split.toBalance,
      refundAmount: split.toRefund,
      memo: creditNote.memo,
    },
  });
  await em.flush();
  // Under each payment's lock, after the invoice's: the order every writer takes.
  const refunds: Refund[] = [];
  for (const piece of plan) {
    refunds.push(
      await writeRefund(em, caller, {
        paymentId: piece.paymentId,
        amount: piece.amount,
        reason: `Credit note ${creditNote.number}`,
        idempotencyKey: `credit-note:${creditNote.id}:payment:${piece.paymentId}`,
        creditNoteId: creditNote.id,
      }),
    );
  }
  return { creditNote, paidNow, subscriptionId: subscription?.id ?? null, refunds };
}

function splitOrRefuse(invoice: Invoice, amount: number, refundAmount: number) {
  try {
    return applyCreditNote(settlementOf(invoice), amount, refundAmount);
  } catch (error) {
    if (!(error instanceof SettlementRuleError)) throw error;
    // The note's amount is the sum of its lines, so that is where the caller fixes it.
    throw new ValidationError({ [error.field === 'amount' ? 'input.lines' : `input.${error.field}`]: error.message });
  }
}

function sameRequestOrConflict(earlier: CreditNote, invoice: Invoice): CreditNote {
  if (earlier.invoice.id === invoice.id) return earlier;
  throw new ConflictError(
    `this idempotency key already issued credit note ${earlier.number} on another invoice`,
    'input.idempotencyKey',
  );
}

/** For callers that never refund (setup code): a refund asked of it is a programming error, said loudly. */
const NO_REFUNDS: RefundStarter = {
  start: () => Promise.reject(new Error('issueCreditNote was given no refund workflows, yet the note refunds')),
};
