// Void an invoice issued by mistake, or write one off as uncollectible: both close an OPEN invoice for good and ask
// why, for the audit trail. One dialog, told which of the two it is.
import { Text, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { formErrors, NO_ERRORS } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import type { InvoiceDialogProps } from './invoiceDialog';
import { MarkInvoiceUncollectibleMutation, VoidInvoiceMutation } from './operations';
import { useDialogForm } from './useDialogForm';

const CLOSINGS = {
  void: {
    title: 'Void invoice',
    confirm: 'Void invoice',
    explains: 'Nothing more is collected for it; a subscription behind only on it is active again.',
    mutation: VoidInvoiceMutation,
  },
  writeOff: {
    title: 'Write off invoice',
    confirm: 'Write off',
    explains: 'It is marked uncollectible and kept for the reports; nothing more is collected for it.',
    mutation: MarkInvoiceUncollectibleMutation,
  },
} as const;

export function CloseInvoiceDialog({
  closing,
  invoice,
  opened,
  onClose,
  onDone,
}: InvoiceDialogProps & { closing: keyof typeof CLOSINGS }) {
  const shown = CLOSINGS[closing];
  const form = useDialogForm(opened, () => ({ reason: '' }), onDone);
  const [result, close] = useMutation(shown.mutation);
  const errors = form.sent ? formErrors(result.error, ['reason']) : NO_ERRORS;
  const reason = form.values.reason.trim();
  return (
    <ActionDialog
      title={shown.title}
      opened={opened}
      onClose={onClose}
      confirmLabel={shown.confirm}
      danger
      busy={result.fetching}
      confirmDisabled={!reason}
      error={errors.message}
      onConfirm={() => {
        if (!reason) return;
        form.send(() => close({ input: { invoiceId: invoice.id, reason } }));
      }}
    >
      <Text size="sm">
        {invoice.number}: {shown.explains}
      </Text>
      <TextInput
        label="Reason"
        description="For the audit trail, e.g. issued twice"
        value={form.values.reason}
        onChange={(event) => form.set({ reason: event.currentTarget.value })}
        error={errors.fields.reason}
      />
    </ActionDialog>
  );
}
