// Every payment attempt: provider, status, amount and the provider's reference. The searchable list needs the
// admin API's payments query; until then each customer's and subscription's page lists their attempts.
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Page } from '../../components/Page';

export default function PaymentsPage() {
  return (
    <Page title="Payments">
      <Text>
        Payment attempts are listed on each{' '}
        <Anchor component={Link} to="/admin/customers">
          customer
        </Anchor>{' '}
        and{' '}
        <Anchor component={Link} to="/admin/subscriptions">
          subscription
        </Anchor>
        , with the provider&apos;s answers.
      </Text>
    </Page>
  );
}
