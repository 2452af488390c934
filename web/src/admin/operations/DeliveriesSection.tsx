// Provider deliveries (M-Pesa callbacks, PayPal webhooks) as stored: refused ones first, each with why, the
// payment it matched and its raw body and headers. Filters and the page are in the URL like every list's.
import { Code, NativeSelect } from '@mantine/core';
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import type {
  AdminDeliveriesQuery,
  PaymentProvider,
  ProviderDeliverySort,
  ProviderDeliveryStatus,
} from '../../graphql/graphql';
import { DataTable } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { PAGE_SIZE, sortArguments, useListParams } from '../components/listParams';
import { QueryState } from '../components/Loading';
import { moment } from '../components/money';
import { Pager } from '../components/Pager';
import { ResultCount } from '../components/ResultCount';
import { providerName, PROVIDERS } from '../statuses';

const DeliveriesQuery = graphql(`
  query AdminDeliveries(
    $first: Int
    $after: String
    $filter: ProviderDeliveryFilter
    $sort: ProviderDeliverySort
    $direction: SortDirection
  ) {
    providerDeliveries(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount
      edges {
        node {
          id
          provider
          status
          reason
          eventKey
          headers
          rawBody
          receivedAt
          payment {
            id
            status
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Delivery = AdminDeliveriesQuery['providerDeliveries']['edges'][number]['node'];
const SORTS: ProviderDeliverySort[] = ['REJECTED_FIRST', 'RECEIVED_AT'];

export function DeliveriesSection() {
  const list = useListParams();
  const [result] = useQuery({
    query: DeliveriesQuery,
    variables: {
      first: PAGE_SIZE,
      after: list.after,
      ...sortArguments(list, SORTS),
      filter: {
        provider: (list.get('provider') || undefined) as PaymentProvider | undefined,
        status: (list.get('status') || undefined) as ProviderDeliveryStatus | undefined,
      },
    },
  });
  const connection = result.data?.providerDeliveries;
  return (
    <>
      <FilterForm list={list} names={['provider', 'status']} label="Filter deliveries">
        <NativeSelect
          name="provider"
          label="Provider"
          defaultValue={list.get('provider')}
          data={[{ value: '', label: 'Any' }, ...PROVIDERS]}
        />
        <NativeSelect
          name="status"
          label="Delivery status"
          defaultValue={list.get('status')}
          data={[
            { value: '', label: 'Any' },
            { value: 'REJECTED', label: 'Rejected' },
            { value: 'ACCEPTED', label: 'Accepted' },
            { value: 'DUPLICATE', label: 'Duplicate' },
          ]}
        />
      </FilterForm>
      <QueryState fetching={result.fetching && !connection} error={result.error} what="deliveries" />
      <ResultCount count={connection?.totalCount} noun="delivery" many="deliveries" />
      {connection && (
        <DataTable<Delivery>
          caption="Provider deliveries, refused first"
          empty="No deliveries."
          list={list}
          rows={connection.edges.map((edge) => edge.node)}
          columns={[
            { key: 'when', label: 'Received', sort: 'RECEIVED_AT', render: (row) => moment(row.receivedAt) },
            { key: 'provider', label: 'Provider', render: (row) => providerName(row.provider) },
            {
              key: 'status',
              label: 'Status',
              sort: 'REJECTED_FIRST',
              render: (row) => `${row.status.toLowerCase()}${row.reason ? `: ${row.reason}` : ''}`,
            },
            { key: 'payment', label: 'Payment', render: (row) => row.payment?.status.toLowerCase() ?? 'none matched' },
            {
              key: 'body',
              label: 'Raw body',
              render: (row) => (
                <details>
                  <summary>Body and headers</summary>
                  <Code block className="admin-wrap-code">
                    {row.rawBody}
                  </Code>
                  <Code block className="admin-wrap-code">
                    {JSON.stringify(row.headers, null, 1)}
                  </Code>
                </details>
              ),
            },
          ]}
        />
      )}
      <Pager list={list} pageInfo={connection?.pageInfo} />
    </>
  );
}
