// Issue a credit note: a reason, a memo for the customer, one or more lines (what is credited, in the currency's
// decimals), and how much of what it gives back to refund through the provider. One idempotency key per opening:
// pressing confirm twice issues one note.
import { Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { toDecimalString } from '../../../../src/domain/money.js';
import { formErrors, NO_ERRORS } from '../../api/errors';
import { ActionDialog } from '../../components/ActionDialog';
import type { CreditNoteReason } from '../../graphql/graphql';
import { amountOf } from '../catalog/formValues';
import type { InvoiceDialogProps } from './invoiceDialog';
import { IssueCreditNoteMutation } from './operations';
import { useDialogForm } from './useDialogForm';

const REASONS: { value: CreditNoteReason; label: string }[] = [
  { value: 'SERVICE_ISSUE', label: 'Service issue' },
  { value: 'ORDER_CHANGE', label: 'Order change' },
  { value: 'PRODUCT_UNSATISFACTORY', label: 'Product unsatisfactory' },
  { value: 'DUPLICATE', label: 'Duplicate' },
  { value: 'FRAUDULENT', label: 'Fraudulent' },
  { value: 'OTHER', label: 'Other' },
];

interface Line {
  description: string;
  amount: string;
}

export function CreditNoteDialog({ invoice, opened, onClose, onDone }: InvoiceDialogProps) {
  const currency = invoice.total.currency;
  const form = useDialogForm(
    opened,
    () => ({
      reason: 'SERVICE_ISSUE' as CreditNoteReason,
      memo: '',
      lines: [{ description: '', amount: toDecimalString(invoice.amountRemaining) }] as Line[],
      refund: '0',
    }),
    onDone,
  );
  const [result, issue] = useMutation(IssueCreditNoteMutation);
  const lineFields = form.values.lines.flatMap((_line, index) => [
    `lines.${index}.description`,
    `lines.${index}.amount`,
  ]);
  const errors = form.sent
    ? formErrors(result.error, ['reason', 'memo', 'lines', 'refundAmount', ...lineFields])
    : NO_ERRORS;
  const amounts = form.values.lines.map((line) => amountOf(line.amount, currency));
  const refund = amountOf(form.values.refund || '0', currency);
  const ready =
    amounts.every((amount) => typeof amount === 'number') &&
    form.values.lines.every((line) => line.description.trim()) &&
    typeof refund === 'number';
  const setLine = (index: number, change: Partial<Line>) =>
    form.set({ lines: form.values.lines.map((line, at) => (at === index ? { ...line, ...change } : line)) });

  return (
    <ActionDialog
      title="Issue credit note"
      opened={opened}
      onClose={onClose}
      confirmLabel="Issue credit note"
      busy={result.fetching}
      confirmDisabled={!ready}
      error={errors.message}
      onConfirm={() => {
        if (!ready) return;
        form.send(() =>
          issue({
            input: {
              invoiceId: invoice.id,
              reason: form.values.reason,
              memo: form.values.memo.trim() || undefined,
              lines: form.values.lines.map((line, index) => ({
                description: line.description.trim(),
                amount: amounts[index] as number,
              })),
              refundAmount: refund as number,
              idempotencyKey: form.idempotencyKey,
            },
          }),
        );
      }}
    >
      <NativeSelect
        label="Reason"
        data={REASONS}
        value={form.values.reason}
        onChange={(event) => form.set({ reason: event.currentTarget.value as CreditNoteReason })}
        error={errors.fields.reason}
      />
      <Textarea
        label="Memo"
        description="Optional; the customer reads it on the note and in the email"
        value={form.values.memo}
        onChange={(event) => form.set({ memo: event.currentTarget.value })}
        error={errors.fields.memo}
      />
      {form.values.lines.map((line, index) => (
        <Stack key={index} gap={4} component="fieldset" className="admin-fieldset">
          <legend>Line {index + 1}</legend>
          <TextInput
            label={`Line ${index + 1} description`}
            value={line.description}
            onChange={(event) => setLine(index, { description: event.currentTarget.value })}
            error={errors.fields[`lines.${index}.description`]}
          />
          <TextInput
            label={`Line ${index + 1} amount (${currency})`}
            inputMode="decimal"
            value={line.amount}
            onChange={(event) => setLine(index, { amount: event.currentTarget.value })}
            error={
              errors.fields[`lines.${index}.amount`] ??
              (typeof amounts[index] === 'string' ? amounts[index] : undefined) ??
              (index === 0 ? errors.fields.lines : undefined)
            }
          />
          {form.values.lines.length > 1 && (
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => form.set({ lines: form.values.lines.filter((_line, at) => at !== index) })}
            >
              Remove line {index + 1}
            </Button>
          )}
        </Stack>
      ))}
      <Group>
        <Button
          variant="default"
          size="compact-sm"
          onClick={() => form.set({ lines: [...form.values.lines, { description: '', amount: '' }] })}
        >
          Add a line
        </Button>
      </Group>
      <TextInput
        label={`Refund through the provider (${currency})`}
        description="Of what the note gives back beyond what is still owed; the rest goes to the customer's balance"
        inputMode="decimal"
        value={form.values.refund}
        onChange={(event) => form.set({ refund: event.currentTarget.value })}
        error={errors.fields.refundAmount ?? (typeof refund === 'string' ? refund : undefined)}
      />
    </ActionDialog>
  );
}
