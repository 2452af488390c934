// Properties of invoice settlement over any sequence of payments (charges and offline payments, overpaying or not),
// credit notes (reducing what is owed, given back to the balance or refunded) and refunds of paid money: what remains
// is never negative, an invoice is never credited beyond what it billed, and nothing is refunded beyond what was
// paid. Refused steps (a note or refund too large) must change nothing. The database checks the same rules
// (test/integration/billing/settlement.property.test.ts runs sequences against Postgres).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  applyCreditNote,
  applyPayment,
  creditableOf,
  remainingOf,
  returnableOf,
  SettlementRuleError,
  type Settlement,
} from '../../../src/domain/invoiceSettlement.js';

type Step =
  | { kind: 'payment'; amount: number }
  | { kind: 'creditNote'; amount: number; refund: number }
  | { kind: 'refund'; amount: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('payment' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({
    kind: fc.constant('creditNote' as const),
    amount: fc.integer({ min: 1, max: 20_000 }),
    refund: fc.integer({ min: 0, max: 20_000 }),
  }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
);

interface Ledger {
  settlement: Settlement;
  /** Money received for the invoice, overpayments included. */
  received: number;
  /** Money given back through the provider, by credit notes and by plain refunds. */
  refunded: number;
  /** The part of `refunded` that credit notes gave back. */
  refundedByNotes: number;
  balance: number;
}

/** Applies one step as the use cases do; a refused step returns the ledger unchanged. */
function apply(ledger: Ledger, s: Step): Ledger {
  try {
    switch (s.kind) {
      case 'payment': {
        const { settlement, overpaid } = applyPayment(ledger.settlement, s.amount);
        return { ...ledger, settlement, received: ledger.received + s.amount, balance: ledger.balance + overpaid };
      }
      case 'creditNote': {
        // A refund is money that left through the provider: only what was received and not yet refunded.
        if (s.refund > ledger.received - ledger.refunded) return ledger;
        const split = applyCreditNote(ledger.settlement, s.amount, s.refund);
        return {
          ...ledger,
          settlement: split.settlement,
          refunded: ledger.refunded + split.toRefund,
          refundedByNotes: ledger.refundedByNotes + split.toRefund,
          balance: ledger.balance + split.toBalance,
        };
      }
      case 'refund':
        // A plain refund of a payment (no note): never beyond what was received and not yet refunded.
        return s.amount > ledger.received - ledger.refunded
          ? ledger
          : { ...ledger, refunded: ledger.refunded + s.amount };
    }
  } catch (error) {
    if (error instanceof SettlementRuleError) return ledger;
    throw error;
  }
}

describe('invoice settlement', () => {
  it('never owes less than nothing, credits beyond the bill, or refunds beyond what was paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.array(step, { maxLength: 30 }), (amountDue, steps) => {
        let ledger: Ledger = {
          settlement: { amountDue, amountPaid: 0, amountCredited: 0, amountCreditedAfterPayment: 0 },
          received: 0,
          refunded: 0,
          refundedByNotes: 0,
          balance: 0,
        };
        for (const s of steps) {
          ledger = apply(ledger, s);
          const { settlement } = ledger;
          expect(remainingOf(settlement)).toBeGreaterThanOrEqual(0);
          expect(settlement.amountCredited).toBeLessThanOrEqual(amountDue);
          expect(settlement.amountCreditedAfterPayment).toBeLessThanOrEqual(settlement.amountPaid);
          expect(settlement.amountPaid).toBeLessThanOrEqual(amountDue);
          expect(ledger.refunded).toBeLessThanOrEqual(ledger.received);
          expect(returnableOf(settlement)).toBeGreaterThanOrEqual(0);
          // Every unit received is kept on the invoice, sits on the balance, or went back by a note's refund.
          expect(ledger.received - ledger.refundedByNotes).toBe(
            settlement.amountPaid - settlement.amountCreditedAfterPayment + ledger.balance,
          );
          expect(creditableOf(settlement)).toBe(amountDue - settlement.amountCredited);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a credit note beyond what can be credited and a refund beyond what it gives back, naming the input', () => {
    const paid: Settlement = {
      amountDue: 10_000,
      amountPaid: 10_000,
      amountCredited: 0,
      amountCreditedAfterPayment: 0,
    };
    expect(() => applyCreditNote(paid, 10_001)).toThrow(SettlementRuleError);
    expect(() => applyCreditNote(paid, 10_001)).toThrow('must be at most 10000');
    const open: Settlement = { ...paid, amountPaid: 4_000 };
    // 6,000 is still owed: a note of 7,000 reduces that first and gives back only 1,000.
    expect(applyCreditNote(open, 7_000, 1_000)).toMatchObject({
      reducesRemaining: 6_000,
      toRefund: 1_000,
      toBalance: 0,
    });
    expect(() => applyCreditNote(open, 7_000, 1_001)).toThrow('must be at most 1000');
  });
});
