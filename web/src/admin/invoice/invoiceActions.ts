// Which corrections apply to an invoice as it stands, so the page offers only those the API would accept: money is
// recorded only while something is owed, a note only on an OPEN or PAID invoice, a refund only on a succeeded
// provider payment with something left to give back, void and write-off only while OPEN.
import type { AdminInvoice } from './invoiceDialog';

export type InvoiceAction = 'offlinePayment' | 'creditNote' | 'refund' | 'void' | 'writeOff';

export function refundablePayments(invoice: AdminInvoice) {
  return invoice.payments.filter(
    (payment) => payment.status === 'SUCCEEDED' && payment.amountRefunded.amount < payment.amount.amount,
  );
}

export function applicableActions(invoice: AdminInvoice): InvoiceAction[] {
  const open = invoice.status === 'OPEN';
  const actions: InvoiceAction[] = [];
  if (open && invoice.amountRemaining.amount > 0) actions.push('offlinePayment');
  if (open || invoice.status === 'PAID') actions.push('creditNote');
  if (refundablePayments(invoice).length > 0) actions.push('refund');
  if (open) actions.push('void', 'writeOff');
  return actions;
}
