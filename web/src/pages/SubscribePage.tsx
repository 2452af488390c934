// Subscribe to a plan (the checkout form is shared with the hosted checkout: src/billing/Checkout.tsx). After
// subscribing, the page follows the first payment live (M-Pesa), or sends the buyer to PayPal to approve it.
import { Alert, Anchor, Loader } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { Checkout, type Subscribed } from '../billing/Checkout';
import { PaymentStatus } from '../billing/PaymentStatus';
import { Page } from '../components/Page';
import { useCustomer } from '../components/useCustomer';
import { graphql } from '../graphql';

const SubscribePlanQuery = graphql(`
  query SubscribePlan($id: ID!) {
    plan(id: $id) {
      ...PlanFields
    }
  }
`);

export default function SubscribePage() {
  const { planId = '' } = useParams();
  const { customer, locale, fetching } = useCustomer();
  const [query] = useQuery({ query: SubscribePlanQuery, variables: { id: planId } });
  const [subscribed, setSubscribed] = useState<Subscribed | null>(null);
  const plan = query.data?.plan;

  if ((query.fetching && !query.data) || (fetching && !customer)) {
    return (
      <Page title="Subscribe">
        <Loader role="status" aria-label="Loading the plan" />
      </Page>
    );
  }
  if (!plan || !customer) {
    return (
      <Page title="Subscribe">
        <Alert color="red">{formErrors(query.error).message ?? 'You cannot subscribe from this account.'}</Alert>
        <Anchor component={Link} to="/plans">
          See the plans
        </Anchor>
      </Page>
    );
  }

  if (subscribed) {
    return (
      <Page title={`Subscribed to ${plan.name}`}>
        <PaymentStatus
          subscriptionId={subscribed.subscriptionId}
          phone={subscribed.phone}
          locale={locale}
          redirectToPaypal={subscribed.paypal}
        />
        <Anchor component={Link} to={`/subscriptions/${subscribed.subscriptionId}`}>
          See your subscription
        </Anchor>
      </Page>
    );
  }

  return (
    <Page title={`Subscribe to ${plan.name}`}>
      <Checkout plan={plan} customer={customer} locale={locale} onSubscribed={setSubscribed} />
    </Page>
  );
}
