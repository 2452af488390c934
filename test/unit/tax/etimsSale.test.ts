// The eTIMS sale built from an invoice's stored lines: tax type letters as KRA uses them, totals per letter that
// sum exactly to the invoice total, and a refusal naming the line whose rate eTIMS does not know.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { taxInvoice, type TaxClass } from '../../../src/domain/taxCategories.js';
import { etimsTaxType } from '../../../src/tax/etims/etimsPort.js';
import { etimsSale, type SaleSource } from '../../../src/tax/etims/etimsSale.js';

const source = (lines: SaleSource['lines'], total: number): SaleSource => ({
  invoiceId: '00000000-0000-4000-8000-000000000001',
  invoiceNumber: 'INV-2032-000001',
  issuedAt: new Date('2032-01-01T00:00:00Z'),
  currency: 'KES',
  total,
  sellerPin: 'P051234567Q',
  buyerPin: null,
  lines,
  classificationCode: '8111150000',
});

describe('eTIMS sale', () => {
  it('maps categories to eTIMS tax types A–E', () => {
    expect(etimsTaxType('EXEMPT', 0)).toBe('A');
    expect(etimsTaxType('STANDARD', 1600)).toBe('B');
    expect(etimsTaxType('ZERO_RATED', 0)).toBe('C');
    expect(etimsTaxType('STANDARD', 800)).toBe('E');
    expect(etimsTaxType('STANDARD', 1400)).toBeNull();
    expect(etimsTaxType(null, null)).toBeNull();
  });

  it('sums totals per tax type exactly to the invoice total', () => {
    const classes: TaxClass[] = [
      { category: 'STANDARD', rateBasisPoints: 1600 },
      { category: 'STANDARD', rateBasisPoints: 800 },
      { category: 'ZERO_RATED', rateBasisPoints: 0 },
      { category: 'EXEMPT', rateBasisPoints: 0 },
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ amount: fc.integer({ min: 1, max: 10_000_000 }), index: fc.integer({ min: 0, max: 3 }) }),
          {
            minLength: 1,
            maxLength: 10,
          },
        ),
        (drawn) => {
          const taxed = taxInvoice(
            drawn.map((d) => ({ amount: d.amount, taxClass: classes[d.index]! })),
            false,
            undefined,
            'KES',
          );
          const lines = [
            ...drawn.map((d, i) => ({
              kind: 'ITEM',
              description: `item ${i}`,
              quantity: 1,
              unitAmount: d.amount,
              amount: d.amount,
              taxCategory: taxed.lineClasses[i]!.category,
              taxRateBasisPoints: taxed.lineClasses[i]!.rateBasisPoints,
              itemClassificationCode: null,
            })),
            ...taxed.byCategory
              .filter((t) => t.tax !== 0)
              .map((t) => ({
                kind: 'TAX',
                description: 'VAT',
                quantity: 1,
                unitAmount: t.tax,
                amount: t.tax,
                taxCategory: t.category,
                taxRateBasisPoints: t.rateBasisPoints,
                itemClassificationCode: null,
              })),
          ];
          const sale = etimsSale(source(lines, taxed.total));
          if ('refused' in sale) throw new Error(sale.refused);
          const sum = Object.values(sale.totals).reduce((s, t) => s + t.taxable + t.tax, 0);
          expect(sum).toBe(taxed.total);
          expect(sale.items).toHaveLength(drawn.length);
          expect(sale.totals.A.tax + sale.totals.C.tax).toBe(0);
        },
      ),
    );
  });

  it("sends each item under its product's KRA item code, and the configured one where the line has none", () => {
    const line = (description: string, itemClassificationCode: string | null) => ({
      kind: 'PLAN',
      description,
      quantity: 1,
      unitAmount: 100,
      amount: 100,
      taxCategory: 'EXEMPT' as const,
      taxRateBasisPoints: 0,
      itemClassificationCode,
    });
    const sale = etimsSale(source([line('Schools plan', '8610150000'), line('Setup fee', null)], 200));
    if ('refused' in sale) throw new Error(sale.refused);
    expect(sale.items.map((item) => [item.itemNm, item.itemClsCd])).toEqual([
      ['Schools plan', '8610150000'],
      ['Setup fee', '8111150000'],
    ]);
  });

  it('refuses a line at a rate eTIMS has no tax type for, naming it', () => {
    const sale = etimsSale(
      source(
        [
          {
            kind: 'PLAN',
            description: 'Pro monthly',
            quantity: 1,
            unitAmount: 100,
            amount: 100,
            taxCategory: 'STANDARD',
            taxRateBasisPoints: 1400,
            itemClassificationCode: null,
          },
        ],
        114,
      ),
    );
    expect(sale).toEqual({ refused: expect.stringContaining('line "Pro monthly"') });
  });
});
