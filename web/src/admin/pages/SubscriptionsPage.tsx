// Every subscription, newest first: filter by status and plan, sortable columns, pages; each row opens the
// subscription.
import { Anchor, NativeSelect } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { StatusBadge } from '../../billing/StatusBadge';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminSubscriptionsQuery as Result, SubscriptionStatus } from '../../graphql/graphql';
import { DataTable, type Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { PAGE_SIZE, useListParams } from '../components/listParams';
import { QueryState } from '../components/Loading';
import { day } from '../components/money';
import { Pager } from '../components/Pager';
import { sortRows } from '../components/sortRows';
import { SUBSCRIPTION_STATUSES } from '../statuses';

const SubscriptionsQuery = graphql(`
  query AdminSubscriptions($first: Int, $after: String, $filter: SubscriptionFilter) {
    subscriptions(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          id
          status
          quantity
          createdAt
          currentPeriodEnd
          cancelAtPeriodEnd
          customer {
            id
            name
          }
          plan {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    plans(first: 100) {
      edges {
        node {
          id
          name
          version
          status
        }
      }
    }
  }
`);

type Row = Result['subscriptions']['edges'][number]['node'];

const COLUMNS: Column<Row>[] = [
  {
    key: 'customer',
    label: 'Customer',
    sort: 'customer',
    render: (row) => (
      <Anchor component={Link} to={`/admin/subscriptions/${row.id}`}>
        {row.customer.name}
      </Anchor>
    ),
  },
  {
    key: 'plan',
    label: 'Plan',
    sort: 'plan',
    render: (row) => `${row.plan.name}${row.quantity > 1 ? ` × ${row.quantity}` : ''}`,
  },
  { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
  {
    key: 'renewal',
    label: 'Period ends',
    sort: 'currentPeriodEnd',
    render: (row) => `${day(row.currentPeriodEnd)}${row.cancelAtPeriodEnd ? ' (ends)' : ''}`,
  },
  { key: 'createdAt', label: 'Started', sort: 'createdAt', render: (row) => day(row.createdAt) },
];

export default function SubscriptionsPage() {
  const list = useListParams();
  const [result] = useQuery({
    query: SubscriptionsQuery,
    variables: {
      first: PAGE_SIZE,
      after: list.after,
      filter: {
        status: (list.get('status') || undefined) as SubscriptionStatus | undefined,
        planId: list.get('plan') || undefined,
      },
    },
  });
  const rows = result.data?.subscriptions.edges.map((edge) => edge.node) ?? [];
  const plans = result.data?.plans.edges.map((edge) => edge.node) ?? [];
  const sorted = sortRows(rows, list.sort, {
    customer: (row) => row.customer.name,
    plan: (row) => row.plan.name,
    currentPeriodEnd: (row) => row.currentPeriodEnd,
    createdAt: (row) => row.createdAt,
  });
  return (
    <Page title="Subscriptions">
      <FilterForm list={list} names={['status', 'plan']} label="Filter subscriptions">
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={list.get('status')}
          data={[{ value: '', label: 'Any' }, ...SUBSCRIPTION_STATUSES]}
        />
        <NativeSelect
          name="plan"
          label="Plan"
          defaultValue={list.get('plan')}
          data={[
            { value: '', label: 'Any' },
            ...plans.map((plan) => ({
              value: plan.id,
              label: `${plan.name} v${plan.version}${plan.status === 'ARCHIVED' ? ' (archived)' : ''}`,
            })),
          ]}
        />
      </FilterForm>
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="subscriptions" />
      {result.data && <DataTable caption="Subscriptions" columns={COLUMNS} rows={sorted} list={list} />}
      <Pager list={list} pageInfo={result.data?.subscriptions.pageInfo} />
    </Page>
  );
}
