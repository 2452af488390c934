// Every invoice of the customer, newest first: number, date, amount, status, the document (signed links from the
// API: `htmlUrl`, `pdfUrl`), and "Pay now" for open ones, with how to pay them by M-Pesa paybill from the phone. An email's pay link lands here with ?pay=<invoice id>.
import { Alert, Anchor, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { PayByPaybill } from '../billing/PayByPaybill';
import { PayNow } from '../billing/PayNow';
import { StatusBadge } from '../billing/StatusBadge';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import { graphql } from '../graphql';
import { formatDate, formatMoney } from '../lib/format';

// Invoice has no subscription field: the subscriptions' invoice ids say which subscription each belongs to.
const InvoicesQuery = graphql(`
  query Invoices {
    invoices(first: 50) {
      edges {
        node {
          id
          number
          kind
          status
          issuedAt
          dueAt
          paidAt
          periodStart
          periodEnd
          htmlUrl
          pdfUrl
          total {
            amount
            currency
          }
          amountDue {
            amount
            currency
          }
          paybill {
            shortCode
            account
            customerAccount
          }
        }
      }
    }
    subscriptions(first: 50) {
      edges {
        node {
          id
          plan {
            id
            name
          }
          invoices {
            id
          }
        }
      }
    }
  }
`);

export default function InvoicesPage() {
  const { locale } = useCustomer();
  const [params] = useSearchParams();
  const [result] = useQuery({ query: InvoicesQuery });
  const invoices = result.data?.invoices.edges.map((edge) => edge.node) ?? [];
  const owner = new Map<string, { id: string; plan: string }>();
  for (const { node } of result.data?.subscriptions.edges ?? []) {
    for (const invoice of node.invoices) owner.set(invoice.id, { id: node.id, plan: node.plan.name });
  }
  const payFirst = params.get('pay');
  const sorted = [...invoices].sort(
    (a, b) => Number(b.id === payFirst) - Number(a.id === payFirst) || b.issuedAt.localeCompare(a.issuedAt),
  );

  return (
    <Page title="Invoices">
      {result.fetching && !result.data && <Loader role="status" aria-label="Loading invoices" />}
      {result.error && <Alert color="red">{formErrors(result.error).message}</Alert>}
      {result.data && invoices.length === 0 && <Text>No invoices yet.</Text>}
      {sorted.map((invoice) => {
        const subscription = owner.get(invoice.id);
        const headingId = `invoice-${invoice.id}`;
        return (
          <Card key={invoice.id} withBorder component="article" aria-labelledby={headingId}>
            <Stack gap={6}>
              <Group justify="space-between" gap="xs">
                <Title order={2} size="h4" id={headingId}>
                  {invoice.number}
                </Title>
                <StatusBadge status={invoice.status} />
              </Group>
              <Text>
                {formatMoney(invoice.total.amount, invoice.total.currency, locale)}
                {subscription ? ` · ${subscription.plan}` : ''}
              </Text>
              <Text size="sm">
                Issued {formatDate(invoice.issuedAt, locale)} · for {formatDate(invoice.periodStart, locale)} to{' '}
                {formatDate(invoice.periodEnd, locale)}
                {invoice.paidAt ? ` · paid ${formatDate(invoice.paidAt, locale)}` : ''}
              </Text>
              <Group gap="md">
                <Anchor href={invoice.htmlUrl} target="_blank" rel="noopener" aria-describedby={headingId}>
                  View
                </Anchor>
                <Anchor href={invoice.pdfUrl} download aria-describedby={headingId}>
                  PDF
                </Anchor>
              </Group>
              {invoice.status === 'OPEN' && subscription && (
                <PayNow invoiceId={invoice.id} subscriptionId={subscription.id} locale={locale} />
              )}
              {invoice.paybill && <PayByPaybill {...invoice.paybill} />}
            </Stack>
          </Card>
        );
      })}
    </Page>
  );
}
