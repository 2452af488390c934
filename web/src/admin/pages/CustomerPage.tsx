// One customer: the profile, the credit they hold, their subscriptions, invoices and payments, and the audit trail
// of changes to them.
import { Anchor, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import { AuditTrail } from '../components/AuditTrail';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Loading';
import { day, moment, money, moneyList } from '../components/money';
import { PaymentsTable } from '../components/PaymentsTable';
import { Section } from '../components/Section';
import { StatusBadge } from '../components/StatusText';
import { InvoiceLink } from '../components/InvoiceLink';

const CustomerQuery = graphql(`
  query AdminCustomer($id: ID!) {
    customer(id: $id) {
      id
      name
      email
      phone
      externalId
      locale
      status
      createdAt
      deletedAt
      creditBalance {
        amount
        currency
      }
      subscriptions {
        id
        status
        quantity
        currentPeriodEnd
        createdAt
        plan {
          id
          name
        }
      }
      invoices {
        ...AdminInvoiceFields
      }
      payments {
        ...AdminPaymentFields
      }
      auditTrail {
        ...AuditEventFields
      }
      notices {
        id
        kind
        recipient
        createdAt
        sentAt
        failedAt
        skippedAt
        lastError
      }
    }
  }
`);

export default function CustomerPage() {
  const { id = '' } = useParams();
  const [result] = useQuery({ query: CustomerQuery, variables: { id } });
  const customer = result.data?.customer;
  if (!customer) {
    return (
      <Page title="Customer">
        <QueryState fetching={result.fetching} error={result.error} what="the customer" />
      </Page>
    );
  }
  return (
    <Page title={customer.name}>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Fact label="Email" value={customer.email} />
          <Fact label="Phone" value={customer.phone ?? '—'} />
          <Fact label="External id" value={customer.externalId ?? '—'} />
          <Fact label="Locale" value={customer.locale} />
          <Fact
            label="Status"
            value={customer.deletedAt ? `deleted ${day(customer.deletedAt)}` : customer.status.toLowerCase()}
          />
          <Fact label="Customer since" value={day(customer.createdAt)} />
          <Fact label="Credit held" value={moneyList(customer.creditBalance)} />
        </SimpleGrid>
      </Card>

      <Section title="Subscriptions">
        <DataTable
          caption="Subscriptions"
          empty="No subscriptions."
          rows={customer.subscriptions}
          columns={[
            {
              key: 'plan',
              label: 'Plan',
              render: (row) => (
                <Anchor component={Link} to={`/admin/subscriptions/${row.id}`}>
                  {row.plan.name}
                  {row.quantity > 1 ? ` × ${row.quantity}` : ''}
                </Anchor>
              ),
            },
            { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
            { key: 'renews', label: 'Period ends', render: (row) => day(row.currentPeriodEnd) },
            { key: 'created', label: 'Started', render: (row) => day(row.createdAt) },
          ]}
        />
      </Section>

      <Section title="Invoices">
        <DataTable
          caption="Invoices"
          empty="No invoices."
          rows={[...customer.invoices].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))}
          columns={[
            { key: 'number', label: 'Number', render: (row) => <InvoiceLink invoice={row} /> },
            { key: 'status', label: 'Status', render: (row) => <StatusBadge status={row.status} /> },
            { key: 'issued', label: 'Issued', render: (row) => day(row.issuedAt) },
            { key: 'total', label: 'Total', align: 'right', render: (row) => money(row.total) },
            { key: 'due', label: 'Due', align: 'right', render: (row) => money(row.amountDue) },
          ]}
        />
      </Section>

      <Section title="Payments">
        <PaymentsTable payments={[...customer.payments].sort((a, b) => b.createdAt.localeCompare(a.createdAt))} />
      </Section>

      <Section title="Notices">
        <DataTable
          caption="Notices to this customer"
          empty="No notices."
          rows={[...customer.notices].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
          columns={[
            { key: 'when', label: 'Queued', render: (row) => moment(row.createdAt) },
            { key: 'kind', label: 'Notice', render: (row) => row.kind },
            { key: 'to', label: 'To', render: (row) => row.recipient },
            { key: 'state', label: 'State', render: noticeState },
          ]}
        />
      </Section>

      <Section title="Audit trail">
        <AuditTrail events={customer.auditTrail} />
      </Section>
    </Page>
  );
}

function noticeState(notice: {
  sentAt?: string | null;
  failedAt?: string | null;
  skippedAt?: string | null;
  lastError?: string | null;
}): string {
  if (notice.sentAt) return `sent ${moment(notice.sentAt)}`;
  if (notice.skippedAt) return 'not sent: silenced by the customer';
  if (notice.failedAt) return `failed: ${notice.lastError ?? 'unknown error'}`;
  return notice.lastError ? `retrying: ${notice.lastError}` : 'queued';
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Group gap="xs">
        <Text>{value}</Text>
      </Group>
    </Stack>
  );
}
