import { Alert, Anchor, Button, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useOnReconnect } from '../api/client';
import { formErrors } from '../api/errors';
import { PayNow } from '../billing/PayNow';
import { StatusBadge } from '../billing/StatusBadge';
import { openInvoice, renewalText, trialDaysLeft } from '../billing/subscriptionFacts';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import { graphql } from '../graphql';
import type { SubscriptionSummaryFieldsFragment } from '../graphql/graphql';
import { formatMoney, plural } from '../lib/format';

const DashboardQuery = graphql(`
  query Dashboard {
    subscriptions(first: 20) {
      edges {
        node {
          ...SubscriptionSummaryFields
        }
      }
    }
  }
`);

let dashboardShown = false;

export default function DashboardPage() {
  const { customer, locale } = useCustomer();
  const [result, refetch] = useQuery({ query: DashboardQuery });
  useOnReconnect(() => refetch({ requestPolicy: 'network-only' }));
  const subscriptions = result.data?.subscriptions.edges.map((edge) => edge.node) ?? [];
  useEffect(() => {
    // The moment the customer first sees their subscriptions (measured by the browser tests).
    if (result.data && !dashboardShown) {
      dashboardShown = true;
      performance.mark('dashboard-shown');
    }
  }, [result.data]);

  return (
    <Page title={customer ? `Welcome, ${customer.name}` : 'Your subscriptions'}>
      {result.fetching && !result.data && <Loader role="status" aria-label="Loading your subscriptions" />}
      {result.error && <Alert color="red">{formErrors(result.error).message}</Alert>}
      {result.data && subscriptions.length === 0 && (
        <Stack gap="xs" align="flex-start">
          <Text>You have no subscriptions yet.</Text>
          <Button component={Link} to="/plans">
            See the plans
          </Button>
        </Stack>
      )}
      {subscriptions.map((subscription) => (
        <SubscriptionCard key={subscription.id} subscription={subscription} locale={locale} />
      ))}
    </Page>
  );
}

function SubscriptionCard({
  subscription,
  locale,
}: {
  subscription: SubscriptionSummaryFieldsFragment;
  locale: string;
}) {
  const renewal = renewalText(subscription, locale);
  const trialDays = trialDaysLeft(subscription);
  const unpaid = openInvoice(subscription);
  const owing = ['PAST_DUE', 'INCOMPLETE', 'UNPAID'].includes(subscription.status) && unpaid;
  const headingId = `subscription-${subscription.id}`;
  return (
    <Card withBorder component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={2} size="h3" id={headingId}>
            {subscription.plan.name}
            {subscription.quantity > 1 ? ` × ${subscription.quantity}` : ''}
          </Title>
          <StatusBadge status={subscription.status} />
        </Group>
        {owing && unpaid && (
          <Alert color="orange" title="Payment overdue">
            <Stack gap="xs">
              <Text size="sm">
                Invoice {unpaid.number} for {formatMoney(unpaid.amountDue.amount, unpaid.amountDue.currency, locale)} is
                not paid yet.
              </Text>
              <PayNow invoiceId={unpaid.id} subscriptionId={subscription.id} locale={locale} />
            </Stack>
          </Alert>
        )}
        {trialDays !== null && <Text>{plural(trialDays, 'day')} of trial left.</Text>}
        {renewal && <Text>{renewal}</Text>}
        {subscription.paymentMethodLabel && <Text size="sm">Paid with {subscription.paymentMethodLabel}</Text>}
        {subscription.plan.features.length > 0 && (
          <List size="sm" aria-label={`Features of ${subscription.plan.name}`}>
            {subscription.plan.features.map((feature) => (
              <List.Item key={feature}>{feature}</List.Item>
            ))}
          </List>
        )}
        <Anchor component={Link} to={`/subscriptions/${subscription.id}`} aria-describedby={headingId}>
          Manage subscription
        </Anchor>
      </Stack>
    </Card>
  );
}
