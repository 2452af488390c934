// Every customer, newest first: search (name, email, phone), status, sortable columns, pages; each row opens the
// customer.
import { Anchor, NativeSelect, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { CustomerStatus, AdminCustomersQuery as Result } from '../../graphql/graphql';
import { DataTable, type Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { PAGE_SIZE, useListParams } from '../components/listParams';
import { QueryState } from '../components/Loading';
import { day } from '../components/money';
import { Pager } from '../components/Pager';
import { sortRows } from '../components/sortRows';

const CustomersQuery = graphql(`
  query AdminCustomers($first: Int, $after: String, $filter: CustomerFilter) {
    customers(first: $first, after: $after, filter: $filter) {
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

const COLUMNS: Column<Row>[] = [
  {
    key: 'name',
    label: 'Name',
    sort: 'name',
    render: (row) => (
      <Anchor component={Link} to={`/admin/customers/${row.id}`}>
        {row.name}
      </Anchor>
    ),
  },
  { key: 'email', label: 'Email', sort: 'email', render: (row) => row.email },
  { key: 'phone', label: 'Phone', render: (row) => row.phone ?? '—' },
  { key: 'externalId', label: 'External id', render: (row) => row.externalId ?? '—' },
  { key: 'status', label: 'Status', render: (row) => row.status.toLowerCase() },
  { key: 'createdAt', label: 'Created', sort: 'createdAt', render: (row) => day(row.createdAt) },
];

export default function CustomersPage() {
  const list = useListParams();
  const status = list.get('status');
  const [result] = useQuery({
    query: CustomersQuery,
    variables: {
      first: PAGE_SIZE,
      after: list.after,
      filter: { search: list.get('q') || undefined, status: (status || undefined) as CustomerStatus | undefined },
    },
  });
  const rows = result.data?.customers.edges.map((edge) => edge.node) ?? [];
  const sorted = sortRows(rows, list.sort, {
    name: (row) => row.name,
    email: (row) => row.email,
    createdAt: (row) => row.createdAt,
  });
  return (
    <Page title="Customers">
      <FilterForm list={list} names={['q', 'status']} label="Find customers">
        <TextInput
          name="q"
          label="Search"
          description="Name, email or phone"
          defaultValue={list.get('q')}
          type="search"
        />
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={status}
          data={[
            { value: '', label: 'Any' },
            { value: 'ACTIVE', label: 'Active' },
            { value: 'SUSPENDED', label: 'Suspended' },
          ]}
        />
      </FilterForm>
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="customers" />
      {result.data && <DataTable caption="Customers" columns={COLUMNS} rows={sorted} list={list} />}
      <Pager list={list} pageInfo={result.data?.customers.pageInfo} />
    </Page>
  );
}
