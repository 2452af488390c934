// What a billing run's invariants are when they hold for n subscriptions: nothing lost, nothing doubled, all PAID.
import type { Invariants } from '../../../bench/billingRunLib.js';

export function invariantsHolding(n: number): Invariants {
  return {
    subscriptions: n,
    doubleInvoices: 0,
    missingInvoices: 0,
    doubleSuccessfulPayments: 0,
    doubleCharges: 0,
    ledgerEntries: n,
    ledgerWithoutPayment: 0,
    unpaidInvoices: 0,
    notActive: 0,
    ok: true,
  };
}
