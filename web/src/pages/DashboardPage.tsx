import { Page } from '../components/Page';

export default function DashboardPage() {
  return <Page title="DashboardPage">Coming next.</Page>;
}
