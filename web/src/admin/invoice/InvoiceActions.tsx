// The corrections an operator can make to this invoice, each a button that opens its dialog; only those that apply
// are offered. A dialog the API accepted closes and the page reads the invoice again.
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { Section } from '../components/Section';
import { CloseInvoiceDialog } from './CloseInvoiceDialog';
import { CreditNoteDialog } from './CreditNoteDialog';
import { applicableActions, type InvoiceAction } from './invoiceActions';
import type { AdminInvoice } from './invoiceDialog';
import { OfflinePaymentDialog } from './OfflinePaymentDialog';
import { RefundDialog } from './RefundDialog';

const LABELS: Record<InvoiceAction, string> = {
  offlinePayment: 'Record offline payment',
  creditNote: 'Issue credit note',
  refund: 'Refund a payment',
  void: 'Void',
  writeOff: 'Write off',
};

export function InvoiceActions({ invoice, reload }: { invoice: AdminInvoice; reload: () => void }) {
  const [open, setOpen] = useState<InvoiceAction | null>(null);
  const actions = applicableActions(invoice);
  const dialog = (action: InvoiceAction) => ({
    invoice,
    opened: open === action,
    onClose: () => setOpen(null),
    onDone: () => {
      setOpen(null);
      reload();
    },
  });
  return (
    <Section title="Corrections">
      {actions.length === 0 ? (
        <Text>Nothing can be corrected on a {invoice.status.toLowerCase()} invoice.</Text>
      ) : (
        <Group gap="sm">
          {actions.map((action) => (
            <Button
              key={action}
              variant={action === 'void' || action === 'writeOff' ? 'default' : 'filled'}
              onClick={() => setOpen(action)}
            >
              {LABELS[action]}
            </Button>
          ))}
        </Group>
      )}
      {actions.includes('offlinePayment') && <OfflinePaymentDialog {...dialog('offlinePayment')} />}
      {actions.includes('creditNote') && <CreditNoteDialog {...dialog('creditNote')} />}
      {actions.includes('refund') && <RefundDialog {...dialog('refund')} />}
      {actions.includes('void') && <CloseInvoiceDialog closing="void" {...dialog('void')} />}
      {actions.includes('writeOff') && <CloseInvoiceDialog closing="writeOff" {...dialog('writeOff')} />}
    </Section>
  );
}
