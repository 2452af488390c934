import { Anchor, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { Page } from '../components/Page';

export default function NotFoundPage() {
  const location = useLocation();
  return (
    <Page title="Page not found">
      <Text>
        There is no page at <code>{location.pathname}</code>.
      </Text>
      <Anchor component={Link} to="/">
        Go to your dashboard
      </Anchor>
    </Page>
  );
}
