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

/** "seats = 5" per line as a plan's limits (whole numbers, as the API takes them), or an error for the field. */
export function limitsOf(text: string): Record<string, number> | string {
  const limits: Record<string, number> = {};
  for (const line of lines(text)) {
    const match = /^([^=]+)=\s*(\d+)$/.exec(line);
    if (!match) return `Write each limit as name = whole number, e.g. tills = 5 (not "${line}")`;
    limits[match[1]!.trim()] = Number.parseInt(match[2]!, 10);
  }
  return limits;
}
