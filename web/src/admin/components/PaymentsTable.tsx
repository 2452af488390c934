// Payment attempts as the provider answered them: when, provider, attempt number, amount, status, and the
// provider's reason (failure code and message) or reference (M-Pesa receipt, PayPal capture).
import { Text } from '@mantine/core';
import { graphql } from '../../graphql';
import type { AdminPaymentFieldsFragment } from '../../graphql/graphql';
import { DataTable } from './DataTable';
import { moment, money } from './money';
import { PaymentStatusBadge } from './StatusText';

export const AdminPaymentFields = graphql(`
  fragment AdminPaymentFields on Payment {
    id
    createdAt
    completedAt
    provider
    status
    attempt
    providerReference
    receiptNumber
    hardDecline
    failureCode
    failureMessage
    amount {
      amount
      currency
    }
  }
`);

export function providerAnswer(payment: AdminPaymentFieldsFragment): string {
  if (payment.status === 'FAILED' || payment.failureMessage) {
    const code = payment.failureCode ? ` (${payment.failureCode})` : '';
    return `${payment.failureMessage ?? 'Failed'}${code}${payment.hardDecline ? ' · hard decline' : ''}`;
  }
  return payment.receiptNumber ?? payment.providerReference ?? '—';
}

export function PaymentsTable({
  payments,
  caption = 'Payments',
}: {
  payments: AdminPaymentFieldsFragment[];
  caption?: string;
}) {
  return (
    <DataTable
      caption={caption}
      empty="No payment attempts."
      rows={payments}
      columns={[
        { key: 'when', label: 'When', render: (row) => moment(row.createdAt) },
        { key: 'provider', label: 'Provider', render: (row) => (row.provider === 'MPESA' ? 'M-Pesa' : 'PayPal') },
        { key: 'attempt', label: 'Attempt', align: 'right', render: (row) => row.attempt },
        { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
        { key: 'status', label: 'Status', render: (row) => <PaymentStatusBadge status={row.status} /> },
        {
          key: 'answer',
          label: 'Provider answer',
          render: (row) => <Text size="sm">{providerAnswer(row)}</Text>,
        },
      ]}
    />
  );
}
