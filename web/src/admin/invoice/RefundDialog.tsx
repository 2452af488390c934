// Give paid money back on one of the invoice's M-Pesa or PayPal payments: the amount (left empty, everything still
// refundable) and the reason. One idempotency key per opening, so a double submit refunds once.
import { NativeSelect, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { formErrors, NO_ERRORS } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import { amountOf } from '../catalog/formValues';
import { money } from '../components/money';
import { providerName } from '../statuses';
import { refundablePayments } from './invoiceActions';
import type { InvoiceDialogProps } from './invoiceDialog';
import { RefundPaymentMutation } from './operations';
import { useDialogForm } from './useDialogForm';

export function RefundDialog({ invoice, opened, onClose, onDone }: InvoiceDialogProps) {
  const payments = refundablePayments(invoice);
  const form = useDialogForm(opened, () => ({ paymentId: payments[0]?.id ?? '', amount: '', reason: '' }), onDone);
  const [result, refund] = useMutation(RefundPaymentMutation);
  const errors = form.sent ? formErrors(result.error, ['paymentId', 'amount', 'currency', 'reason']) : NO_ERRORS;
  const payment = payments.find((each) => each.id === form.values.paymentId);
  const currency = payment?.amount.currency ?? invoice.total.currency;
  const amount = form.values.amount.trim() ? amountOf(form.values.amount, currency) : undefined;
  const reason = form.values.reason.trim();
  const ready = payment && typeof amount !== 'string' && reason;
  return (
    <ActionDialog
      title="Refund a payment"
      opened={opened}
      onClose={onClose}
      confirmLabel="Refund"
      danger
      busy={result.fetching}
      confirmDisabled={!ready}
      error={errors.message}
      onConfirm={() => {
        if (!ready) return;
        form.send(() =>
          refund({
            input: {
              paymentId: payment.id,
              amount,
              currency: amount === undefined ? undefined : currency,
              reason,
              idempotencyKey: form.idempotencyKey,
            },
          }),
        );
      }}
    >
      <NativeSelect
        label="Payment"
        data={payments.map((each) => ({
          value: each.id,
          label: `${providerName(each.provider)} ${money(each.amount)} (${each.receiptNumber ?? each.providerReference ?? each.id.slice(0, 8)}), ${money(each.amountRefunded)} refunded`,
        }))}
        value={form.values.paymentId}
        onChange={(event) => form.set({ paymentId: event.currentTarget.value })}
        error={errors.fields.paymentId}
      />
      <TextInput
        label={`Amount (${currency})`}
        description="Leave empty to refund everything still refundable. M-Pesa sends a part back to the phone that paid."
        inputMode="decimal"
        value={form.values.amount}
        onChange={(event) => form.set({ amount: event.currentTarget.value })}
        error={errors.fields.amount ?? errors.fields.currency ?? (typeof amount === 'string' ? amount : undefined)}
      />
      <TextInput
        label="Reason"
        description="For the audit trail and the provider"
        value={form.values.reason}
        onChange={(event) => form.set({ reason: event.currentTarget.value })}
        error={errors.fields.reason}
      />
    </ActionDialog>
  );
}
