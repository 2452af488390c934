// A renewal's first two steps in one activity: issue the period's invoice, then make its first charge when it is to
// be collected at once. They always follow each other in a renewal; together they cost the workflow one activity
// and one workflow task fewer. Safe to run twice because each half is: the invoice is keyed by (subscription,
// period), the charge by (invoice, attempt 1), and a retry picks up a charge a crash left pending.
import type { IssuedInvoice } from '../billing/changes/issuePeriodInvoice.js';
import { issuePeriodInvoice, type IssuePeriodInvoiceInput } from '../billing/changes/issuePeriodInvoice.js';
import { collectsOnIssue } from '../domain/subscriptionStatus.js';
import { NO_TAX, type TaxSettings } from '../domain/tax.js';
import { chargeInvoice } from './chargeInvoice.js';
import type { ChargeResult } from './chargeResult.js';
import type { PaymentContext } from './paymentContext.js';

export interface IssuedAndCharged extends IssuedInvoice {
  /** Attempt 1's result; null when the invoice is not collected at once (see collectsOnIssue). */
  charge: ChargeResult | null;
}

export async function issueAndChargePeriodInvoice(
  ctx: PaymentContext,
  input: IssuePeriodInvoiceInput,
  tax: TaxSettings = NO_TAX,
): Promise<IssuedAndCharged> {
  const invoice = await issuePeriodInvoice(ctx.em, input, tax);
  const charge = collectsOnIssue(invoice.invoiceStatus, invoice.subscriptionStatus)
    ? await chargeInvoice(ctx, { invoiceId: invoice.invoiceId, attempt: 1 })
    : null;
  return { ...invoice, charge };
}
