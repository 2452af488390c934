// Sales tax (e.g. Kenya's 16 % VAT) added on top of what an invoice charges, as its own line. Exact integer
// arithmetic: base × basis points / 10,000, rounded half up to a whole minor unit, then to what the provider can
// collect (whole shillings for KES).
import { collectableAmount } from './money.js';

export interface TaxSettings {
  /** 0 turns tax off. 1600 = 16 %. */
  rateBasisPoints: number;
  /** Shown on the line, e.g. "VAT". */
  name: string;
}

export const NO_TAX: TaxSettings = { rateBasisPoints: 0, name: 'VAT' };

export function taxAmount(base: number, tax: TaxSettings, currency: string): number {
  if (tax.rateBasisPoints <= 0 || base <= 0) return 0;
  const exact = (BigInt(base) * BigInt(tax.rateBasisPoints) + 5_000n) / 10_000n;
  return collectableAmount(Number(exact), currency);
}

export function taxDescription(tax: TaxSettings): string {
  const whole = Math.trunc(tax.rateBasisPoints / 100);
  const fraction = tax.rateBasisPoints % 100;
  return `${tax.name} ${fraction ? `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}` : whole} %`;
}
