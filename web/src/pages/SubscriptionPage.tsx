import { Page } from '../components/Page';

export default function SubscriptionPage() {
  return <Page title="SubscriptionPage">Coming next.</Page>;
}
