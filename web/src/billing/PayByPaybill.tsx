// How to pay an open KES invoice from the phone, without waiting for a prompt: M-Pesa's own menu, the paybill and
// the account to type (docs/paybill.md). The payment reaches the invoice by itself once M-Pesa confirms it.
import { Code, Stack, Text } from '@mantine/core';

export function PayByPaybill(props: { shortCode: string; account: string; customerAccount: string }) {
  return (
    <Stack gap={2} component="section" aria-label="Pay by M-Pesa paybill">
      <Text size="sm" fw={600}>
        Or pay from your phone
      </Text>
      <Text size="sm">
        M-Pesa › Lipa na M-Pesa › Pay Bill: business number <Code>{props.shortCode}</Code>, account number{' '}
        <Code>{props.account}</Code>.
      </Text>
      <Text size="sm" c="dimmed">
        Your own account number, <Code>{props.customerAccount}</Code>, pays your oldest open invoices.
      </Text>
    </Stack>
  );
}
