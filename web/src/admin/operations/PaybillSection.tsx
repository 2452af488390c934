// Paybill payments made from phones (docs/paybill.md), the unmatched queue first: money whose account reference
// named no invoice and no customer waits here until an operator says which invoice the customer meant ("Assign").
// The newest 50 of a status: the operations page shares its address bar with the deliveries' list and its pages,
// and a queue an operator works through stays short.
import { Button, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import type { AdminPaybillPaymentsQuery, PaybillPaymentStatus } from '../../graphql/graphql';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { moment, money } from '../components/money';
import { ResultCount } from '../components/ResultCount';
import { AssignPaybillDialog } from './AssignPaybillDialog';

const PaybillPaymentsQuery = graphql(`
  query AdminPaybillPayments($filter: PaybillPaymentFilter) {
    paybillPayments(first: 50, filter: $filter) {
      totalCount
      edges {
        node {
          id
          transId
          billRefNumber
          payerName
          payerMsisdn
          paidAt
          status
          unmatchedReason
          matchedBy
          amount {
            amount
            currency
          }
          customer {
            id
            name
          }
        }
      }
    }
  }
`);

export type PaybillPaymentRow = AdminPaybillPaymentsQuery['paybillPayments']['edges'][number]['node'];

const STATUSES = [
  { value: 'UNMATCHED', label: 'Unmatched: to assign' },
  { value: 'MATCHED', label: 'Matched' },
  { value: 'ANY', label: 'Any' },
];

export function PaybillSection() {
  const [status, setStatus] = useState('UNMATCHED');
  const [result, refetch] = useQuery({
    query: PaybillPaymentsQuery,
    variables: { filter: { status: status === 'ANY' ? undefined : (status as PaybillPaymentStatus) } },
  });
  const [assigning, setAssigning] = useState<PaybillPaymentRow | null>(null);
  const connection = result.data?.paybillPayments;
  return (
    <>
      <NativeSelect
        label="Paybill payment status"
        value={status}
        onChange={(event) => setStatus(event.currentTarget.value)}
        data={STATUSES}
        maw={260}
      />
      <QueryState fetching={result.fetching && !connection} error={result.error} what="paybill payments" />
      <ResultCount count={connection?.totalCount} noun="paybill payment" many="paybill payments" />
      {connection && (
        <DataTable<PaybillPaymentRow>
          caption="Paybill payments"
          empty={status === 'UNMATCHED' ? 'Nothing waits to be assigned.' : 'No paybill payments.'}
          rows={connection.edges.map((edge) => edge.node)}
          columns={[
            { key: 'when', label: 'Paid', render: (row) => moment(row.paidAt) },
            { key: 'receipt', label: 'M-Pesa receipt', render: (row) => row.transId },
            { key: 'account', label: 'Account typed', render: (row) => row.billRefNumber || '(none)' },
            { key: 'payer', label: 'Payer', render: (row) => `${row.payerName} ${row.payerMsisdn}` },
            { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
            {
              key: 'state',
              label: 'Matched to',
              render: (row) =>
                row.status === 'UNMATCHED' ? (
                  <Button
                    size="compact-sm"
                    variant="default"
                    aria-label={`Assign ${row.transId} (${money(row.amount)})`}
                    onClick={() => setAssigning(row)}
                  >
                    Assign
                  </Button>
                ) : (
                  (row.customer?.name ?? '—')
                ),
            },
          ]}
        />
      )}
      <AssignPaybillDialog
        payment={assigning}
        onClose={() => setAssigning(null)}
        onDone={() => {
          setAssigning(null);
          refetch({ requestPolicy: 'network-only' });
        }}
      />
    </>
  );
}
