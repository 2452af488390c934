// The business at a glance: subscriptions by status and monthly recurring revenue per currency, from the reports
// API's one consistent snapshot.
import { Card, SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { graphql } from '../../graphql';
import { QueryState } from '../components/Loading';
import { moneyList } from '../components/money';
import { Section } from '../components/Section';

const ReportQuery = graphql(`
  query AdminReport($from: DateTimeISO!, $to: DateTimeISO!) {
    billingReport(from: $from, to: $to) {
      asOf
      subscriptionsByStatus {
        status
        count
      }
      monthlyRecurringRevenue {
        amount
        currency
      }
      invoiced {
        count
        totals {
          amount
          currency
        }
      }
      collected {
        count
        totals {
          amount
          currency
        }
      }
    }
  }
`);

export default function OverviewPage() {
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
  }, []);
  const [result] = useQuery({ query: ReportQuery, variables: range });
  const report = result.data?.billingReport;
  const count = (status: string) => report?.subscriptionsByStatus.find((row) => row.status === status)?.count ?? 0;
  return (
    <Page title="Overview">
      <QueryState fetching={result.fetching && !report} error={result.error} what="the overview" />
      {report && (
        <Section title="Now">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
            <Figure label="Active" value={String(count('ACTIVE'))} />
            <Figure label="Trialing" value={String(count('TRIALING'))} />
            <Figure label="Past due" value={String(count('PAST_DUE'))} />
            <Figure label="Paused" value={String(count('PAUSED'))} />
            <Figure label="Monthly recurring revenue" value={moneyList(report.monthlyRecurringRevenue)} />
            <Figure label="Collected, last 30 days" value={moneyList(report.collected.totals)} />
          </SimpleGrid>
        </Section>
      )}
    </Page>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{label}</Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Card>
  );
}
