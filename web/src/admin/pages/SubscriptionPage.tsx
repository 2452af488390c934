// One subscription as an operator sees it: who and what, its timeline, every invoice with its payment attempts and
// the provider's answers, the audit trail, a link to its workflow in the Temporal UI, and the lifecycle actions,
// sent through the same mutations the portal uses (the API checks the operator may). The page follows the
// subscription and its open invoice's payments live, so a retry is seen turning paid.
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useOnReconnect } from '../../api/client';
import { formErrors } from '../../api/errors';
import { SubscriptionChangedLive, SubscriptionDetailsQuery } from '../../billing/lifecycleOperations';
import { PaymentLive, PayInvoiceMutation } from '../../billing/operations';
import { priceText } from '../../billing/plans';
import { openInvoice, renewalText } from '../../billing/subscriptionFacts';
import { SubscriptionActions } from '../../billing/SubscriptionActions';
import { Timeline } from '../../billing/Timeline';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import { AuditTrail } from '../components/AuditTrail';
import { QueryState } from '../components/Loading';
import { day, money } from '../components/money';
import { PaymentsTable } from '../components/PaymentsTable';
import { Section } from '../components/Section';
import { StatusBadge } from '../components/StatusText';
import { temporalWorkflowUrl } from '../consoleSettings';
import { adminLocale } from '../locale';
import { InvoiceLink } from '../components/InvoiceLink';

const OperatorViewQuery = graphql(`
  query AdminSubscription($id: ID!) {
    subscription(id: $id) {
      id
      workflowId
      endReason
      customer {
        id
        name
        email
        phone
      }
      invoices {
        ...AdminInvoiceFields
        payments {
          ...AdminPaymentFields
          deliveries {
            id
            status
            reason
            receivedAt
            rawBody
          }
        }
      }
      auditTrail {
        ...AuditEventFields
      }
    }
  }
`);

export default function SubscriptionPage() {
  const { id = '' } = useParams();
  const locale = adminLocale();
  const [details, refetchDetails] = useQuery({ query: SubscriptionDetailsQuery, variables: { id } });
  const [operator, refetchOperator] = useQuery({ query: OperatorViewQuery, variables: { id } });
  const reload = () => {
    refetchDetails({ requestPolicy: 'network-only' });
    refetchOperator({ requestPolicy: 'network-only' });
  };
  useSubscription({ query: SubscriptionChangedLive, variables: { subscriptionId: id } }, (_previous, event) => {
    reload();
    return event;
  });
  useOnReconnect(reload);
  const [payResult, payInvoice] = useMutation(PayInvoiceMutation);

  const subscription = details.data?.subscription;
  const view = operator.data?.subscription;
  if (!subscription || !view) {
    return (
      <Page title="Subscription">
        <QueryState
          fetching={details.fetching || operator.fetching}
          error={details.error ?? operator.error}
          what="the subscription"
        />
      </Page>
    );
  }
  const unpaid = openInvoice(subscription);
  const workflowUrl = temporalWorkflowUrl(view.workflowId);

  return (
    <Page title={`${subscription.plan.name} for ${view.customer.name}`}>
      {unpaid && <FollowPayments invoiceId={unpaid.id} onChange={reload} />}
      <Card withBorder>
        <Stack gap="xs">
          <Group gap="sm">
            <StatusBadge status={subscription.status} />
            {subscription.quantity > 1 && <Text>{subscription.quantity} seats</Text>}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <Text>
              Customer:{' '}
              <Anchor component={Link} to={`/admin/customers/${view.customer.id}`}>
                {view.customer.name}
              </Anchor>{' '}
              ({view.customer.phone ?? view.customer.email})
            </Text>
            <Text>Price: {priceText(subscription.plan, locale)}</Text>
            <Text>Payment method: {subscription.paymentMethodLabel ?? 'none'}</Text>
            <Text>Started: {day(subscription.createdAt)}</Text>
            {renewalText(subscription, locale) && <Text>{renewalText(subscription, locale)}</Text>}
            {subscription.endedAt && (
              <Text>
                Ended {day(subscription.endedAt)}
                {view.endReason ? ` (${view.endReason})` : ''}
              </Text>
            )}
          </SimpleGrid>
          <Text size="sm">
            Workflow <code>{view.workflowId}</code>
            {workflowUrl && (
              <>
                {' · '}
                <Anchor href={workflowUrl} target="_blank" rel="noopener">
                  Open in the Temporal UI
                </Anchor>
              </>
            )}
          </Text>
        </Stack>
      </Card>

      <SubscriptionActions
        subscription={subscription}
        locale={locale}
        reload={reload}
        title="Operator actions"
        error={formErrors(payResult.error).message}
        before={
          unpaid && (
            <Button
              loading={payResult.fetching}
              disabled={payResult.fetching}
              onClick={() => void payInvoice({ input: { invoiceId: unpaid.id } }).then(reload)}
            >
              Retry payment now
            </Button>
          )
        }
      />

      <Section title="Timeline">
        <Timeline subscription={subscription} locale={locale} />
      </Section>

      <Section title="Invoices and payment attempts">
        {view.invoices.length === 0 && <Text>No invoices yet.</Text>}
        {[...view.invoices].reverse().map((invoice) => (
          <Card key={invoice.id} withBorder component="article" aria-labelledby={`invoice-${invoice.id}`}>
            <Stack gap="xs">
              <Group gap="sm" justify="space-between">
                <Title order={3} size="h4" id={`invoice-${invoice.id}`}>
                  <InvoiceLink invoice={invoice} />
                </Title>
                <StatusBadge status={invoice.status} />
              </Group>
              <Text size="sm">
                {invoice.kind.toLowerCase()} · issued {day(invoice.issuedAt)} · total {money(invoice.total)} · due{' '}
                {money(invoice.amountDue)}
              </Text>
              <PaymentsTable caption={`Payment attempts for ${invoice.number}`} payments={invoice.payments} />
            </Stack>
          </Card>
        ))}
      </Section>

      <Section title="Audit trail">
        <AuditTrail events={view.auditTrail} />
      </Section>
    </Page>
  );
}

/** Reloads the page whenever a payment of the open invoice changes: a new attempt shows as soon as it is made. */
function FollowPayments({ invoiceId, onChange }: { invoiceId: string; onChange: () => void }) {
  useSubscription({ query: PaymentLive, variables: { invoiceId } }, (_previous, event) => {
    onChange();
    return event;
  });
  return null;
}
