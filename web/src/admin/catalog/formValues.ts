// Reading the catalog forms: amounts typed as decimals become exact minor units in the form's currency, lists are
// one item per line, and what cannot be read is named by field so the form shows it there.
import { parseDecimalAmount } from '../../../../src/domain/money.js';

export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number.parseInt(text.trim(), 10) : null;
}

/** Minor units, or an error message for the field. */
export function amountOf(text: string, currency: string): number | string {
  const amount = parseDecimalAmount(text, currency);
  return amount === null ? `Enter an amount in ${currency || 'the currency'}, e.g. 1500 or 1500.50` : amount;
}
