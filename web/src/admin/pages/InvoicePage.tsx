// One invoice as an operator sees it: who it bills and for what, its lines, where its money stands (figures and a
// bar), the payments with their refunds, offline payments and credit notes, and the corrections that apply to it.
// It follows its payments and pending refunds live.
import { Anchor, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { day, money } from '../components/money';
import { Section } from '../components/Section';
import { StatusBadge } from '../components/StatusText';
import { FollowInvoice } from '../invoice/FollowInvoice';
import { InvoiceActions } from '../invoice/InvoiceActions';
import { CreditNotes, OfflinePayments, PaymentsWithRefunds } from '../invoice/InvoiceRecords';
import { AdminInvoiceQuery } from '../invoice/operations';
import { Settlement } from '../invoice/Settlement';

export default function InvoicePage() {
  const { id = '' } = useParams();
  const [result, refetch] = useQuery({ query: AdminInvoiceQuery, variables: { id } });
  const invoice = result.data?.invoice;
  if (!invoice) {
    return (
      <Page title="Invoice">
        <QueryState fetching={result.fetching} error={result.error} what="the invoice" />
      </Page>
    );
  }
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Page title={`Invoice ${invoice.number}`}>
      <FollowInvoice invoice={invoice} onChange={reload} />
      <Card withBorder>
        <Stack gap="xs">
          <Group gap="sm">
            <StatusBadge status={invoice.status} />
            <Text>{invoice.kind === 'ONE_OFF' ? (invoice.description ?? 'One-off') : invoice.kind.toLowerCase()}</Text>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <Text>
              Customer:{' '}
              <Anchor component={Link} to={`/admin/customers/${invoice.customer.id}`}>
                {invoice.customer.name}
              </Anchor>{' '}
              ({invoice.customer.phone ?? invoice.customer.email})
            </Text>
            <Text>
              Subscription:{' '}
              {invoice.subscription ? (
                <Anchor component={Link} to={`/admin/subscriptions/${invoice.subscription.id}`}>
                  {invoice.subscription.plan.name}
                </Anchor>
              ) : (
                'One-off'
              )}
            </Text>
            <Text>Issued: {day(invoice.issuedAt)}</Text>
            <Text>Due by: {day(invoice.dueAt)}</Text>
            {invoice.kind !== 'ONE_OFF' && (
              <Text>
                Period: {day(invoice.periodStart)} to {day(invoice.periodEnd)}
              </Text>
            )}
            {invoice.paidAt && <Text>Paid: {day(invoice.paidAt)}</Text>}
          </SimpleGrid>
          <Text size="sm">
            <Anchor href={invoice.htmlUrl} target="_blank" rel="noopener">
              Invoice page
            </Anchor>
            {' · '}
            <Anchor href={invoice.pdfUrl} target="_blank" rel="noopener">
              PDF
            </Anchor>
          </Text>
        </Stack>
      </Card>

      <Section title="Settlement">
        <Settlement invoice={invoice} />
      </Section>

      <InvoiceActions invoice={invoice} reload={reload} />

      <Section title="Lines">
        <DataTable
          caption={`Lines of ${invoice.number}`}
          empty="No lines."
          rows={invoice.lines}
          columns={[
            { key: 'description', label: 'Description', render: (row) => row.description },
            { key: 'quantity', label: 'Quantity', align: 'right', render: (row) => row.quantity },
            { key: 'unit', label: 'Unit price', align: 'right', render: (row) => money(row.unitAmount) },
            { key: 'amount', label: 'Amount', align: 'right', render: (row) => money(row.amount) },
          ]}
        />
        <Text ta="right">
          Subtotal {money(invoice.subtotal)} · Total {money(invoice.total)}
        </Text>
      </Section>

      <PaymentsWithRefunds invoice={invoice} />
      <OfflinePayments invoice={invoice} />
      <CreditNotes invoice={invoice} />
    </Page>
  );
}
