// Tax categories (Kenyan VAT as eTIMS knows it): a plan or its product is STANDARD-rated (16 % unless its rate
// says otherwise), ZERO_RATED (taxable at 0 %: exports, some foods) or EXEMPT (outside VAT: e.g. some financial
// and educational services); a customer holding a VAT exemption certificate is EXEMPT on everything they buy.
//
// Rounding rule: tax is computed once per category (per category and rate), on the sum of that category's lines,
// rounded half away from zero to a minor unit and then to what the provider can collect. Not per line, because
// KRA's eTIMS receipt carries one taxable amount and one tax amount per category (taxblAmtA/taxAmtA, ...) and
// checks tax = taxable × rate there; rounding each line would drift from that by up to half a unit per line. Each
// category becomes at most one TAX line on the invoice, so the lines, the totals per category and the invoice
// total are the same integers added in a different order: they sum exactly by construction.
import { collectableAmount } from './money.js';
import { NO_TAX, type TaxSettings } from './tax.js';

export const TAX_CATEGORIES = ['STANDARD', 'ZERO_RATED', 'EXEMPT'] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];

/** Kenya's standard VAT rate, 16 %, in basis points. */
export const STANDARD_RATE_BASIS_POINTS = 1600;

/** KRA PIN: a letter, nine digits, a letter (A123456789Z). Upper case once normalized. */
export const KRA_PIN = /^[A-Z]\d{9}[A-Z]$/;

export function normalizeKraPin(pin: string): string {
  return pin.trim().toUpperCase();
}

export function isKraPin(pin: string): boolean {
  return KRA_PIN.test(pin);
}

/** What a plan (or, failing that, its product) says about tax. */
export interface TaxClass {
  category: TaxCategory;
  /** STANDARD only; 0 < rate ≤ 10,000. */
  rateBasisPoints: number;
}

export interface TaxedLineInput {
  amount: number;
  /** null: the plan and its product name no category, so the global setting applies (old plans). */
  taxClass: TaxClass | null;
}

export interface CategoryTotal {
  category: TaxCategory;
  rateBasisPoints: number;
  /** Sum of the category's lines (may be negative on a proration that credits unused time). */
  taxable: number;
  tax: number;
}

/**
 * The class a line is taxed under: an exempt customer is EXEMPT on everything; a line with no class takes the
 * global setting (STANDARD at its rate, or no tax at all when the setting is off: then it is reported ZERO_RATED
 * at 0 %, which taxes nothing, as before categories existed).
 */
export function effectiveTaxClass(line: TaxClass | null, customerExempt: boolean, fallback: TaxSettings): TaxClass {
  if (customerExempt) return { category: 'EXEMPT', rateBasisPoints: 0 };
  if (line) return line.category === 'STANDARD' ? line : { category: line.category, rateBasisPoints: 0 };
  return fallback.rateBasisPoints > 0
    ? { category: 'STANDARD', rateBasisPoints: fallback.rateBasisPoints }
    : { category: 'ZERO_RATED', rateBasisPoints: 0 };
}

/** Tax on a category's taxable sum: base × rate / 10,000, half away from zero, then collectable (whole KES). */
export function categoryTax(taxable: number, rateBasisPoints: number, currency: string): number {
  if (rateBasisPoints <= 0 || taxable === 0) return 0;
  const size = BigInt(Math.abs(taxable));
  const exact = Number((size * BigInt(rateBasisPoints) + 5_000n) / 10_000n);
  return collectableAmount(taxable < 0 ? -exact : exact, currency);
}

const ORDER: Readonly<Record<TaxCategory, number>> = { STANDARD: 0, ZERO_RATED: 1, EXEMPT: 2 };

/**
 * Totals per category (and rate) of lines already carrying their effective class, in a stable order. When the
 * lines add up to 0 or less the invoice charges nothing and no tax is levied (as writeInvoice always did: the
 * credit goes to the balance, not to a negative invoice), so every category's tax is 0 then.
 */
export function totalsByCategory(
  lines: readonly { amount: number; taxClass: TaxClass }[],
  currency: string,
): CategoryTotal[] {
  const groups = new Map<string, CategoryTotal>();
  for (const line of lines) {
    const key = `${line.taxClass.category}:${line.taxClass.rateBasisPoints}`;
    const group = groups.get(key) ?? { ...line.taxClass, taxable: 0, tax: 0 };
    group.taxable += line.amount;
    groups.set(key, group);
  }
  const net = lines.reduce((sum, line) => sum + line.amount, 0);
  const totals = [...groups.values()].map((group) => ({
    ...group,
    tax: net > 0 ? categoryTax(group.taxable, group.rateBasisPoints, currency) : 0,
  }));
  // A credited STANDARD line can outweigh the tax on the rest; the invoice never goes below 0 for it.
  const taxSum = totals.reduce((sum, total) => sum + total.tax, 0);
  if (net > 0 && net + taxSum < 0) for (const total of totals) total.tax = 0;
  return totals.sort((a, b) => ORDER[a.category] - ORDER[b.category] || b.rateBasisPoints - a.rateBasisPoints);
}

export interface TaxedInvoice {
  /** Each input line's effective class, in input order. */
  lineClasses: TaxClass[];
  byCategory: CategoryTotal[];
  taxable: number;
  tax: number;
  total: number;
}

/** An invoice's tax: each line's class, the totals per category, and the total they sum to (never below 0). */
export function taxInvoice(
  lines: readonly TaxedLineInput[],
  customerExempt: boolean,
  fallback: TaxSettings = NO_TAX,
  currency: string,
): TaxedInvoice {
  const lineClasses = lines.map((line) => effectiveTaxClass(line.taxClass, customerExempt, fallback));
  const byCategory = totalsByCategory(
    lines.map((line, index) => ({ amount: line.amount, taxClass: lineClasses[index]! })),
    currency,
  );
  const taxable = Math.max(
    0,
    byCategory.reduce((sum, total) => sum + total.taxable, 0),
  );
  const tax = byCategory.reduce((sum, total) => sum + total.tax, 0);
  return { lineClasses, byCategory, taxable, tax, total: taxable + tax };
}

export interface StoredTaxLine {
  kind: string;
  amount: number;
  taxCategory: TaxCategory | null;
  taxRateBasisPoints: number | null;
}

export interface StoredCategoryTotal {
  /** null: lines written before categories existed, taxed (if at all) by the global setting of their day. */
  category: TaxCategory | null;
  rateBasisPoints: number | null;
  taxable: number;
  tax: number;
}

/**
 * Totals per category read back from an invoice's (or a credit note's) stored lines: each TAX line's amount is the
 * tax of its category, every other line adds to that category's taxable amount. The same integers as the lines,
 * so the totals sum to what the lines sum to.
 */
export function totalsOfStoredLines(lines: readonly StoredTaxLine[]): StoredCategoryTotal[] {
  const groups = new Map<string, StoredCategoryTotal>();
  for (const line of lines) {
    const key = `${line.taxCategory}:${line.taxCategory === null ? null : line.taxRateBasisPoints}`;
    const group = groups.get(key) ?? {
      category: line.taxCategory,
      rateBasisPoints: line.taxCategory === null ? null : line.taxRateBasisPoints,
      taxable: 0,
      tax: 0,
    };
    if (line.kind === 'TAX') group.tax += line.amount;
    else group.taxable += line.amount;
    groups.set(key, group);
  }
  const rank = (total: StoredCategoryTotal) => (total.category === null ? 3 : ORDER[total.category]);
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || (b.rateBasisPoints ?? 0) - (a.rateBasisPoints ?? 0));
}
