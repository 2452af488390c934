// Operations: provider deliveries, notices that failed to send, subscriptions that look stuck. Needs the admin
// API's operations queries; until they land the page says where to look (docs/operations.md).
import { Text } from '@mantine/core';
import { Page } from '../../components/Page';

export default function OperationsPage() {
  return (
    <Page title="Operations">
      <Text>
        Provider deliveries, failed notices and stuck subscriptions appear here once the operations API is deployed;
        meanwhile docs/operations.md describes how to find and fix them.
      </Text>
    </Page>
  );
}
