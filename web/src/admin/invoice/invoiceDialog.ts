// What every dialog of the invoice page is given: the invoice as the page read it, whether it is open, and what to
// do after (close) or once the API accepted (close and read the invoice again).
import type { AdminInvoiceQuery } from '../../graphql/graphql';

export type AdminInvoice = AdminInvoiceQuery['invoice'];

export interface InvoiceDialogProps {
  invoice: AdminInvoice;
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}
