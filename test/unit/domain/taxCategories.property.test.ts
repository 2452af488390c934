// Properties of tax per category: whatever the mix of categories, rates, exemptions and credits, the totals per
// category are integers that add up exactly to the invoice's tax and total, and one category reproduces the
// single global rate the platform used before categories existed.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { taxAmount } from '../../../src/domain/tax.js';
import {
  categoryTax,
  effectiveTaxClass,
  isKraPin,
  normalizeKraPin,
  taxInvoice,
  type TaxClass,
} from '../../../src/domain/taxCategories.js';

const taxClass: fc.Arbitrary<TaxClass | null> = fc.oneof(
  fc.constant(null),
  fc.record({
    category: fc.constant('STANDARD' as const),
    rateBasisPoints: fc.oneof(fc.constant(1600), fc.integer({ min: 1, max: 10_000 })),
  }),
  fc.constant({ category: 'ZERO_RATED' as const, rateBasisPoints: 0 }),
  fc.constant({ category: 'EXEMPT' as const, rateBasisPoints: 0 }),
);
const line = fc.record({ amount: fc.integer({ min: -5_000_000, max: 50_000_000 }), taxClass });
const currency = fc.constantFrom('KES', 'USD', 'JPY');
const fallback = fc.record({ rateBasisPoints: fc.constantFrom(0, 1600, 825), name: fc.constant('VAT') });

describe('tax per category', () => {
  it('totals per category sum exactly, in integers, to the invoice tax and total', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.boolean(),
        fallback,
        currency,
        (lines, exempt, global, code) => {
          const invoice = taxInvoice(lines, exempt, global, code);
          const net = lines.reduce((sum, l) => sum + l.amount, 0);
          for (const total of invoice.byCategory) {
            expect(Number.isSafeInteger(total.taxable) && Number.isSafeInteger(total.tax)).toBe(true);
            if (total.category !== 'STANDARD') expect(total.tax).toBe(0);
          }
          expect(invoice.tax).toBe(invoice.byCategory.reduce((sum, t) => sum + t.tax, 0));
          expect(invoice.total).toBe(invoice.taxable + invoice.tax);
          expect(invoice.total).toBeGreaterThanOrEqual(0);
          if (net > 0) {
            // What the lines and the TAX lines add up to is what the invoice says, category by category.
            expect(invoice.byCategory.reduce((sum, t) => sum + t.taxable + t.tax, 0)).toBe(invoice.total);
            expect(invoice.taxable).toBe(net);
          } else {
            expect(invoice).toMatchObject({ taxable: 0, tax: 0, total: 0 });
          }
        },
      ),
    );
  });

  it('an exempt customer pays no tax on any line', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fallback, currency, (lines, global, code) => {
        const invoice = taxInvoice(lines, true, global, code);
        expect(invoice.tax).toBe(0);
        expect(invoice.lineClasses.every((c) => c.category === 'EXEMPT')).toBe(true);
      }),
    );
  });

  it('lines without a category are taxed exactly as the single global rate taxed them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5_000_000, max: 50_000_000 }), { maxLength: 12 }),
        fallback,
        currency,
        (amounts, global, code) => {
          const invoice = taxInvoice(
            amounts.map((amount) => ({ amount, taxClass: null })),
            false,
            global,
            code,
          );
          const taxable = Math.max(
            0,
            amounts.reduce((sum, a) => sum + a, 0),
          );
          expect(invoice.tax).toBe(taxAmount(taxable, global, code));
          expect(invoice.total).toBe(taxable + taxAmount(taxable, global, code));
        },
      ),
    );
  });

  it('rounds tax once per category, not per line', () => {
    // Three USD lines of 3 cents at 16 %: per line 0.48 → 0 each; on the category total of 9 cents, 1.44 → 1.
    const standard: TaxClass = { category: 'STANDARD', rateBasisPoints: 1600 };
    const invoice = taxInvoice(
      [3, 3, 3].map((amount) => ({ amount, taxClass: standard })),
      false,
      undefined,
      'USD',
    );
    expect(invoice.byCategory).toEqual([{ category: 'STANDARD', rateBasisPoints: 1600, taxable: 9, tax: 1 }]);
  });

  it('mixes categories on one KES invoice, each with its own total', () => {
    const invoice = taxInvoice(
      [
        { amount: 100_000, taxClass: { category: 'STANDARD', rateBasisPoints: 1600 } },
        { amount: 50_000, taxClass: { category: 'ZERO_RATED', rateBasisPoints: 0 } },
        { amount: 25_050, taxClass: { category: 'EXEMPT', rateBasisPoints: 0 } },
      ],
      false,
      undefined,
      'KES',
    );
    expect(invoice.byCategory).toEqual([
      { category: 'STANDARD', rateBasisPoints: 1600, taxable: 100_000, tax: 16_000 },
      { category: 'ZERO_RATED', rateBasisPoints: 0, taxable: 50_000, tax: 0 },
      { category: 'EXEMPT', rateBasisPoints: 0, taxable: 25_050, tax: 0 },
    ]);
    expect(invoice.total).toBe(191_050);
  });

  it('credits tax back on a credited standard line, half away from zero', () => {
    expect(categoryTax(-1_003, 1600, 'USD')).toBe(-160);
    expect(categoryTax(1_003, 1600, 'USD')).toBe(160);
    expect(categoryTax(-10_350, 1600, 'KES')).toBe(-1_700);
  });

  it('a zero-rated or exempt class carries no rate, whatever was stored', () => {
    expect(
      effectiveTaxClass({ category: 'ZERO_RATED', rateBasisPoints: 1600 }, false, {
        rateBasisPoints: 1600,
        name: 'VAT',
      }),
    ).toEqual({
      category: 'ZERO_RATED',
      rateBasisPoints: 0,
    });
  });

  it('recognizes KRA PINs: letter, nine digits, letter', () => {
    expect(isKraPin(normalizeKraPin(' a123456789z '))).toBe(true);
    for (const bad of ['A12345678Z', '1123456789Z', 'A1234567890', 'A123456789ZZ', ''])
      expect(isKraPin(bad)).toBe(false);
  });
});
