// One subscription: its state, the payment waiting (followed live), the changes a customer can make (each asked
// for in a dialog), its timeline and its invoices.
import { Alert, Anchor, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { useOnReconnect } from '../api/client';
import { formErrors } from '../api/errors';
import { SubscriptionChangedLive, SubscriptionDetailsQuery } from '../billing/lifecycleOperations';
import { PaymentStatus } from '../billing/PaymentStatus';
import { priceText } from '../billing/plans';
import { StandingOrderCard } from '../billing/StandingOrderCard';
import { StatusBadge } from '../billing/StatusBadge';
import { openInvoice, renewalText } from '../billing/subscriptionFacts';
import { SubscriptionActions } from '../billing/SubscriptionActions';
import { Timeline } from '../billing/Timeline';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import { formatDate, formatMoney } from '../lib/format';

export default function SubscriptionPage() {
  const { id = '' } = useParams();
  // Back from a provider's approval page (PayPal): that invoice's payment is followed here until it settles.
  const [search] = useSearchParams();
  const followed = search.get('invoice');
  const { locale } = useCustomer();
  const [query, refetch] = useQuery({ query: SubscriptionDetailsQuery, variables: { id } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // Any change (a renewal, a payment, a change made in another tab) reloads the page's data.
  useSubscription({ query: SubscriptionChangedLive, variables: { subscriptionId: id } }, (_previous, event) => {
    reload();
    return event;
  });
  useOnReconnect(reload);

  const subscription = query.data?.subscription;
  if (!subscription) {
    return (
      <Page title="Subscription">
        {query.fetching ? (
          <Loader role="status" aria-label="Loading the subscription" />
        ) : (
          <Alert color="red">{formErrors(query.error).message ?? 'Subscription not found.'}</Alert>
        )}
      </Page>
    );
  }

  const unpaid = openInvoice(subscription);

  return (
    <Page title={subscription.plan.name}>
      <Card withBorder>
        <Stack gap="xs">
          <Group gap="sm">
            <StatusBadge status={subscription.status} />
            {subscription.quantity > 1 && <Text>{subscription.quantity} seats</Text>}
          </Group>
          <Text>{priceText(subscription.plan, locale)}</Text>
          {renewalText(subscription, locale) && <Text>{renewalText(subscription, locale)}</Text>}
          {subscription.pendingPlan && (
            <Text>
              From the next period: {subscription.pendingPlan.name}
              {subscription.pendingQuantity ? `, ${subscription.pendingQuantity} seats` : ''}.
            </Text>
          )}
          {subscription.endedAt && <Text>Ended on {formatDate(subscription.endedAt, locale)}.</Text>}
          <Text size="sm">Payment method: {subscription.paymentMethodLabel ?? 'none yet'}</Text>
        </Stack>
      </Card>

      {(unpaid || followed) && (
        <PaymentStatus subscriptionId={subscription.id} invoiceId={followed ?? unpaid!.id} locale={locale} />
      )}

      {subscription.paymentProvider === 'MPESA' &&
        subscription.plan.price.currency === 'KES' &&
        !subscription.endedAt && (
          <StandingOrderCard
            subscriptionId={subscription.id}
            order={subscription.standingOrder ?? null}
            locale={locale}
            reload={reload}
          />
        )}

      <SubscriptionActions subscription={subscription} locale={locale} reload={reload} title="Manage" />

      <section aria-labelledby="timeline-heading">
        <Title order={2} size="h3" id="timeline-heading" mb="xs">
          Timeline
        </Title>
        <Timeline subscription={subscription} locale={locale} />
      </section>

      <section aria-labelledby="invoices-heading">
        <Title order={2} size="h3" id="invoices-heading" mb="xs">
          Invoices
        </Title>
        {subscription.invoices.length === 0 ? (
          <Text>No invoices yet.</Text>
        ) : (
          <Stack gap={4}>
            {[...subscription.invoices].reverse().map((invoice) => (
              <Group key={invoice.id} gap="sm" wrap="wrap">
                <Text>{invoice.number}</Text>
                <Text>{formatDate(invoice.issuedAt, locale)}</Text>
                <Text>{formatMoney(invoice.total.amount, invoice.total.currency, locale)}</Text>
                <StatusBadge status={invoice.status} />
              </Group>
            ))}
            <Anchor component={Link} to="/invoices">
              All invoices, with their documents
            </Anchor>
          </Stack>
        )}
      </section>
    </Page>
  );
}
