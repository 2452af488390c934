import { Page } from '../components/Page';

export default function InvoicesPage() {
  return <Page title="InvoicesPage">Coming next.</Page>;
}
