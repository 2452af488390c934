// Payment attempts as the provider answered them: when, provider, attempt number, amount, status, and the
// provider's reason (failure code and message) or reference (M-Pesa receipt, PayPal capture).
import { Code, Text } from '@mantine/core';
import { graphql } from '../../graphql';
import type { AdminPaymentFieldsFragment } from '../../graphql/graphql';
import { DataTable } from './DataTable';
import { moment, money } from './money';
import { providerName } from '../statuses';
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

interface Delivery {
  id: string;
  status: string;
  reason?: string | null;
  receivedAt: string;
  rawBody: string;
}

/** The callbacks or webhooks the provider sent about a payment, first to last, each with its raw body. */
function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <Text size="sm">none</Text>;
  return (
    <details>
      <summary>{deliveries.length === 1 ? '1 delivery' : `${deliveries.length} deliveries`}</summary>
      {deliveries.map((delivery) => (
        <div key={delivery.id}>
          <Text size="sm">
            {moment(delivery.receivedAt)}: {delivery.status.toLowerCase()}
            {delivery.reason ? ` (${delivery.reason})` : ''}
          </Text>
          <Code block className="admin-wrap-code">
            {delivery.rawBody}
          </Code>
        </div>
      ))}
    </details>
  );
}

export function PaymentsTable({
  payments,
  caption = 'Payments',
}: {
  payments: (AdminPaymentFieldsFragment & { deliveries?: Delivery[] })[];
  caption?: string;
}) {
  return (
    <DataTable
      caption={caption}
      empty="No payment attempts."
      rows={payments}
      columns={[
        { key: 'when', label: 'When', render: (row) => moment(row.createdAt) },
        { key: 'provider', label: 'Provider', render: (row) => providerName(row.provider) },
        { key: 'attempt', label: 'Attempt', align: 'right', render: (row) => row.attempt },
        { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
        { key: 'status', label: 'Status', render: (row) => <PaymentStatusBadge status={row.status} /> },
        {
          key: 'answer',
          label: 'Provider answer',
          render: (row) => <Text size="sm">{providerAnswer(row)}</Text>,
        },
        ...(payments.some((payment) => payment.deliveries)
          ? [
              {
                key: 'deliveries',
                label: 'Callbacks and webhooks',
                render: (row: (typeof payments)[number]) => <Deliveries deliveries={row.deliveries ?? []} />,
              },
            ]
          : []),
      ]}
    />
  );
}
