// What settles an invoice, as arithmetic on minor units: payments (charges and offline payments) and credit notes.
// The database holds the same rules as checks on `invoices` (Migration20261211000000_invoice_settlement); this
// module decides amounts before anything is written, so a refusal names the rule instead of a constraint.
//
//   remaining = amountDue - (amountCredited - amountCreditedAfterPayment) - amountPaid  >= 0
//   amountCreditedAfterPayment <= amountPaid
//
// A credit note first reduces what is still owed; what it credits beyond that gives back money already paid, to the
// customer's balance or as a refund.

export interface Settlement {
  /** Total less the balance credit applied at issue. */
  readonly amountDue: number;
  readonly amountPaid: number;
  readonly amountCredited: number;
  readonly amountCreditedAfterPayment: number;
}

export function remainingOf(s: Settlement): number {
  return s.amountDue - (s.amountCredited - s.amountCreditedAfterPayment) - s.amountPaid;
}

/** Paid money not yet given back by a credit note: the most a credit note may return to the customer. */
export function returnableOf(s: Settlement): number {
  return s.amountPaid - s.amountCreditedAfterPayment;
}

/** The most a new credit note may credit: what is still owed plus what was paid and not yet given back. */
export function creditableOf(s: Settlement): number {
  return remainingOf(s) + returnableOf(s);
}

export interface PaymentApplication {
  settlement: Settlement;
  /** What the payment settled of the invoice. */
  applied: number;
  /** What it paid beyond the invoice: the customer's balance credit. */
  overpaid: number;
}

/** A payment of `amount` received for the invoice: it settles what remains, and the rest is an overpayment. */
export function applyPayment(s: Settlement, amount: number): PaymentApplication {
  assertMinorUnits(amount, 'a payment');
  const applied = Math.min(amount, remainingOf(s));
  return { settlement: { ...s, amountPaid: s.amountPaid + applied }, applied, overpaid: amount - applied };
}

export interface CreditNoteSplit {
  settlement: Settlement;
  /** What the note takes off what is still owed. */
  reducesRemaining: number;
  /** What it gives back of money already paid: `toBalance + toRefund`. */
  returned: number;
  toBalance: number;
  toRefund: number;
}

export class SettlementRuleError extends Error {
  override name = 'SettlementRuleError';
  constructor(
    message: string,
    /** The input the rule concerns, e.g. `amount` or `refundAmount`. */
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * A credit note of `amount`: it reduces what is owed first; the rest gives paid money back, `refundAmount` of it as a
 * refund and the remainder to the balance. Refuses a note larger than what can be credited and a refund larger than
 * what the note gives back.
 */
export function applyCreditNote(s: Settlement, amount: number, refundAmount = 0): CreditNoteSplit {
  assertMinorUnits(amount, 'a credit note');
  if (!Number.isSafeInteger(refundAmount) || refundAmount < 0) {
    throw new SettlementRuleError('must be zero or a positive whole number of minor units', 'refundAmount');
  }
  const creditable = creditableOf(s);
  if (amount > creditable) {
    throw new SettlementRuleError(
      `must be at most ${creditable}: a credit note cannot credit more than the invoice still owes plus what was paid and not yet credited`,
      'amount',
    );
  }
  const reducesRemaining = Math.min(amount, remainingOf(s));
  const returned = amount - reducesRemaining;
  if (refundAmount > returned) {
    throw new SettlementRuleError(
      `must be at most ${returned}: only what the note gives back of money already paid can be refunded (the rest reduces what is owed)`,
      'refundAmount',
    );
  }
  return {
    settlement: {
      ...s,
      amountCredited: s.amountCredited + amount,
      amountCreditedAfterPayment: s.amountCreditedAfterPayment + returned,
    },
    reducesRemaining,
    returned,
    toBalance: returned - refundAmount,
    toRefund: refundAmount,
  };
}

function assertMinorUnits(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new SettlementRuleError(`${what} must be a positive whole number of minor units`, 'amount');
  }
}
