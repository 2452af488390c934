// Every payment attempt, newest first: filter by provider, status, dates and the provider's reference (an M-Pesa
// receipt such as NLJ7RT61SV, a CheckoutRequestID, a PayPal order or capture id); sort by date or amount; the
// provider's answer on each; the invoice and customer it was for.
import { Anchor, NativeSelect, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import type { AdminPaymentsQuery as Result, PaymentProvider, PaymentSort, PaymentStatus } from '../../graphql/graphql';
import type { Column } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { ListResults } from '../components/ListResults';
import { dayEnd, dayStart, isFiltered, PAGE_SIZE, sortArguments, useListParams } from '../components/listParams';
import { moment, money } from '../components/money';
import { providerAnswer } from '../components/PaymentsTable';
import { PaymentStatusBadge } from '../components/StatusText';
import { PAYMENT_STATUSES, providerName, PROVIDERS } from '../statuses';
import { InvoiceLink } from '../components/InvoiceLink';

const PaymentsQuery = graphql(`
  query AdminPayments(
    $first: Int
    $after: String
    $filter: PaymentFilter
    $sort: PaymentSort
    $direction: SortDirection
    $counted: Boolean!
  ) {
    payments(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount @include(if: $counted)
      edges {
        node {
          ...AdminPaymentFields
          invoice {
            id
            number
          }
          customer {
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
  }
`);

type Row = Result['payments']['edges'][number]['node'];
const SORTS: PaymentSort[] = ['CREATED_AT', 'AMOUNT'];

const COLUMNS: Column<Row>[] = [
  { key: 'when', label: 'When', sort: 'CREATED_AT', render: (row) => moment(row.createdAt) },
  {
    key: 'customer',
    label: 'Customer',
    render: (row) => (
      <Anchor component={Link} to={`/admin/customers/${row.customer.id}`}>
        {row.customer.name}
      </Anchor>
    ),
  },
  { key: 'invoice', label: 'Invoice', render: (row) => <InvoiceLink invoice={row.invoice} /> },
  { key: 'provider', label: 'Provider', render: (row) => providerName(row.provider) },
  { key: 'amount', label: 'Amount', sort: 'AMOUNT', align: 'right', render: (row) => money(row.amount) },
  { key: 'status', label: 'Status', render: (row) => <PaymentStatusBadge status={row.status} /> },
  { key: 'answer', label: 'Provider answer', render: providerAnswer },
];

export default function PaymentsPage() {
  const list = useListParams();
  const filter = {
    provider: (list.get('provider') || undefined) as PaymentProvider | undefined,
    status: (list.get('status') || undefined) as PaymentStatus | undefined,
    reference: list.get('reference') || undefined,
    from: dayStart(list.get('from')),
    to: dayEnd(list.get('to')),
  };
  const sort = sortArguments(list, SORTS);
  const [result] = useQuery({
    query: PaymentsQuery,
    variables: { first: PAGE_SIZE, after: list.after, ...sort, filter, counted: isFiltered(filter) },
  });
  return (
    <Page title="Payments">
      <FilterForm list={list} names={['provider', 'status', 'reference', 'from', 'to']} label="Find payments">
        <NativeSelect
          name="provider"
          label="Provider"
          defaultValue={list.get('provider')}
          data={[{ value: '', label: 'Any' }, ...PROVIDERS]}
        />
        <NativeSelect
          name="status"
          label="Status"
          defaultValue={list.get('status')}
          data={[{ value: '', label: 'Any' }, ...PAYMENT_STATUSES]}
        />
        <TextInput
          name="reference"
          label="Provider reference"
          description="M-Pesa receipt, PayPal capture id…"
          defaultValue={list.get('reference')}
        />
        <TextInput name="from" label="From" type="date" defaultValue={list.get('from')} />
        <TextInput name="to" label="To" type="date" defaultValue={list.get('to')} />
      </FilterForm>
      <ListResults
        exportAs="payments"
        noun="payment"
        list={list}
        result={result}
        connection={result.data?.payments}
        columns={COLUMNS}
        filter={filter}
        sort={sort}
      />
    </Page>
  );
}
