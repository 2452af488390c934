// Builds the eTIMS sale of a finalized invoice from its stored lines (src/tax/etims/etimsPort.ts): items with their
// tax type letter, and totals per letter that are the same integers as the invoice's lines, so they sum to its total.
import type { StoredTaxLine } from '../../domain/taxCategories.js';
import { ETIMS_TAX_TYPES, etimsTaxType, type EtimsItem, type EtimsSale, type EtimsTaxType } from './etimsPort.js';

export interface SaleSource {
  invoiceId: string;
  invoiceNumber: string;
  issuedAt: Date;
  currency: string;
  total: number;
  sellerPin: string;
  buyerPin: string | null;
  lines: (StoredTaxLine & {
    description: string;
    quantity: number;
    unitAmount: number;
    itemClassificationCode: string | null;
  })[];
  /** KRA item classification code for items whose line carries none (ETIMS_ITEM_CLASSIFICATION_CODE). */
  classificationCode: string;
}

/** The sale, or the reason it cannot be sent (a line whose category and rate eTIMS has no letter for). */
export function etimsSale(source: SaleSource): EtimsSale | { refused: string } {
  const totals = Object.fromEntries(ETIMS_TAX_TYPES.map((letter) => [letter, { taxable: 0, tax: 0 }])) as Record<
    EtimsTaxType,
    { taxable: number; tax: number }
  >;
  const items: EtimsItem[] = [];
  for (const line of source.lines) {
    const letter = etimsTaxType(line.taxCategory, line.taxRateBasisPoints);
    if (!letter) {
      return {
        refused: `line "${line.description}" is taxed as ${line.taxCategory ?? 'no category'} at ${line.taxRateBasisPoints ?? '?'} basis points, which has no eTIMS tax type`,
      };
    }
    if (line.kind === 'TAX') {
      totals[letter].tax += line.amount;
      continue;
    }
    totals[letter].taxable += line.amount;
    items.push({
      itemSeq: items.length + 1,
      itemClsCd: line.itemClassificationCode ?? source.classificationCode,
      itemNm: line.description,
      qty: line.quantity,
      unitAmount: line.unitAmount,
      amount: line.amount,
      taxTyCd: letter,
    });
  }
  return {
    invoiceId: source.invoiceId,
    invoiceNumber: source.invoiceNumber,
    sellerPin: source.sellerPin,
    buyerPin: source.buyerPin,
    issuedAt: source.issuedAt,
    currency: source.currency,
    items,
    totals,
    total: source.total,
  };
}
