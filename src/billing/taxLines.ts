// An invoice's lines as they are written: each with the tax category and rate it is taxed under, then one TAX line
// per category that owes tax (docs/tax.md). writeInvoice (period and proration invoices) and createInvoice (one-off
// invoices) write lines through here, so every invoice is taxed by the same rule.
import { taxDescription, type TaxSettings } from '../domain/tax.js';
import { taxInvoice, type TaxClass } from '../domain/taxCategories.js';
import type { Customer, Plan } from '../entities/index.js';

/** The class a plan's lines are taxed under: the plan's own, else its product's, else null (the global setting). */
export function planTaxClass(plan: Plan): TaxClass | null {
  const own = plan.taxCategory ? plan : plan.product.taxCategory ? plan.product : null;
  if (!own?.taxCategory) return null;
  return { category: own.taxCategory, rateBasisPoints: own.taxRateBasisPoints ?? 0 };
}

export interface TaxableLine {
  amount: number;
  taxClass: TaxClass | null;
}

export function taxLines<Line extends TaxableLine>(
  lines: readonly Line[],
  customer: Pick<Customer, 'taxExempt'>,
  settings: TaxSettings,
  currency: string,
) {
  const taxed = taxInvoice(lines, customer.taxExempt, settings, currency);
  const billed = lines.map(({ taxClass: _given, ...line }, index) => ({
    ...line,
    taxCategory: taxed.lineClasses[index]!.category,
    taxRateBasisPoints: taxed.lineClasses[index]!.rateBasisPoints,
  }));
  const tax = taxed.byCategory
    .filter((total) => total.tax !== 0)
    .map((total) => ({
      kind: 'TAX' as const,
      description: taxDescription({ name: settings.name, rateBasisPoints: total.rateBasisPoints }),
      quantity: 1,
      unitAmount: total.tax,
      amount: total.tax,
      taxCategory: total.category,
      taxRateBasisPoints: total.rateBasisPoints,
    }));
  return { lines: billed, taxLines: tax, tax: taxed.tax, total: taxed.total };
}

/**
 * What a change that lowers the price gives back as credit: the credit for the unused time with the tax it was billed
 * with (the old plan's class), less the charge for the rest of the period with its own (the new plan's), never below
 * 0. Credit is spent on later invoices after their tax, like money, so the tax paid on the unused time comes back
 * with it; crediting the difference before tax kept 16 % of it.
 */
export function prorationCredit(
  lines: readonly { amount: number }[],
  classes: { from: TaxClass | null; to: TaxClass | null },
  customer: Pick<Customer, 'taxExempt'>,
  settings: TaxSettings,
  currency: string,
): number {
  const withTax = (amount: number, taxClass: TaxClass | null) =>
    taxLines([{ amount, taxClass }], customer, settings, currency).total;
  const owed = lines.reduce(
    (sum, line) =>
      line.amount < 0 ? sum + withTax(-line.amount, classes.from) : sum - withTax(line.amount, classes.to),
    0,
  );
  return Math.max(0, owed);
}
