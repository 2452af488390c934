// Notices that failed to send (given up) or are being retried, newest first, with the last error; "Resend" queues a
// given-up one again (the API refuses one already sent or silenced by the customer's preferences).
import { Button, Text } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import { graphql } from '../../graphql';
import type { AdminFailedNoticesQuery } from '../../graphql/graphql';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { moment } from '../components/money';

const FailedNoticesQuery = graphql(`
  query AdminFailedNotices {
    failedNotices(first: 50) {
      totalCount
      edges {
        node {
          id
          kind
          recipient
          createdAt
          attempts
          nextAttemptAt
          lastError
          failedAt
        }
      }
    }
  }
`);

const ResendNoticeMutation = graphql(`
  mutation AdminResendNotice($id: ID!) {
    resendNotice(id: $id) {
      id
      attempts
      failedAt
    }
  }
`);

type Notice = AdminFailedNoticesQuery['failedNotices']['edges'][number]['node'];

export function NoticesSection() {
  const [result, refetch] = useQuery({ query: FailedNoticesQuery });
  const [resendResult, resend] = useMutation(ResendNoticeMutation);
  const connection = result.data?.failedNotices;
  return (
    <>
      <QueryState fetching={result.fetching && !connection} error={result.error} what="notices" />
      <FormMessage message={formErrors(resendResult.error).message} />
      {connection && <Text size="sm">{connection.totalCount} not sent</Text>}
      {connection && (
        <DataTable<Notice>
          caption="Notices that failed to send"
          empty="Every notice was sent."
          rows={connection.edges.map((edge) => edge.node)}
          columns={[
            { key: 'when', label: 'Queued', render: (row) => moment(row.createdAt) },
            { key: 'kind', label: 'Notice', render: (row) => row.kind },
            { key: 'to', label: 'To', render: (row) => row.recipient },
            { key: 'attempts', label: 'Attempts', align: 'right', render: (row) => row.attempts },
            { key: 'error', label: 'Last error', render: (row) => row.lastError ?? '—' },
            {
              key: 'state',
              label: 'State',
              render: (row) =>
                row.failedAt ? (
                  <Button
                    size="compact-sm"
                    variant="default"
                    aria-label={`Resend ${row.kind} to ${row.recipient}`}
                    onClick={() => void resend({ id: row.id }).then(() => refetch({ requestPolicy: 'network-only' }))}
                  >
                    Resend
                  </Button>
                ) : (
                  `retrying ${moment(row.nextAttemptAt)}`
                ),
            },
          ]}
        />
      )}
    </>
  );
}
