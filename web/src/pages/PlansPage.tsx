import { Page } from '../components/Page';

export default function PlansPage() {
  return <Page title="PlansPage">Coming next.</Page>;
}
