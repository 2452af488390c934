// "Pay now" on an open invoice: charges it at once with the subscription's payment method, then follows the
// payment live. The button is disabled while the request is in flight, and the API refuses an invoice that already
// has a payment waiting (CONFLICT), so a second click cannot charge twice.
import { Alert, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../api/errors';
import { PayInvoiceMutation } from './operations';
import { PaymentStatus } from './PaymentStatus';

export function PayNow({
  invoiceId,
  subscriptionId,
  locale,
}: {
  invoiceId: string;
  subscriptionId: string;
  locale: string;
}) {
  const [result, payInvoice] = useMutation(PayInvoiceMutation);
  const [started, setStarted] = useState(false);
  if (started) return <PaymentStatus subscriptionId={subscriptionId} invoiceId={invoiceId} locale={locale} />;
  return (
    <Stack gap="xs" align="flex-start">
      {result.error && (
        <Alert color="red" role="alert">
          {formErrors(result.error).message}
        </Alert>
      )}
      <Button
        loading={result.fetching}
        disabled={result.fetching}
        onClick={() => {
          void payInvoice({ input: { invoiceId } }).then((answer) => {
            if (!answer.error) setStarted(true);
          });
        }}
      >
        Pay now
      </Button>
    </Stack>
  );
}
