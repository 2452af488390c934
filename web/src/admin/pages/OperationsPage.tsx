// Operations: what needs an operator's eye, each with its fix (docs/operations.md): provider deliveries (refused
// first, with the raw body), notices that failed to send (resend), payments pending too long (ask the provider
// now), live subscriptions whose workflow is not running (start it), paybill payments that matched nothing (assign).
import { Page } from '../../components/Page';
import { Section } from '../components/Section';
import { DeliveriesSection } from '../operations/DeliveriesSection';
import { NoticesSection } from '../operations/NoticesSection';
import { PaybillSection } from '../operations/PaybillSection';
import { StuckPaymentsSection, WorkflowCheckSection } from '../operations/StuckSection';

export default function OperationsPage() {
  return (
    <Page title="Operations">
      <Section title="Stuck payments">
        <StuckPaymentsSection />
      </Section>
      <Section title="Subscriptions without a running workflow">
        <WorkflowCheckSection />
      </Section>
      <Section title="Paybill payments">
        <PaybillSection />
      </Section>
      <Section title="Notices not sent">
        <NoticesSection />
      </Section>
      <Section title="Provider deliveries">
        <DeliveriesSection />
      </Section>
    </Page>
  );
}
