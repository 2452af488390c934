// Every invoice, newest first: filter by status and issue dates, sortable columns, pages, the documents, and a CSV
// export of what the list shows.
import { Anchor, Group, NativeSelect, TextInput } from '@mantine/core';
import { useQuery } from 'urql';
import { StatusBadge } from '../../billing/StatusBadge';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminInvoicesQuery as Result, InvoiceStatus } from '../../graphql/graphql';
import { DataTable, type Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { dayEnd, dayStart, PAGE_SIZE, useListParams } from '../components/listParams';
import { QueryState } from '../components/Loading';
import { day, money } from '../components/money';
import { Pager } from '../components/Pager';
import { sortRows } from '../components/sortRows';
import { INVOICE_STATUSES } from '../statuses';

const InvoicesQuery = graphql(`
  query AdminInvoices($first: Int, $after: String, $filter: InvoiceFilter) {
    invoices(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          id
          number
          kind
          status
          issuedAt
          dueAt
          paidAt
          htmlUrl
          total {
            amount
            currency
          }
          amountDue {
            amount
            currency
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

type Row = Result['invoices']['edges'][number]['node'];

const COLUMNS: Column<Row>[] = [
  {
    key: 'number',
    label: 'Number',
    sort: 'number',
    render: (row) => (
      <Anchor href={row.htmlUrl} target="_blank" rel="noopener">
        {row.number}
      </Anchor>
    ),
  },
  { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
  { key: 'kind', label: 'Kind', render: (row) => row.kind.toLowerCase() },
  { key: 'issuedAt', label: 'Issued', sort: 'issuedAt', render: (row) => day(row.issuedAt) },
  { key: 'paidAt', label: 'Paid', render: (row) => day(row.paidAt) },
  { key: 'total', label: 'Total', sort: 'total', align: 'right', render: (row) => money(row.total) },
  { key: 'due', label: 'Due', align: 'right', render: (row) => money(row.amountDue) },
];

export default function InvoicesPage() {
  const list = useListParams();
  const [result] = useQuery({
    query: InvoicesQuery,
    variables: {
      first: PAGE_SIZE,
      after: list.after,
      filter: {
        status: (list.get('status') || undefined) as InvoiceStatus | undefined,
        from: dayStart(list.get('from')),
        to: dayEnd(list.get('to')),
      },
    },
  });
  const rows = result.data?.invoices.edges.map((edge) => edge.node) ?? [];
  const sorted = sortRows(rows, list.sort, {
    number: (row) => row.number,
    issuedAt: (row) => row.issuedAt,
    total: (row) => row.total.amount,
  });
  return (
    <Page title="Invoices">
      <FilterForm list={list} names={['status', 'from', 'to']} label="Filter invoices">
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={list.get('status')}
          data={[{ value: '', label: 'Any' }, ...INVOICE_STATUSES]}
        />
        <TextInput name="from" label="Issued from" type="date" defaultValue={list.get('from')} />
        <TextInput name="to" label="Issued to" type="date" defaultValue={list.get('to')} />
      </FilterForm>
      <QueryState fetching={result.fetching && !result.data} error={result.error} what="invoices" />
      {result.data && <DataTable caption="Invoices" columns={COLUMNS} rows={sorted} list={list} />}
      <Group justify="space-between">
        <Pager list={list} pageInfo={result.data?.invoices.pageInfo} />
      </Group>
    </Page>
  );
}
