import { Page } from '../components/Page';

export default function SubscribePage() {
  return <Page title="SubscribePage">Coming next.</Page>;
}
