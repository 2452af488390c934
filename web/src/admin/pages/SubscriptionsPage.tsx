// Every subscription, newest first: filter by status, plan, app and renewal dates; sort by start or renewal;
// Relay pages; each row opens the subscription.
import { Anchor, NativeSelect, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { StatusBadge } from '../../billing/StatusBadge';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminSubscriptionsQuery as Result, SubscriptionSort, SubscriptionStatus } from '../../graphql/graphql';
import { AppSelect } from '../components/AppSelect';
import type { Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { ListResults } from '../components/ListResults';
import { dayEnd, dayStart, isFiltered, PAGE_SIZE, sortArguments, useListParams } from '../components/listParams';
import { day } from '../components/money';
import { SUBSCRIPTION_STATUSES } from '../statuses';

const SubscriptionsQuery = graphql(`
  query AdminSubscriptions(
    $first: Int
    $after: String
    $filter: SubscriptionFilter
    $sort: SubscriptionSort
    $direction: SortDirection
    $counted: Boolean!
  ) {
    subscriptions(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount @include(if: $counted)
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
const SORTS: SubscriptionSort[] = ['CREATED_AT', 'RENEWS_AT'];

const COLUMNS: Column<Row>[] = [
  {
    key: 'customer',
    label: 'Customer',
    render: (row) => (
      <Anchor component={Link} to={`/admin/subscriptions/${row.id}`}>
        {row.customer.name}
      </Anchor>
    ),
  },
  {
    key: 'plan',
    label: 'Plan',
    render: (row) => `${row.plan.name}${row.quantity > 1 ? ` × ${row.quantity}` : ''}`,
  },
  { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
  {
    key: 'renewal',
    label: 'Period ends',
    sort: 'RENEWS_AT',
    render: (row) => `${day(row.currentPeriodEnd)}${row.cancelAtPeriodEnd ? ' (ends)' : ''}`,
  },
  { key: 'createdAt', label: 'Started', sort: 'CREATED_AT', render: (row) => day(row.createdAt) },
];

export default function SubscriptionsPage() {
  const list = useListParams();
  const filter = {
    status: (list.get('status') || undefined) as SubscriptionStatus | undefined,
    planId: list.get('plan') || undefined,
    apiClientId: list.get('app') || undefined,
    renewsFrom: dayStart(list.get('renewsFrom')),
    renewsTo: dayEnd(list.get('renewsTo')),
  };
  const sort = sortArguments(list, SORTS);
  const [result] = useQuery({
    query: SubscriptionsQuery,
    variables: { first: PAGE_SIZE, after: list.after, ...sort, filter, counted: isFiltered(filter) },
  });
  const plans = result.data?.plans.edges.map((edge) => edge.node) ?? [];

  return (
    <Page title="Subscriptions">
      <FilterForm list={list} names={['status', 'plan', 'app', 'renewsFrom', 'renewsTo']} label="Filter subscriptions">
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
        <AppSelect defaultValue={list.get('app')} />
        <TextInput name="renewsFrom" label="Renews from" type="date" defaultValue={list.get('renewsFrom')} />
        <TextInput name="renewsTo" label="Renews to" type="date" defaultValue={list.get('renewsTo')} />
      </FilterForm>
      <ListResults
        exportAs="subscriptions"
        noun="subscription"
        list={list}
        result={result}
        connection={result.data?.subscriptions}
        columns={COLUMNS}
        filter={filter}
        sort={sort}
      />
    </Page>
  );
}
