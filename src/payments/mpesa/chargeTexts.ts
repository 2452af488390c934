// The two texts an STK push carries besides money. Daraja limits AccountReference to 12 characters and
// TransactionDesc to 13. The AccountReference is what the customer sees in the prompt ("… to <paybill> account
// INV26000042") and what the merchant's M-Pesa statement lists as the account number of the payment, so it must tell
// invoices apart: INV-2026-000042 cut to 12 characters was "INV-2026-000" for every invoice of the year.

const ACCOUNT_REFERENCE_MAX = 12;
const TRANSACTION_DESC_MAX = 13;
/** Our invoice numbers (src/billing/invoiceNumbers.ts): INV-<year>-<gapless number, 6 digits or more>. */
const OUR_INVOICE_NUMBER = /^INV-\d\d(\d\d)-(\d+)$/;

/**
 * INV-2026-000042 → INV26000042: the same invoice number without its dashes and century, 11 characters, unique for a
 * century (12 from invoice 1,000,000 of a year; past 9,999,999 a year the "INV" goes, 26 then the number). Any other
 * format keeps its letters and digits and, past 12, its end: the end tells numbers apart, the start rarely does.
 */
export function accountReference(invoiceNumber: string): string {
  const ours = OUR_INVOICE_NUMBER.exec(invoiceNumber);
  if (ours) {
    const [, year, sequence] = ours as unknown as [string, string, string];
    const short = `INV${year}${sequence}`;
    if (short.length <= ACCOUNT_REFERENCE_MAX) return short;
    return `${year}${sequence}`.slice(-ACCOUNT_REFERENCE_MAX);
  }
  const compact = invoiceNumber.replace(/[^A-Za-z0-9]/g, '');
  return compact.slice(-ACCOUNT_REFERENCE_MAX) || 'INVOICE';
}

/**
 * The charge's description in at most 13 printable characters, cut at a word boundary ("Invoice INV-2026-000042"
 * gives "Invoice", never "Invoice INV-2"); "Payment" when no word fits. Daraja rejects other characters.
 */
export function transactionDescription(description: string): string {
  const printable = description.replace(/[^\x20-\x7e]/g, '').trim();
  if (printable.length <= TRANSACTION_DESC_MAX && printable) return printable;
  let kept = '';
  for (const word of printable.split(/\s+/)) {
    const next = kept ? `${kept} ${word}` : word;
    if (next.length > TRANSACTION_DESC_MAX) break;
    kept = next;
  }
  return kept || 'Payment';
}

/**
 * The invoice numbers an account reference a customer typed on their phone may mean: ours as `accountReference`
 * writes it (INV26000042) or as printed (INV-2026-000042), in any case, with or without spaces and dashes. Usually one;
 * two when the digits split both ways (INV2026000042 is INV-2026-000042, or the 26,000,042nd invoice of 2020).
 */
export function invoiceNumbersFor(typed: string): string[] {
  const compact = compactReference(typed);
  const numbers = new Set<string>();
  const short = /^INV(\d\d)(\d{6,})$/.exec(compact);
  if (short) numbers.add(`INV-20${short[1]}-${short[2]}`);
  const full = /^INV(\d{4})(\d{6,})$/.exec(compact);
  if (full) numbers.add(`INV-${full[1]}-${full[2]}`);
  // Past invoice 9,999,999 of a year the reference drops "INV": 26 then the number (10 to 12 digits in all).
  const bare = /^(\d\d)(\d{8,10})$/.exec(compact);
  if (bare) numbers.add(`INV-20${bare[1]}-${bare[2]}`);
  return [...numbers];
}

/** What a customer typed as the account, upper-cased, without the spaces, dashes and dots phones let them add. */
export function compactReference(typed: string): string {
  return typed.toUpperCase().replace(/[\s\-_./#]/g, '');
}
