// Every customer, newest first: search by name or email, phone (any form a Kenyan customer writes it, or some of its
// digits), external id, app and status; sortable columns; Relay pages; each row opens the customer.
import { Anchor, NativeSelect, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { CustomerSort, CustomerStatus, AdminCustomersQuery as Result } from '../../graphql/graphql';
import { AppSelect } from '../components/AppSelect';
import type { Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { ListResults } from '../components/ListResults';
import { isFiltered, PAGE_SIZE, sortArguments, useListParams } from '../components/listParams';
import { day } from '../components/money';

const CustomersQuery = graphql(`
  query AdminCustomers(
    $first: Int
    $after: String
    $filter: CustomerFilter
    $sort: CustomerSort
    $direction: SortDirection
    $counted: Boolean!
  ) {
    customers(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount @include(if: $counted)
      edges {
        node {
          id
          name
          email
          phone
          externalId
          status
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Row = Result['customers']['edges'][number]['node'];
const SORTS: CustomerSort[] = ['NAME', 'EMAIL', 'CREATED_AT'];

const COLUMNS: Column<Row>[] = [
  {
    key: 'name',
    label: 'Name',
    sort: 'NAME',
    render: (row) => (
      <Anchor component={Link} to={`/admin/customers/${row.id}`}>
        {row.name}
      </Anchor>
    ),
  },
  { key: 'email', label: 'Email', sort: 'EMAIL', render: (row) => row.email },
  { key: 'phone', label: 'Phone', render: (row) => row.phone ?? '—' },
  { key: 'externalId', label: 'External id', render: (row) => row.externalId ?? '—' },
  { key: 'status', label: 'Status', render: (row) => row.status.toLowerCase() },
  { key: 'createdAt', label: 'Created', sort: 'CREATED_AT', render: (row) => day(row.createdAt) },
];

export default function CustomersPage() {
  const list = useListParams();
  const filter = {
    search: list.get('q') || undefined,
    phone: list.get('phone') || undefined,
    externalId: list.get('externalId') || undefined,
    apiClientId: list.get('app') || undefined,
    status: (list.get('status') || undefined) as CustomerStatus | undefined,
  };
  const sort = sortArguments(list, SORTS);
  const [result] = useQuery({
    query: CustomersQuery,
    variables: { first: PAGE_SIZE, after: list.after, ...sort, filter, counted: isFiltered(filter) },
  });
  return (
    <Page title="Customers">
      <FilterForm list={list} names={['q', 'phone', 'externalId', 'app', 'status']} label="Find customers">
        <TextInput name="q" label="Search" description="Name or email" defaultValue={list.get('q')} type="search" />
        <TextInput name="phone" label="Phone" description="Any form, or some digits" defaultValue={list.get('phone')} />
        <TextInput name="externalId" label="External id" defaultValue={list.get('externalId')} />
        <AppSelect defaultValue={list.get('app')} />
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={list.get('status')}
          data={[
            { value: '', label: 'Any' },
            { value: 'ACTIVE', label: 'Active' },
            { value: 'SUSPENDED', label: 'Suspended' },
          ]}
        />
      </FilterForm>
      <ListResults
        exportAs="customers"
        noun="customer"
        list={list}
        result={result}
        connection={result.data?.customers}
        columns={COLUMNS}
        filter={filter}
        sort={sort}
      />
    </Page>
  );
}
