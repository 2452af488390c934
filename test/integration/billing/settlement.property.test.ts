// Settlement against the real Postgres: random sequences of offline payments and credit notes (to the balance) on
// one invoice, through the use cases. Every step either succeeds or is refused with a UseCaseError naming the rule
// (never a database error), a refused step writes nothing, and after every step the invoice's figures agree with
// its payments, notes and the customer's balance. The checks on `invoices` would stop a wrong write; this proves the
// use cases never try one.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { creditBalance } from '../../../src/billing/changes/customerCredit.js';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import { issueCreditNote } from '../../../src/creditNotes/issueCreditNote.js';
import type { Orm } from '../../../src/db/orm.js';
import { CreditNote, Invoice, OfflinePayment, Subscription } from '../../../src/entities/index.js';
import { UseCaseError } from '../../../src/kernel/errors.js';
import { recordOfflinePayment } from '../../../src/payments/offline/recordOfflinePayment.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, admin, aPlan } from '../../support/fixtures.js';

const noWorkflow = { invoiceClosed: async () => undefined };

type Step = { kind: 'pay'; amount: number } | { kind: 'credit'; amount: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 12_000 }) }),
  fc.record({ kind: fc.constant('credit' as const), amount: fc.integer({ min: 1, max: 12_000 }) }),
);

describe('settlement on Postgres', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await testOrm();
  });
  afterAll(async () => {
    await orm.close();
  });

  async function freshInvoice(): Promise<{ invoiceId: string; customerId: string }> {
    const plan = await aPlan(orm.em, { amount: 10_000, currency: 'KES', trialDays: 0 });
    const customer = await aCustomer(orm.em);
    const em = orm.em.fork();
    const subscription = em.create(Subscription, {
      customer: customer.id,
      plan: plan.id,
      status: 'INCOMPLETE',
      billingAnchor: new Date(Date.now() - 60_000),
    });
    await em.flush();
    const { invoiceId } = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 });
    return { invoiceId, customerId: customer.id };
  }

  async function run(invoiceId: string, s: Step): Promise<'accepted' | 'refused'> {
    try {
      if (s.kind === 'pay') {
        await recordOfflinePayment(orm.em, admin, noWorkflow, {
          invoiceId,
          amount: s.amount,
          currency: 'KES',
          method: 'CASH',
          reference: randomUUID(),
          receivedAt: new Date(),
        });
      } else {
        await issueCreditNote(orm.em, admin, noWorkflow, {
          invoiceId,
          reason: 'OTHER',
          lines: [{ description: 'Adjustment', amount: s.amount }],
          idempotencyKey: randomUUID(),
        });
      }
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(UseCaseError);
      return 'refused';
    }
  }

  async function snapshot(invoiceId: string, customerId: string) {
    const em = orm.em.fork();
    const [invoice, payments, notes, balance] = await Promise.all([
      em.findOneOrFail(Invoice, { id: invoiceId }),
      em.find(OfflinePayment, { invoice: invoiceId }),
      em.find(CreditNote, { invoice: invoiceId }),
      creditBalance(em, customerId, 'KES'),
    ]);
    return { invoice, payments, notes, balance };
  }

  it('keeps every invoice figure consistent whatever is paid and credited, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const { invoiceId, customerId } = await freshInvoice();
        for (const s of steps) {
          const before = await snapshot(invoiceId, customerId);
          const outcome = await run(invoiceId, s);
          const after = await snapshot(invoiceId, customerId);
          if (outcome === 'refused') {
            expect(after.payments).toHaveLength(before.payments.length);
            expect(after.notes).toHaveLength(before.notes.length);
            expect(after.invoice.amountRemaining).toBe(before.invoice.amountRemaining);
            expect(after.balance).toBe(before.balance);
          }
          const { invoice, payments, notes, balance } = after;
          const applied = payments.reduce((sum, p) => sum + p.appliedToInvoice, 0);
          const overpaid = payments.reduce((sum, p) => sum + p.creditedToBalance, 0);
          const reduced = notes.reduce((sum, n) => sum + n.reducesRemaining, 0);
          const returned = notes.reduce((sum, n) => sum + n.creditedToBalance, 0);
          expect(invoice.amountPaid).toBe(applied);
          expect(invoice.amountCredited).toBe(reduced + returned);
          expect(invoice.amountRemaining).toBe(invoice.amountDue - reduced - applied);
          expect(invoice.amountRemaining).toBeGreaterThanOrEqual(0);
          expect(invoice.status).toBe(invoice.amountRemaining === 0 ? 'PAID' : 'OPEN');
          expect(balance).toBe(overpaid + returned);
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
