// Record money received outside M-Pesa and PayPal (a bank transfer, cash, a cheque) against the invoice. The amount
// is typed in the currency's decimals and sent in exact minor units; the API's refusal (a reference recorded before
// for another amount, a date in the future) is shown at the field it names.
import { NativeSelect, Textarea, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { toDecimalString } from '../../../../src/domain/money.js';
import { formErrors, NO_ERRORS } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import type { OfflinePaymentMethod } from '../../graphql/graphql';
import { amountOf } from '../catalog/formValues';
import { money } from '../components/money';
import type { InvoiceDialogProps } from './invoiceDialog';
import { RecordOfflinePaymentMutation } from './operations';
import { useDialogForm } from './useDialogForm';

const METHODS: { value: OfflinePaymentMethod; label: string }[] = [
  { value: 'BANK_TRANSFER', label: 'Bank transfer' },
  { value: 'CASH', label: 'Cash' },
  { value: 'CHEQUE', label: 'Cheque' },
  { value: 'OTHER', label: 'Other' },
];
const FIELDS = ['amount', 'currency', 'method', 'reference', 'receivedAt', 'note'];

/** Today in East Africa Time, the console's time zone, as the date field writes it. */
function todayInNairobi(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'Africa/Nairobi' });
}

export function OfflinePaymentDialog({ invoice, opened, onClose, onDone }: InvoiceDialogProps) {
  const currency = invoice.amountRemaining.currency;
  const form = useDialogForm(
    opened,
    () => ({
      amount: toDecimalString(invoice.amountRemaining),
      method: 'BANK_TRANSFER' as OfflinePaymentMethod,
      reference: '',
      receivedOn: todayInNairobi(),
      note: '',
    }),
    onDone,
  );
  const [result, record] = useMutation(RecordOfflinePaymentMutation);
  const errors = form.sent ? formErrors(result.error, FIELDS) : NO_ERRORS;
  const amount = amountOf(form.values.amount, currency);
  const reference = form.values.reference.trim();
  const typed = {
    amount: typeof amount === 'string' ? amount : undefined,
    reference: reference ? undefined : 'Enter the transfer reference, cheque number or receipt number',
  };
  return (
    <ActionDialog
      title="Record offline payment"
      opened={opened}
      onClose={onClose}
      confirmLabel="Record payment"
      busy={result.fetching}
      confirmDisabled={typeof amount === 'string' || !reference}
      error={errors.message}
      onConfirm={() => {
        if (typeof amount === 'string' || !reference) return;
        form.send(() =>
          record({
            input: {
              invoiceId: invoice.id,
              amount,
              currency,
              method: form.values.method,
              reference,
              // The start of the day in Nairobi: the day the operator saw the money arrive, never in the future.
              receivedAt: new Date(`${form.values.receivedOn}T00:00:00+03:00`).toISOString(),
              note: form.values.note.trim() || undefined,
            },
          }),
        );
      }}
    >
      <TextInput
        label={`Amount received (${currency})`}
        description={`Still owed: ${money(invoice.amountRemaining)}`}
        inputMode="decimal"
        value={form.values.amount}
        onChange={(event) => form.set({ amount: event.currentTarget.value })}
        error={errors.fields.amount ?? errors.fields.currency ?? typed.amount}
      />
      <NativeSelect
        label="Method"
        data={METHODS}
        value={form.values.method}
        onChange={(event) => form.set({ method: event.currentTarget.value as OfflinePaymentMethod })}
        error={errors.fields.method}
      />
      <TextInput
        label="Reference"
        description="The bank's transfer reference, the cheque number or the receipt number"
        value={form.values.reference}
        onChange={(event) => form.set({ reference: event.currentTarget.value })}
        error={errors.fields.reference ?? (form.values.reference && typed.reference)}
      />
      <TextInput
        label="Received on"
        type="date"
        value={form.values.receivedOn}
        max={todayInNairobi()}
        onChange={(event) => form.set({ receivedOn: event.currentTarget.value })}
        error={errors.fields.receivedAt}
      />
      <Textarea
        label="Note"
        description="Optional, for the audit trail"
        value={form.values.note}
        onChange={(event) => form.set({ note: event.currentTarget.value })}
        error={errors.fields.note}
      />
    </ActionDialog>
  );
}
