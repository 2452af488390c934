import { Anchor, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { Page } from '../../components/Page';

export default function AdminNotFoundPage() {
  const location = useLocation();
  return (
    <Page title="Page not found">
      <Text>
        There is no console page at <code>{location.pathname}</code>.
      </Text>
      <Anchor component={Link} to="/admin">
        Go to the overview
      </Anchor>
    </Page>
  );
}
