// The eTIMS submission port (docs/tax.md): what KRA's OSCU/VSCU sales message needs from a finalized invoice, and
// the interface an adapter implements. The adapter, its stand-in server and the activity that submits each invoice
// once are not built yet; this is the data contract they share, built from what the invoice already stores.
import type { TaxCategory } from '../../domain/taxCategories.js';

/**
 * eTIMS tax type letters: A exempt, B 16 %, C zero-rated, D non-VAT, E 8 %. A STANDARD line at another rate has no
 * letter: eTIMS knows only these rates, so such an invoice cannot be submitted (etimsTaxType says so).
 */
export type EtimsTaxType = 'A' | 'B' | 'C' | 'D' | 'E';
export const ETIMS_TAX_TYPES: readonly EtimsTaxType[] = ['A', 'B', 'C', 'D', 'E'];

export function etimsTaxType(category: TaxCategory | null, rateBasisPoints: number | null): EtimsTaxType | null {
  if (category === 'EXEMPT') return 'A';
  if (category === 'ZERO_RATED') return 'C';
  if (category === 'STANDARD' && rateBasisPoints === 1600) return 'B';
  if (category === 'STANDARD' && rateBasisPoints === 800) return 'E';
  return null;
}

export interface EtimsItem {
  /** 1-based, in invoice order. */
  itemSeq: number;
  /** KRA item classification code; the product's own when mapped, else the configured default. */
  itemClsCd: string;
  itemNm: string;
  qty: number;
  /** Minor units, as everywhere in the platform; the adapter writes decimals on the wire. */
  unitAmount: number;
  amount: number;
  taxTyCd: EtimsTaxType;
}

export interface EtimsSale {
  /** The invoice's number: eTIMS's trader invoice number, and what makes a submission idempotent with its id. */
  invoiceId: string;
  invoiceNumber: string;
  sellerPin: string;
  buyerPin: string | null;
  issuedAt: Date;
  currency: string;
  items: EtimsItem[];
  /** Per tax type letter: taxable amount and tax, minor units. Every letter present, 0 when unused (as eTIMS expects). */
  totals: Record<EtimsTaxType, { taxable: number; tax: number }>;
  total: number;
}

/** What the control unit answers, stored back on the invoice and printed on it. */
export interface EtimsReceipt {
  receiptNumber: string;
  /** The control unit's signature over the receipt. */
  signature: string;
  internalData: string;
  qrCodeUrl: string;
  signedAt: Date;
}

export interface EtimsPort {
  /** Submits one sale; the same invoice id sent again returns the first receipt (the control unit deduplicates too). */
  submitSale(sale: EtimsSale): Promise<EtimsReceipt>;
}
