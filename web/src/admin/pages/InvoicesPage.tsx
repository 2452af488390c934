// Every invoice, newest first: filter by status, number, issue dates, currency and total; sortable columns; Relay
// pages; the documents; and the customer each belongs to.
import { Anchor, NativeSelect, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { StatusBadge } from '../../billing/StatusBadge';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminInvoicesQuery as Result, InvoiceSort, InvoiceStatus } from '../../graphql/graphql';
import type { Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { ListResults } from '../components/ListResults';
import {
  amountFilter,
  dayEnd,
  dayStart,
  isFiltered,
  PAGE_SIZE,
  sortArguments,
  useListParams,
} from '../components/listParams';
import { day, money } from '../components/money';
import { INVOICE_STATUSES } from '../statuses';
import { InvoiceLink } from '../components/InvoiceLink';

const InvoicesQuery = graphql(`
  query AdminInvoices(
    $first: Int
    $after: String
    $filter: InvoiceFilter
    $sort: InvoiceSort
    $direction: SortDirection
    $counted: Boolean!
  ) {
    invoices(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount @include(if: $counted)
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
          customer {
            id
            name
          }
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
const SORTS: InvoiceSort[] = ['NUMBER', 'ISSUED_AT', 'DUE_AT', 'TOTAL'];

const COLUMNS: Column<Row>[] = [
  {
    key: 'number',
    label: 'Number',
    sort: 'NUMBER',
    render: (row) => <InvoiceLink invoice={row} />,
  },
  {
    key: 'customer',
    label: 'Customer',
    render: (row) => (
      <Anchor component={Link} to={`/admin/customers/${row.customer.id}`}>
        {row.customer.name}
      </Anchor>
    ),
  },
  { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
  { key: 'kind', label: 'Kind', render: (row) => row.kind.toLowerCase() },
  { key: 'issuedAt', label: 'Issued', sort: 'ISSUED_AT', render: (row) => day(row.issuedAt) },
  { key: 'dueAt', label: 'Due by', sort: 'DUE_AT', render: (row) => day(row.dueAt) },
  { key: 'total', label: 'Total', sort: 'TOTAL', align: 'right', render: (row) => money(row.total) },
  { key: 'due', label: 'Amount due', align: 'right', render: (row) => money(row.amountDue) },
  {
    key: 'document',
    label: 'Document',
    render: (row) => (
      <Anchor
        href={row.htmlUrl}
        target="_blank"
        rel="noopener"
        aria-label={`Open ${row.number} as the customer sees it`}
      >
        Open
      </Anchor>
    ),
  },
];

export default function InvoicesPage() {
  const list = useListParams();
  const currency = list.get('currency').toUpperCase();
  const filter = {
    status: (list.get('status') || undefined) as InvoiceStatus | undefined,
    number: list.get('number') || undefined,
    from: dayStart(list.get('from')),
    to: dayEnd(list.get('to')),
    currency: currency || undefined,
    minTotal: amountFilter(list.get('min'), currency),
    maxTotal: amountFilter(list.get('max'), currency),
  };
  const sort = sortArguments(list, SORTS);
  const [result] = useQuery({
    query: InvoicesQuery,
    variables: { first: PAGE_SIZE, after: list.after, ...sort, filter, counted: isFiltered(filter) },
  });
  return (
    <Page title="Invoices">
      <FilterForm
        list={list}
        names={['status', 'number', 'from', 'to', 'currency', 'min', 'max']}
        label="Find invoices"
      >
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={list.get('status')}
          data={[{ value: '', label: 'Any' }, ...INVOICE_STATUSES]}
        />
        <TextInput name="number" label="Number" description="Or part of it" defaultValue={list.get('number')} />
        <TextInput name="from" label="Issued from" type="date" defaultValue={list.get('from')} />
        <TextInput name="to" label="Issued to" type="date" defaultValue={list.get('to')} />
        <TextInput name="currency" label="Currency" maxLength={3} w={110} defaultValue={list.get('currency')} />
        <TextInput name="min" label="Total from" description="With a currency" defaultValue={list.get('min')} />
        <TextInput name="max" label="Total to" description="With a currency" defaultValue={list.get('max')} />
      </FilterForm>
      <ListResults
        exportAs="invoices"
        noun="invoice"
        list={list}
        result={result}
        connection={result.data?.invoices}
        columns={COLUMNS}
        filter={filter}
        sort={sort}
      />
    </Page>
  );
}
