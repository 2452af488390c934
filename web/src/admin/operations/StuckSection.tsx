// What looks stuck, with the fix docs/operations.md describes: payments PENDING past their timeout ("Check with the
// provider now": the workflow asks the provider, never charges again), and live subscriptions whose workflow is not
// running ("Start its workflow" when it never had one; a closed one needs `temporal workflow reset`).
import { Anchor, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import { graphql } from '../../graphql';
import type { AdminWorkflowCheckQuery, AdminStuckPaymentsQuery } from '../../graphql/graphql';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { moment, money } from '../components/money';
import { InvoiceLink } from '../components/InvoiceLink';

const StuckPaymentsQuery = graphql(`
  query AdminStuckPayments {
    stuckPayments(olderThanMinutes: 30, first: 50) {
      id
      createdAt
      provider
      attempt
      amount {
        amount
        currency
      }
      invoice {
        id
        number
        subscription {
          id
        }
      }
      customer {
        id
        name
      }
    }
  }
`);

const CheckPaymentMutation = graphql(`
  mutation AdminCheckPayment($paymentId: ID!) {
    checkPaymentNow(paymentId: $paymentId) {
      id
      status
    }
  }
`);

const WorkflowCheckQuery = graphql(`
  query AdminWorkflowCheck($after: String) {
    subscriptionsWithoutWorkflow(first: 100, after: $after) {
      checked
      hasNextPage
      endCursor
      notRunning {
        lastRun
        subscription {
          id
          status
          workflowId
          customer {
            id
            name
          }
        }
      }
    }
  }
`);

const StartWorkflowMutation = graphql(`
  mutation AdminStartWorkflow($subscriptionId: ID!) {
    startSubscriptionWorkflow(subscriptionId: $subscriptionId) {
      id
    }
  }
`);

type Stuck = AdminStuckPaymentsQuery['stuckPayments'][number];
type Check = AdminWorkflowCheckQuery['subscriptionsWithoutWorkflow'];

export function StuckPaymentsSection() {
  const [result, refetch] = useQuery({ query: StuckPaymentsQuery });
  const [checkResult, checkNow] = useMutation(CheckPaymentMutation);
  return (
    <>
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="stuck payments" />
      <FormMessage message={formErrors(checkResult.error).message} />
      {result.data && (
        <DataTable<Stuck>
          caption="Payments pending for more than 30 minutes"
          empty="No payment has been pending for more than 30 minutes."
          rows={result.data.stuckPayments}
          columns={[
            { key: 'when', label: 'Started', render: (row) => moment(row.createdAt) },
            {
              key: 'customer',
              label: 'Customer',
              // A one-off invoice's payment has no subscription: its customer's page instead.
              render: (row) => (
                <Anchor
                  component={Link}
                  to={
                    row.invoice.subscription
                      ? `/admin/subscriptions/${row.invoice.subscription.id}`
                      : `/admin/customers/${row.customer.id}`
                  }
                >
                  {row.customer.name}
                </Anchor>
              ),
            },
            { key: 'invoice', label: 'Invoice', render: (row) => <InvoiceLink invoice={row.invoice} /> },
            { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
            {
              key: 'fix',
              label: 'Fix',
              render: (row) => (
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Check payment for ${row.invoice.number} with the provider now`}
                  onClick={() =>
                    void checkNow({ paymentId: row.id }).then(() => refetch({ requestPolicy: 'network-only' }))
                  }
                >
                  Check with the provider now
                </Button>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

export function WorkflowCheckSection() {
  const client = useClient();
  const [check, setCheck] = useState<Check | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [startResult, start] = useMutation(StartWorkflowMutation);
  async function run(after: string | null) {
    setBusy(true);
    const answer = await client.query(WorkflowCheckQuery, { after }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    setError(formErrors(answer.error).message);
    if (answer.data) setCheck(answer.data.subscriptionsWithoutWorkflow);
  }
  return (
    <>
      <Text size="sm">Asks Temporal, a page of 100 live subscriptions at a time, which have no running workflow.</Text>
      <Group gap="sm">
        <Button variant="default" loading={busy} onClick={() => void run(null)}>
          Check live subscriptions
        </Button>
        {check?.hasNextPage && (
          <Button variant="default" loading={busy} onClick={() => void run(check.endCursor ?? null)}>
            Check the next 100
          </Button>
        )}
      </Group>
      <FormMessage message={error ?? formErrors(startResult.error).message} />
      {check && (
        <>
          <Text size="sm" role="status">
            {check.checked} checked, {check.notRunning.length} without a running workflow
          </Text>
          <DataTable
            caption="Live subscriptions without a running workflow"
            empty="Every subscription checked has its workflow running."
            rows={check.notRunning.map((row) => ({ ...row, id: row.subscription.id }))}
            columns={[
              {
                key: 'customer',
                label: 'Subscription',
                render: (row) => (
                  <Anchor component={Link} to={`/admin/subscriptions/${row.subscription.id}`}>
                    {row.subscription.customer.name} ({row.subscription.status.toLowerCase()})
                  </Anchor>
                ),
              },
              { key: 'last', label: 'Last run', render: (row) => row.lastRun?.toLowerCase() ?? 'never started' },
              {
                key: 'fix',
                label: 'Fix',
                render: (row) =>
                  row.lastRun === null || row.lastRun === undefined ? (
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => void start({ subscriptionId: row.subscription.id }).then(() => run(null))}
                    >
                      Start its workflow
                    </Button>
                  ) : (
                    <Text size="sm">
                      <code>temporal workflow reset --workflow-id {row.subscription.workflowId}</code>{' '}
                      (docs/operations.md)
                    </Text>
                  ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}
