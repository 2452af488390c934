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
